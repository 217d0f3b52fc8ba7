/**
 * `mpm migrate` on real trees copied from tests/fixtures/claude-mpm (claude-mpm's real formats).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { baseEnv, copyTree, exists, mpm, mpmProcessArgs, ROOT, withRepo } from "../helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

const FIXTURE = join(ROOT, "tests/fixtures/claude-mpm/sessions");

/** Every file and folder under `dir`: its bytes' digest, mode and (files) modification time. */
async function treeState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  async function walk(at: string, rel: string) {
    for await (const entry of Deno.readDir(at)) {
      const path = join(at, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      const info = await Deno.lstat(path);
      const mode = (info.mode! & 0o7777).toString(8);
      if (entry.isSymlink) {
        state[name] = `-> ${await Deno.readLink(path)}`;
      } else if (entry.isDirectory) {
        state[`${name}/`] = mode;
        await walk(path, name);
      } else {
        state[name] = `${sha256Hex(await Deno.readFile(path))} ${mode} ${info.mtime?.getTime()}`;
      }
    }
  }
  await walk(dir, "");
  return state;
}

interface ListRow {
  session_id: string;
  state: string;
}

const MIGRATED_IDS = [
  "session-20260612-091245",
  "session-20260518-221510",
  "session-20260305-141503",
  "session-20260115-103000",
  "session-20251209-204500",
  "session-20251120-193022",
  "session-20251107-232249",
  "session-20251020-143022",
];

Deno.test("mpm migrate: dry run, migrate, list/show/resume, run again, roll back", async () => {
  await using repo = await withRepo();
  const base = join(repo.path, ".claude-mpm");
  const sessions = join(base, "sessions");
  await copyTree(FIXTURE, sessions);
  const original = await treeState(base);

  const dry = await repo.run("migrate", "--dry-run");
  assertEquals(dry.code, 0, dry.stderr);
  assertStringIncludes(
    dry.stdout,
    "convert     .claude-mpm/sessions/pause/session-20251107-182249.json (+ .yaml, .md, orphaned .tmp.sha256) -> session-20251107-232249",
  );
  assertStringIncludes(dry.stdout, "Dry run: nothing was changed.");
  assertEquals(await treeState(base), original);

  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stderr, ""); // no progress when stderr is not a terminal
  const outcome = JSON.parse(run.stdout);
  assertEquals(outcome.counts.converted, 8);
  assertEquals(outcome.counts.duplicates, 1);
  assert(await exists(join(repo.path, outcome.backup, "manifest.json")), outcome.backup);
  assertEquals(await exists(join(sessions, "pause")), false);
  assertEquals(
    await Deno.readTextFile(join(sessions, "LATEST-SESSION.txt")),
    `${MIGRATED_IDS[0]}\n`,
  );

  const list = await repo.run("list", "--json", "--limit", "0");
  assertEquals(list.code, 0, list.stderr);
  const rows = JSON.parse(list.stdout) as ListRow[];
  assertEquals(rows.map((r) => r.session_id), MIGRATED_IDS);
  assertEquals(rows.filter((r) => r.state !== "paused"), []);

  const sums = [...Deno.readDirSync(sessions)].map((e) => e.name).filter((n) =>
    n.endsWith(".sha256")
  );
  assertEquals(sums.length, MIGRATED_IDS.length);
  const check = await new Deno.Command("sha256sum", { args: ["-c", ...sums], cwd: sessions })
    .output();
  assertEquals(check.code, 0, new TextDecoder().decode(check.stdout));

  const show = await repo.run("show", "session-20251107-232249", "--format", "json");
  assertEquals(show.code, 0, show.stderr);
  const fromPause = JSON.parse(show.stdout);
  assertEquals(fromPause.conversation.summary, "Refactoring cart totals into a pure module");
  assertEquals(fromPause.mpm.legacy.session_id, "session-20251107-182249");

  const migrated = await treeState(base);
  const again = await repo.run("migrate");
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, "Nothing to migrate");
  assertEquals(await treeState(base), migrated);

  // resume makes the session active (state.json), which is not the migration's to undo.
  for (const id of ["session-20251120-193022", "session-20251209-204500"]) { // v6, .md only
    const resume = await repo.run("resume", id, "--no-changes");
    assertEquals(resume.code, 0, resume.stderr);
    assertStringIncludes(resume.stdout, id);
  }
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertEquals(await treeState(sessions), await pick(original, "sessions/"));
  assertEquals(await exists(join(base, "backups")), false);
});

/** The entries of a treeState under `prefix`, relative to it. */
function pick(state: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(state).filter(([k]) => k.startsWith(prefix) && k !== prefix)
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

Deno.test("mpm migrate: an identical copy is skipped, a different session of the same id kept", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(join(FIXTURE, "pause"), join(sessions, "pause"));
  const v4 = await Deno.readTextFile(join(FIXTURE, "pause/session-20251020-143022.json"));
  await Deno.writeTextFile(
    join(sessions, "session-20251020-143022.json"),
    v4.replace("Wiring checkout", "Rewiring checkout"),
  );
  await Deno.copyFile(
    join(FIXTURE, "pause/session-20251107-182249.json"),
    join(sessions, "session-20251107-182249.json"),
  );

  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  const steps = JSON.parse(run.stdout).steps as { kind: string; id?: string; of?: string }[];
  assertEquals(
    steps.filter((s) => s.kind === "convert" || s.kind === "duplicate")
      .map((s) => `${s.kind} ${s.id ?? s.of}`),
    [
      "convert session-20251020-143022",
      "convert session-20251020-143022-2",
      "convert session-20251107-232249",
      "duplicate session-20251107-232249",
    ],
  );
  const summary = async (id: string) => {
    const show = await repo.run("show", id, "--format", "json");
    assertEquals(show.code, 0, show.stderr);
    return JSON.parse(show.stdout).conversation.summary;
  };
  assertEquals(
    await summary("session-20251020-143022"),
    "Rewiring checkout to the new tax service",
  );
  assertEquals(
    await summary("session-20251020-143022-2"),
    "Wiring checkout to the new tax service",
  );
  assertEquals(await exists(join(sessions, "session-20251107-182249.json")), false);

  // A file the migration wrote and someone changed since: rollback refuses and changes nothing.
  const base = join(repo.path, ".claude-mpm");
  await Deno.writeTextFile(join(sessions, "session-20251020-143022.md"), "edited\n");
  const before = await treeState(base);
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 1);
  assertStringIncludes(rollback.stderr, "session-20251020-143022.md changed after the migration");
  assertEquals(await treeState(base), before);
});

Deno.test("mpm migrate --from imports only this project's sessions and leaves the source", async () => {
  await using repo = await withRepo();
  const global = join(repo.home, ".claude-mpm/sessions");
  await Deno.mkdir(global, { recursive: true });
  const link = join(repo.home, "project-link");
  await Deno.symlink(repo.path, link);
  const mine = (text: string, path = repo.path) =>
    text.replaceAll("/Users/dana/code/shopfront", path);
  const read = (name: string) => Deno.readTextFile(join(FIXTURE, name));
  await Deno.writeTextFile(
    join(global, "session-20251120-193022.json"),
    mine(await read("session-20251120-193022.json")),
  );
  await Deno.writeTextFile( // names the project through a symbolic link
    join(global, "session-20260612-091245.json"),
    mine(await read("session-20260612-091245.json"), link),
  );
  await Deno.writeTextFile(
    join(global, "session-20260115-103000.md"),
    mine(await read("session-20260115-103000.md")),
  );
  await Deno.copyFile( // another project's
    join(FIXTURE, "session-20260305-141503.json"),
    join(global, "session-20260305-141503.json"),
  );
  const source = await treeState(repo.home);

  const run = await repo.run("migrate", "--from", join(repo.home, ".claude-mpm"));
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "it belongs to /Users/dana/code/shopfront");
  assertEquals(await treeState(repo.home), source);
  const list = await repo.run("list", "--json");
  assertEquals(
    (JSON.parse(list.stdout) as ListRow[]).map((r) => `${r.session_id} ${r.state}`),
    [
      "session-20260612-091245 paused",
      "session-20260115-103000 paused",
      "session-20251120-193022 paused",
    ],
  );

  const base = join(repo.path, ".claude-mpm");
  const imported = await treeState(base);
  const again = await repo.run("migrate", "--from", global);
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, "already imported as session-20251120-193022");
  assertEquals(await treeState(base), imported);

  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertEquals(await exists(base), false);
  assertEquals(await treeState(repo.home), source);
});

Deno.test("mpm migrate --no-backup migrates without a backup, so there is no rollback", async () => {
  await using repo = await withRepo();
  await copyTree(FIXTURE, join(repo.path, ".claude-mpm/sessions"));
  const run = await repo.run("migrate", "--no-backup");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "cannot be rolled back");
  assertEquals(await exists(join(repo.path, ".claude-mpm/backups")), false);
  const list = await repo.run("list", "--json", "--limit", "0");
  assertEquals((JSON.parse(list.stdout) as ListRow[]).length, MIGRATED_IDS.length);
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 3);
  assertStringIncludes(rollback.stderr, "no migration to roll back");
});

Deno.test({
  name: "mpm migrate shows its progress on a terminal",
  // util-linux `script` gives the CLI a terminal to write to.
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using repo = await withRepo();
    await copyTree(FIXTURE, join(repo.path, ".claude-mpm/sessions"));
    const command = [Deno.execPath(), ...await mpmProcessArgs(), "migrate"].join(" ");
    const out = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      cwd: repo.path,
      env: baseEnv(repo.home),
      clearEnv: true,
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, text);
    assertMatch(text, /mpm: migrating… \d+\/(\d+) \(100%\)/);
    assertStringIncludes(text, "Migrated ");
  },
});

Deno.test("mpm migrate --from takes a path relative to where it runs, and a home folder", async () => {
  await using repo = await withRepo();
  const global = join(repo.home, ".claude-mpm/sessions");
  await Deno.mkdir(global, { recursive: true });
  await Deno.writeTextFile(
    join(global, "session-20251120-193022.json"),
    (await Deno.readTextFile(join(FIXTURE, "session-20251120-193022.json")))
      .replaceAll("/Users/dana/code/shopfront", repo.path),
  );
  await Deno.mkdir(join(repo.path, "src"));
  // From a subfolder, "../../home" is the test's home folder, which holds .claude-mpm/.
  const home = join("..", "..", repo.home.split("/").pop()!);
  const run = await mpm(["migrate", "--from", home], {
    cwd: join(repo.path, "src"),
    env: { HOME: repo.home },
  });
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "-> session-20251120-193022");
  const file = join(repo.home, "file.txt");
  await Deno.writeTextFile(file, "x");
  const notFolder = await repo.run("migrate", "--from", file);
  assertEquals(notFolder.code, 2);
  assertStringIncludes(notFolder.stderr, "not a folder");
  assertEquals((await repo.run("migrate", "--from", "")).code, 2);
});

Deno.test("mpm migrate never makes its backup through a link that leads outside .claude-mpm", async () => {
  await using repo = await withRepo();
  await copyTree(FIXTURE, join(repo.path, ".claude-mpm/sessions"));
  const outside = join(repo.home, "elsewhere");
  await Deno.mkdir(outside);
  await Deno.symlink(outside, join(repo.path, ".claude-mpm/backups"));
  const before = await treeState(join(repo.path, ".claude-mpm/sessions"));
  const run = await repo.run("migrate");
  assertEquals(run.code, 1, run.stderr);
  assertStringIncludes(run.stderr, "symbolic link");
  assertEquals(await Array.fromAsync(Deno.readDir(outside)), []);
  assertEquals(await treeState(join(repo.path, ".claude-mpm/sessions")), before);
});

/** `mpm migrate` killed (as by `kill -9`) at an injected failure point: src/disk/files/fail_point.ts. */
async function killedMigrate(repo: Awaited<ReturnType<typeof withRepo>>, point: string) {
  const killed = await mpm(["migrate"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: point },
  });
  assertEquals(killed.code, 137, `${point}: ${killed.stderr}`);
  assertEquals(killed.stdout, "");
}

/** The snapshots `mpm list` shows, and whether each reads (an invalid one is `invalid`). */
async function listed(repo: Awaited<ReturnType<typeof withRepo>>): Promise<string[]> {
  const list = await repo.run("list", "--json", "--limit", "0");
  assertEquals(list.code, 0, list.stderr);
  return (JSON.parse(list.stdout) as ListRow[]).map((r) => `${r.session_id} ${r.state}`);
}

const ALL_PAUSED = MIGRATED_IDS.map((id) => `${id} paused`);

for (const point of ["migrate-after-claim", "migrate-after-json", "migrate-after-md"]) {
  Deno.test(`mpm migrate killed at ${point}: a re-run finishes it, two rollbacks undo both`, async () => {
    await using repo = await withRepo();
    const base = join(repo.path, ".claude-mpm");
    const sessions = join(base, "sessions");
    await copyTree(FIXTURE, sessions);
    const original = await treeState(sessions);
    await killedMigrate(repo, point);

    const again = await repo.run("migrate", "--json");
    assertEquals(again.code, 0, again.stderr);
    assertEquals(await listed(repo), ALL_PAUSED);
    const sums = [...Deno.readDirSync(sessions)].map((e) => e.name)
      .filter((n) => n.endsWith(".json.sha256"));
    assertEquals(sums.sort(), MIGRATED_IDS.map((id) => `${id}.json.sha256`).sort());
    for (const id of MIGRATED_IDS) {
      for (const ext of ["md", "yaml"]) assert(await exists(join(sessions, `${id}.${ext}`)), id);
    }
    const check = await new Deno.Command("sha256sum", { args: ["-c", ...sums], cwd: sessions })
      .output();
    assertEquals(check.code, 0, new TextDecoder().decode(check.stdout));
    const migrated = await treeState(base);
    assertStringIncludes((await repo.run("migrate")).stdout, "Nothing to migrate");
    assertEquals(await treeState(base), migrated);

    // The re-run's backup, then the killed run's: the tree is as it was before either.
    for (let i = 0; i < 2; i++) {
      const rollback = await repo.run("migrate", "--rollback");
      assertEquals(rollback.code, 0, rollback.stderr);
    }
    assertEquals(await treeState(sessions), pick(original, ""));
  });

  Deno.test(`mpm migrate killed at ${point}: --rollback alone puts everything back`, async () => {
    await using repo = await withRepo();
    const sessions = join(repo.path, ".claude-mpm/sessions");
    await copyTree(FIXTURE, sessions);
    const original = await treeState(sessions);
    await killedMigrate(repo, point);
    const rollback = await repo.run("migrate", "--rollback");
    assertEquals(rollback.code, 0, rollback.stderr);
    assertEquals(await treeState(sessions), pick(original, ""));
  });
}

Deno.test("mpm migrate killed after claiming a claude-mpm session's own id heals on the next run", async () => {
  // The record is in sessions/ under the id it keeps: the claim sits beside claude-mpm's JSON.
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  for (const ext of ["json", "md", "yaml"]) {
    const name = `session-20260305-141503.${ext}`;
    await Deno.copyFile(join(FIXTURE, name), join(sessions, name));
  }
  await killedMigrate(repo, "migrate-after-claim");
  const again = await repo.run("migrate");
  assertEquals(again.code, 0, again.stderr);
  assertEquals(await listed(repo), ["session-20260305-141503 paused"]);
  const show = await repo.run("show", "session-20260305-141503", "--format", "json");
  assertEquals(show.code, 0, show.stderr);
  assertEquals(JSON.parse(show.stdout).mpm.legacy.checksum, "none");
});

Deno.test({
  name: "claude-mpm's files left in place become 0600, so doctor passes; rollback puts 0644 back",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const sessions = join(repo.path, ".claude-mpm/sessions");
    await copyTree(FIXTURE, sessions);
    const kept: string[] = [];
    for await (const entry of Deno.readDir(sessions)) {
      if (!entry.isFile) continue;
      await Deno.chmod(join(sessions, entry.name), 0o644);
      kept.push(entry.name);
    }
    const run = await repo.run("migrate");
    assertEquals(run.code, 0, run.stderr);
    const left = [];
    for (const name of kept) if (await exists(join(sessions, name))) left.push(name);
    assert(left.length > 0, "the fixture has files the migration leaves in place");
    for (const name of left) {
      assertEquals((await Deno.stat(join(sessions, name))).mode! & 0o777, 0o600, name);
    }
    const doctor = JSON.parse((await repo.run("doctor", "--json")).stdout);
    const failed = doctor.checks.filter((c: { status: string }) => c.status === "fail");
    assertEquals(failed, [], "doctor agrees with a clean migration");

    const rollback = await repo.run("migrate", "--rollback");
    assertEquals(rollback.code, 0, rollback.stderr);
    for (const name of left) {
      assertEquals((await Deno.stat(join(sessions, name))).mode! & 0o777, 0o644, name);
    }
    // Files the migration rewrote come back with their copies; the others by their mode alone.
    assertMatch(rollback.stdout, /mode {5}\.claude-mpm\/sessions\/[^/\s]+ 0644\n/);
  },
});
