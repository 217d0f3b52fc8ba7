/**
 * `mpm migrate` on real trees copied from tests/fixtures/claude-mpm (claude-mpm's real formats).
 */
import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../assert.ts";
import {
  baseEnv,
  copyTree,
  endRun,
  exists,
  mpm,
  mpmProcessArgs,
  type Repo,
  ROOT,
  withRepo,
} from "../helpers.ts";
import { migrateProject } from "../../src/migrate/apply.ts";
import { projectPaths } from "../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../src/disk/machine_key.ts";
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
  // The source folder, as claude-mpm left it (mpm keeps its machine key elsewhere in HOME).
  const source = await treeState(join(repo.home, ".claude-mpm"));

  const run = await repo.run("migrate", "--from", join(repo.home, ".claude-mpm"));
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "it belongs to /Users/dana/code/shopfront");
  assertEquals(await treeState(join(repo.home, ".claude-mpm")), source);
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
  assertEquals(await treeState(join(repo.home, ".claude-mpm")), source);
});

Deno.test("mpm migrate: LATEST-SESSION.txt names the newest session converted, not a newer unreadable file left", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(FIXTURE, sessions);
  const damaged = join(sessions, "session-20260701-101010.json");
  await Deno.writeTextFile(damaged, '{"session_id": "x", bad\n');
  const run = await repo.run("migrate");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, `LATEST-SESSION.txt -> ${MIGRATED_IDS[0]}`);
  assertEquals(
    await Deno.readTextFile(join(sessions, "LATEST-SESSION.txt")),
    `${MIGRATED_IDS[0]}\n`,
  );
  assert(await exists(damaged), "the unreadable file is left as it was");
});

Deno.test("mpm migrate --rollback names a file changed after the migration once", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(FIXTURE, sessions);
  assertEquals((await repo.run("migrate")).code, 0);
  // Converted in place: the migration both backed it up and wrote it.
  await Deno.writeTextFile(join(sessions, `${MIGRATED_IDS[0]}.md`), "edited\n", { append: true });
  const refused = await repo.run("migrate", "--rollback");
  assertEquals(refused.code, 1);
  assertStringIncludes(
    refused.stderr,
    `Cannot roll back: .claude-mpm/sessions/${MIGRATED_IDS[0]}.md changed after the migration.`,
  );
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

Deno.test("mpm migrate names a session file that is a symbolic link, leaves it, and converts the rest", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(FIXTURE, sessions);
  const outside = join(repo.home, "outside.json");
  await Deno.copyFile(join(FIXTURE, "session-20260612-091245.json"), outside);
  const link = join(sessions, "session-20260703-101010.json");
  await Deno.symlink(outside, link);
  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  const { counts } = JSON.parse(run.stdout);
  assertEquals([counts.converted, counts.invalid], [MIGRATED_IDS.length, 1]);
  assertStringIncludes(
    run.stderr,
    "mpm: .claude-mpm/sessions/session-20260703-101010.json is a symbolic link, and mpm never " +
      "reads a session through one: replace it with a copy of the file it points to, or remove it",
  );
  assert((await Deno.lstat(link)).isSymlink, "the link is left as it was");
  // Alone, it is named too: never "Nothing to migrate".
  await using alone = await withRepo();
  await Deno.mkdir(join(alone.path, ".claude-mpm/sessions"), { recursive: true });
  await Deno.symlink(
    outside,
    join(alone.path, ".claude-mpm/sessions/session-20260703-101010.json"),
  );
  const named = await alone.run("migrate");
  assertEquals(named.code, 0, named.stderr);
  assertStringIncludes(
    named.stdout,
    "left        .claude-mpm/sessions/session-20260703-101010.json is a symbolic link",
  );
});

Deno.test("mpm migrate leaves a session file larger than mpm reads, and converts the rest", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(FIXTURE, sessions);
  // claude-mpm's v6 layout with a 33 MiB summary: converted, `mpm list` could not read it.
  const record = JSON.parse(
    await Deno.readTextFile(join(FIXTURE, "session-20260612-091245.json")),
  );
  record.conversation.summary = "x".repeat(33 * 1024 * 1024);
  const big = join(sessions, "session-20260801-101010.json");
  await Deno.writeTextFile(big, JSON.stringify(record));
  const before = await Deno.readFile(big);
  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  const { counts } = JSON.parse(run.stdout);
  assertEquals([counts.converted, counts.invalid], [MIGRATED_IDS.length, 1]);
  assertStringIncludes(
    run.stderr,
    `mpm: .claude-mpm/sessions/session-20260801-101010.json holds ${before.length} bytes, ` +
      "more than mpm reads of one file",
  );
  assertEquals(await Deno.readFile(big), before);
  // Only the file left is unreadable; every snapshot the migration wrote reads.
  const list = await repo.run("list", "--all", "--json");
  const invalid = (JSON.parse(list.stdout) as ListRow[]).filter((r) => r.state === "invalid");
  assertEquals(invalid.map((r) => r.session_id), ["session-20260801-101010"]);
});

/** `mpm migrate` killed (as by `kill -9`) at an injected failure point: src/disk/files/faults/fail_point.ts. */
async function killedMigrate(repo: Repo, point: string, ...args: string[]) {
  const killed = await mpm(["migrate", ...args], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: point },
  });
  assertEquals(killed.code, 137, `${point}: ${killed.stderr}`);
  assertEquals(killed.stdout, "");
}

/** The snapshots `mpm list` shows, and whether each reads (an invalid one is `invalid`). */
async function listed(repo: Repo): Promise<string[]> {
  const list = await repo.run("list", "--json", "--limit", "0");
  assertEquals(list.code, 0, list.stderr);
  return (JSON.parse(list.stdout) as ListRow[]).map((r) => `${r.session_id} ${r.state}`);
}

/** The migration backups under `.claude-mpm/backups/`. */
async function backups(repo: Repo): Promise<string[]> {
  const dir = join(repo.path, ".claude-mpm/backups");
  if (!(await exists(dir))) return [];
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

const UNFINISHED = ".claude-mpm/migrate-unfinished.json";
const ALL_PAUSED = MIGRATED_IDS.map((id) => `${id} paused`);

/**
 * Where a run dies: within a session's conversion (after its record, after its checksum, after
 * its first rendering), before the fourth step (three sessions done), right after the backup,
 * and while the backup is being made (nothing changed yet: the next run starts afresh).
 */
const KILL_POINTS = [
  "migrate-after-json",
  "migrate-after-sha256",
  "migrate-after-md",
  "migrate-step-4",
  "migrate-after-backup",
  "migrate-copied-3",
];

for (const point of KILL_POINTS) {
  const changedNothing = point.startsWith("migrate-copied-");
  Deno.test(`mpm migrate killed at ${point}: a re-run finishes it under one backup, one rollback restores the tree`, async () => {
    await using repo = await withRepo();
    const base = join(repo.path, ".claude-mpm");
    const sessions = join(base, "sessions");
    await copyTree(FIXTURE, sessions);
    const original = await treeState(sessions);
    await killedMigrate(repo, point);
    assert(await exists(join(repo.path, UNFINISHED)), "the killed run left its mark");
    const first = await backups(repo);
    assertEquals(first.length, 1, first.join(", "));

    const again = await repo.run("migrate");
    assertEquals(again.code, 0, again.stderr);
    if (changedNothing) assert(!again.stdout.includes("unfinished"), again.stdout);
    else {
      assertStringIncludes(
        again.stdout.split("\n")[0],
        `Continuing the unfinished migration started `,
      );
      assertStringIncludes(again.stdout, `under its first backup, ${first[0]}`);
    }
    assertEquals((await backups(repo)).length, 1, "no second backup");
    assertEquals(await exists(join(repo.path, UNFINISHED)), false);
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

    // One rollback: the tree as it was before the killed run, byte for byte, modes and times.
    const rollback = await repo.run("migrate", "--rollback");
    assertEquals(rollback.code, 0, rollback.stderr);
    assertStringIncludes(rollback.stdout, "The tree is as it was before the migration;");
    assertEquals(await treeState(sessions), original);
    assertEquals(await backups(repo), []);
    const twice = await repo.run("migrate", "--rollback");
    assertEquals(twice.code, 3, twice.stderr);
    assertStringIncludes(twice.stderr, "no migration to roll back");
  });

  Deno.test(`mpm migrate killed at ${point}: --rollback alone puts everything back`, async () => {
    await using repo = await withRepo();
    const sessions = join(repo.path, ".claude-mpm/sessions");
    await copyTree(FIXTURE, sessions);
    const original = await treeState(sessions);
    await killedMigrate(repo, point);
    const rollback = await repo.run("migrate", "--rollback");
    if (changedNothing) {
      // The backup was not finished and nothing was changed: there is nothing to undo.
      assertEquals(rollback.code, 3, rollback.stderr);
      assertEquals(await treeState(sessions), original);
      return;
    }
    assertEquals(rollback.code, 0, rollback.stderr);
    assertStringIncludes(
      rollback.stdout,
      "The tree is as it was before the unfinished migration's first run;",
    );
    assertEquals(await treeState(sessions), original);
    assertEquals(await exists(join(repo.path, UNFINISHED)), false);
    assertEquals(await backups(repo), []);
  });
}

Deno.test("mpm migrate killed twice, then finished: one rollback restores the tree before the first run", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await copyTree(FIXTURE, sessions);
  const original = await treeState(sessions);
  await killedMigrate(repo, "migrate-step-3");
  await killedMigrate(repo, "migrate-after-sha256");
  assertEquals((await backups(repo)).length, 1);
  const again = await repo.run("migrate", "--json");
  assertEquals(again.code, 0, again.stderr);
  const outcome = JSON.parse(again.stdout);
  assertEquals(outcome.continued.backup, (await backups(repo))[0]);
  assertEquals(await listed(repo), ALL_PAUSED);
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertEquals(await treeState(sessions), original);
});

Deno.test("mpm migrate --rollback picks an unfinished migration's backup over an older completed one", async () => {
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  const copy = (name: string) => Deno.copyFile(join(FIXTURE, name), join(sessions, name));
  await copy("session-20251120-193022.json");
  const done = await repo.run("migrate");
  assertEquals(done.code, 0, done.stderr);
  const [completed] = await backups(repo);
  await copy("session-20260612-091245.json");
  const between = await treeState(sessions);
  await killedMigrate(repo, "migrate-after-sha256");
  const unfinished = (await backups(repo)).find((b) => b !== completed);
  const rollback = await repo.run("migrate", "--rollback", "--json");
  assertEquals(rollback.code, 0, rollback.stderr);
  const report = JSON.parse(rollback.stdout);
  assertEquals([report.unfinished, report.backup.endsWith(unfinished!)], [true, true]);
  assertEquals(await treeState(sessions), between);
  assertEquals(await backups(repo), [completed]);
});

Deno.test("mpm migrate --no-backup killed midway: the re-run makes no backup of the half, rollback refuses", async () => {
  await using repo = await withRepo();
  await copyTree(FIXTURE, join(repo.path, ".claude-mpm/sessions"));
  await killedMigrate(repo, "migrate-step-2", "--no-backup");
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 1);
  assertStringIncludes(rollback.stderr, "was run with --no-backup, so it cannot be rolled back");
  const again = await repo.run("migrate");
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, "without a backup, as it was started (--no-backup)");
  assertEquals(await backups(repo), []);
  assertEquals(await listed(repo), ALL_PAUSED);
});

Deno.test("mpm migrate killed between a claude-mpm session's record and its checksum, in place, heals on the next run", async () => {
  // The record is in sessions/ under the id it keeps: mpm's record replaced claude-mpm's there.
  await using repo = await withRepo();
  const sessions = join(repo.path, ".claude-mpm/sessions");
  await Deno.mkdir(sessions, { recursive: true });
  for (const ext of ["json", "md", "yaml"]) {
    const name = `session-20260305-141503.${ext}`;
    await Deno.copyFile(join(FIXTURE, name), join(sessions, name));
  }
  const original = await treeState(sessions);
  await killedMigrate(repo, "migrate-after-json");
  const again = await repo.run("migrate");
  assertEquals(again.code, 0, again.stderr);
  assertEquals(await listed(repo), ["session-20260305-141503 paused"]);
  const show = await repo.run("show", "session-20260305-141503", "--format", "json");
  assertEquals(show.code, 0, show.stderr);
  const legacy = JSON.parse(show.stdout).mpm.legacy;
  assertEquals([legacy.checksum, legacy.files.length], ["none", 3]);
  assertEquals((await repo.run("migrate", "--rollback")).code, 0);
  assertEquals(await treeState(sessions), original);
});

/** What a full disk throws (as src/disk/files/faults/fault_point.ts words it). */
function diskFull(): Error {
  return Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
}

/** `mpm migrate` in this process, the disk full at the named point (MigrateOptions.failPoint). */
async function migrateFullAt(repo: Repo, point: string) {
  // With the key of the repository's HOME, as a run would: the marker it leaves is sealed.
  useMachineKeyFrom({ HOME: repo.home });
  try {
    return await migrateProject(projectPaths(repo.path), {
      dryRun: false,
      backup: true,
      now: new Date(),
      failPoint: (name) => {
        if (name === point) throw diskFull();
      },
    });
  } finally {
    endRun();
  }
}

for (const point of ["migrate-write-json", "migrate-write-sha256"]) {
  Deno.test(`a full disk at ${point} leaves no checksum naming a record it does not match: the session reads as before`, async () => {
    await using repo = await withRepo();
    const sessions = join(repo.path, ".claude-mpm/sessions");
    await Deno.mkdir(sessions, { recursive: true });
    const id = "session-20260305-141503";
    for (const ext of ["json", "md", "yaml"]) {
      await Deno.copyFile(join(FIXTURE, `${id}.${ext}`), join(sessions, `${id}.${ext}`));
    }
    const original = await treeState(sessions);
    const digests = (state: Record<string, string>) =>
      Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.split(" ")[0]]));

    await assertRejects(() => migrateFullAt(repo, point), /No space left on device/);
    assertEquals(await exists(join(sessions, `${id}.json.sha256`)), false);
    assertEquals(digests(await treeState(sessions)), digests(original));
    assertEquals(await listed(repo), [`${id} paused`]);
    const show = await repo.run("show", id, "--format", "json");
    assertEquals(show.code, 0, show.stderr);
    assertEquals(JSON.parse(show.stdout).mpm.legacy.layout, "claude-mpm-6");

    // Space again: the re-run finishes it under the first backup; a rollback undoes it all.
    const again = await repo.run("migrate");
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "Continuing the unfinished migration");
    assertEquals(await listed(repo), [`${id} paused`]);
    assert(await exists(join(sessions, `${id}.json.sha256`)));
    assertEquals((await repo.run("migrate", "--rollback")).code, 0);
    assertEquals(digests(await treeState(sessions)), digests(original));
  });
}

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
