/**
 * `mpm prune`, run as a user would: snapshots move to sessions/archive/ with their checksums
 * and renderings, the newest and the branch stack stay, `list --all` still shows them.
 */
import { join, relative } from "node:path";
import { buildSnapshot } from "../../../src/sessions/store/session/build_snapshot.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import {
  freshSessionId,
  saveSnapshot,
} from "../../../src/sessions/store/snapshots/save_snapshot.ts";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { type Repo, withRepo } from "../../helpers.ts";
import { writeOwnState } from "../state_helpers.ts";

const DAY = 86_400_000;
const SESSIONS = ".claude-mpm/sessions";

/** A snapshot written as if paused `daysAgo` days ago (its id carries that time). */
async function snapshotAgo(repo: Repo, daysAgo: number, summary = `${daysAgo} days ago`) {
  const now = new Date(Date.now() - daysAgo * DAY);
  const { snapshot } = await saveSnapshot(
    projectPaths(repo.path),
    buildSnapshot({
      summary,
      accomplishments: [],
      nextSteps: [],
      todos: [],
    }, {
      id: freshSessionId(now),
      now,
      git: null,
      projectPath: repo.path,
      version: "0.1.0",
      build: "dev",
    }),
  );
  return snapshot.session_id;
}

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) found.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

/** Every file and folder under `dir`: path, mode and bytes. */
async function treeListing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = join(path, entry.name);
      const info = await Deno.lstat(full);
      const rel = relative(dir, full);
      if (entry.isDirectory) {
        out.push(`${rel}/ ${info.mode! & 0o777}`);
        await walk(full);
      } else {
        out.push(`${rel} ${info.mode! & 0o777} ${await Deno.readTextFile(full)}`);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

async function sha256sumCheck(dir: string, file: string): Promise<number> {
  const out = await new Deno.Command("sha256sum", { args: ["-c", file], cwd: dir, stdout: "null" })
    .output();
  return out.code;
}

Deno.test("mpm prune --keep 2 moves the rest with their files; list --all shows them", async () => {
  await using repo = await withRepo();
  const old = [await snapshotAgo(repo, 9), await snapshotAgo(repo, 8), await snapshotAgo(repo, 7)];
  const kept = await snapshotAgo(repo, 6);
  const pause = await repo.run("pause", "--json", "--no-prune-worktrees", "-s", "today");
  assertEquals(pause.code, 0, pause.stderr);
  const newest = JSON.parse(pause.stdout).session_id;
  // A stale pointer, to see prune fix it.
  await Deno.writeTextFile(join(repo.path, SESSIONS, "LATEST-SESSION.txt"), `${old[0]}\n`);

  const result = await repo.run("prune", "--keep", "2", "--json");
  assertEquals(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assertEquals(report.dry_run, false);
  assertEquals(report.keep, 2);
  assertEquals(
    report.archived.map((a: { session_id: string }) => a.session_id),
    [...old].reverse(),
  );
  assertEquals(report.archived[0].files, [
    `${old[2]}.json.sha256`,
    `${old[2]}.md`,
    `${old[2]}.yaml`,
    `${old[2]}.json`,
  ]);
  assertEquals(report.latest, newest);

  const archive = join(repo.path, SESSIONS, "archive");
  assertEquals(
    await names(archive),
    old.flatMap((id) => [`${id}.json`, `${id}.json.sha256`, `${id}.md`, `${id}.yaml`]).sort(),
  );
  const left = await names(join(repo.path, SESSIONS));
  for (const id of old) assert(!left.some((n) => n.startsWith(id)), `${id} left in sessions/`);
  assert(left.includes(`${kept}.json`) && left.includes(`${newest}.json.sha256`));
  assertEquals(
    (await Deno.readTextFile(join(repo.path, SESSIONS, "LATEST-SESSION.txt"))).trim(),
    newest,
  );
  for (const id of old) assertEquals(await sha256sumCheck(archive, `${id}.json.sha256`), 0);
  assertEquals((await Deno.stat(archive)).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(join(archive, `${old[0]}.json`))).mode! & 0o777, 0o600);

  const all = JSON.parse((await repo.run("list", "--all", "--json")).stdout);
  assertEquals(all.map((s: { session_id: string }) => s.session_id), [
    newest,
    kept,
    ...[...old].reverse(),
  ]);
  assertEquals(all.map((s: { state: string }) => s.state), [
    "paused",
    "paused",
    "archived",
    "archived",
    "archived",
  ]);
  const recent = JSON.parse((await repo.run("list", "--json")).stdout);
  assertEquals(recent.length, 2);
  // An archived snapshot still reads, checksum verified.
  const shown = await repo.run("show", old[0], "--format", "json");
  assertEquals(shown.code, 0, shown.stderr);
  assertEquals(JSON.parse(shown.stdout).conversation.summary, "9 days ago");

  const again = await repo.run("prune", "--keep", "2");
  assertEquals(again.code, 0);
  assertStringIncludes(again.stdout, "Nothing to archive.");
});

Deno.test("mpm prune --older-than never touches the branch stack or the newest", async () => {
  await using repo = await withRepo();
  const ancient = await snapshotAgo(repo, 60);
  const onStack = await snapshotAgo(repo, 50);
  const older = await snapshotAgo(repo, 40);
  const recent = await snapshotAgo(repo, 5);
  const head = (await repo.git("rev-parse", "HEAD")).trim();
  await writeOwnState(
    repo,
    {
      schema_version: 1,
      active: {
        key: "child",
        name: "hotfix",
        task: null,
        template: null,
        started_at: new Date().toISOString(),
        parent: onStack,
        depth: 1,
      },
      stack: [{
        snapshot_id: onStack,
        key: "parent",
        name: "feature",
        git_branch: "main",
        git_head: head,
        stash: null,
        tree: null,
        branched_at: new Date().toISOString(),
      }],
    },
  );
  const result = await repo.run("prune", "--older-than", "30", "--json");
  assertEquals(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assertEquals(report.older_than_days, 30);
  assertEquals(report.keep, null);
  assertEquals(report.archived.map((a: { session_id: string }) => a.session_id), [older, ancient]);
  assertEquals(
    report.kept.map(({ session_id, reason }: Record<string, string>) => ({ session_id, reason })),
    [
      { session_id: recent, reason: "the newest" },
      { session_id: onStack, reason: "on the branch stack" },
    ],
  );
  const left = await names(join(repo.path, SESSIONS));
  assert(left.includes(`${onStack}.json`) && left.includes(`${onStack}.json.sha256`));

  // The newest stays even when it is old itself.
  await using lone = await withRepo();
  const only = await snapshotAgo(lone, 400);
  const text = await lone.run("prune", "--older-than", "1");
  assertEquals(text.code, 0);
  assertStringIncludes(text.stdout, "Nothing to archive.");
  assertStringIncludes(text.stdout, "the newest: 1");
  assert((await names(join(lone.path, SESSIONS))).includes(`${only}.json`));
});

Deno.test("mpm prune --dry-run says what it would archive and changes nothing", async () => {
  await using repo = await withRepo();
  for (const days of [30, 20, 10, 1]) await snapshotAgo(repo, days);
  const base = join(repo.path, ".claude-mpm");
  const before = await treeListing(base);
  const result = await repo.run("prune", "--keep", "1", "--dry-run");
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(
    result.stdout,
    "Would archive 3 snapshots of 3 sessions to .claude-mpm/sessions/archive/:",
  );
  assertEquals(await treeListing(base), before);
  const json = JSON.parse((await repo.run("prune", "--keep", "1", "--dry-run", "--json")).stdout);
  assertEquals(json.dry_run, true);
  assertEquals(json.archived.length, 3);
  assertEquals(await treeListing(base), before);
});

Deno.test("mpm prune: default --keep 50, legacy pause/ untouched, bad flags exit 2, none exit 0", async () => {
  await using repo = await withRepo();
  const none = await repo.run("prune");
  assertEquals(none.code, 0, "nothing to prune is done, not a failure");
  assertStringIncludes(none.stdout, "Nothing to prune: No paused sessions");
  const noneJson = await repo.run("prune", "--json");
  assertEquals([noneJson.code, JSON.parse(noneJson.stdout)], [0, {
    dry_run: false,
    keep: 50,
    older_than_days: null,
    archived: [],
    kept: [],
    skipped: [],
    latest: null,
  }]);
  const legacy = join(repo.path, SESSIONS, "pause");
  await Deno.mkdir(legacy, { recursive: true });
  await Deno.writeTextFile(
    join(legacy, "session-20200101-000000.json"),
    JSON.stringify({ session_id: "session-20200101-000000", conversation: { summary: "old" } }),
  );
  for (const days of [3, 2, 1]) await snapshotAgo(repo, days);
  const result = await repo.run("prune");
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "Nothing to archive.");
  assertStringIncludes(result.stdout, "Default: --keep 50");
  const pruned = await repo.run("prune", "--older-than", "0");
  assertEquals(pruned.code, 0);
  assertStringIncludes(pruned.stdout, "Archived 2 snapshots of 2 sessions");
  assertEquals(await names(legacy), ["session-20200101-000000.json"]);
  for (const bad of [["--keep", "0"], ["--keep", "x"], ["--older-than", "-1"]]) {
    assertEquals((await repo.run("prune", ...bad)).code, 2, bad.join(" "));
  }
});

Deno.test("mpm prune never overwrites a different file already in the archive", async () => {
  await using repo = await withRepo();
  const clash = await snapshotAgo(repo, 10);
  const fine = await snapshotAgo(repo, 9);
  await snapshotAgo(repo, 1);
  const archive = join(repo.path, SESSIONS, "archive");
  await Deno.mkdir(archive, { recursive: true });
  await Deno.writeTextFile(join(archive, `${clash}.md`), "someone else's notes\n");
  const result = await repo.run("prune", "--keep", "1", "--json");
  assertEquals(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assertEquals(report.archived.map((a: { session_id: string }) => a.session_id), [fine]);
  assertEquals(report.skipped, [{
    session_id: clash,
    reason: `the archive already holds a different ${clash}.md`,
    // Written here without this machine's seal, it reads as written elsewhere.
    line: `elsewhere:${clash}`,
  }]);
  assertEquals(await Deno.readTextFile(join(archive, `${clash}.md`)), "someone else's notes\n");
  // The clashing snapshot is whole where it was, and nothing of it was left in the archive.
  const left = await names(join(repo.path, SESSIONS));
  for (const ext of [".json", ".json.sha256", ".md", ".yaml"]) assert(left.includes(clash + ext));
  assertEquals((await names(archive)).filter((n) => n.startsWith(clash)), [`${clash}.md`]);
  assertEquals((await repo.run("show", clash)).code, 0);
});
