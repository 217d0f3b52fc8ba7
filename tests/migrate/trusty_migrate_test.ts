/**
 * `mpm migrate` on a trusty-mpm project: `.trusty-mpm/sessions/` copied from
 * tests/fixtures/trusty-mpm (trusty-mpm's real layout), migrated, run again, rolled back.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { copyTree, exists, type Repo, ROOT, withRepo } from "../helpers.ts";
import { sha256Hex } from "../../src/kernel/hashing/checksum.ts";

const FIXTURE = join(ROOT, "tests/fixtures/trusty-mpm/sessions");

/** Every file and folder under `dir` (`.git` left out): digest, mode and modification time. */
async function treeState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  async function walk(at: string, rel: string) {
    for await (const entry of Deno.readDir(at)) {
      if (!rel && entry.name === ".git") continue;
      const path = join(at, entry.name);
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      const info = await Deno.lstat(path);
      const mode = (info.mode! & 0o7777).toString(8);
      if (entry.isDirectory) {
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

const IDS = [
  "session-20250809-010155",
  "session-20250720-104500",
  "session-20250714-064556",
  "session-20250627-100000",
];

Deno.test("mpm migrate: a trusty-mpm project migrates, runs again as a no-op, rolls back byte for byte", async () => {
  await using repo = await withRepo();
  await copyTree(FIXTURE, join(repo.path, ".trusty-mpm", "sessions"));
  const before = await treeState(repo.path);

  const dry = await repo.run("migrate", "--dry-run");
  assertEquals(dry.code, 0, dry.stderr);
  assertStringIncludes(
    dry.stdout,
    "convert     .trusty-mpm/sessions/2eb72dca-de08-481b-8dfa-22ab7f81b1f9/session-20250809-010155.md -> session-20250809-010155 [trusty-mpm-md]",
  );
  assertStringIncludes(dry.stdout, "Dry run: nothing was changed.");
  assertEquals(await treeState(repo.path), before);

  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  const outcome = JSON.parse(run.stdout);
  assertEquals(outcome.counts.converted, 4);
  assertEquals(outcome.counts.removed, 0);
  assert(await exists(join(repo.path, outcome.backup, "manifest.json")), outcome.backup);
  // trusty-mpm's own files are only read: another tool's, which may still be in use.
  for (const [name, value] of Object.entries(before)) {
    if (name.startsWith(".trusty-mpm")) assertEquals((await treeState(repo.path))[name], value);
  }

  const list = JSON.parse((await repo.run("list", "--json", "--limit", "0")).stdout);
  assertEquals(list.map((r: { session_id: string }) => r.session_id), IDS);
  const shown = JSON.parse((await repo.run("show", IDS[0], "--format", "json")).stdout);
  assertEquals(shown.conversation.accomplishments, [
    "Per-session snapshot folders",
    "Log-based attribution for flat snapshots",
  ]);
  assertEquals(shown.todos.active, [{
    content: "Dangling log entries resolve to nothing",
    status: "in_progress",
  }]);
  assertEquals(shown.git_context.branch, "fix/session-crosstalk");
  assertEquals(shown.mpm.key, "tm-2eb72dca-de08-481b-8dfa-22ab7f81b1f9");
  assertEquals(shown.mpm.legacy.tool, "trusty-mpm");
  const fallback = JSON.parse((await repo.run("show", IDS[1], "--format", "json")).stdout);
  assertEquals(fallback.mpm.legacy.tmux_window, "main:2:@7");
  assertEquals(fallback.mpm.key, undefined); // "main:2:@7" is no name a key can take
  assertEquals(
    await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions/LATEST-SESSION.txt")),
    `${IDS[0]}\n`,
  );

  const migrated = await treeState(repo.path);
  const again = await repo.run("migrate", "--json");
  assertEquals(again.code, 0, again.stderr);
  const second = JSON.parse(again.stdout);
  assertEquals([second.changed, second.counts.converted, second.counts.duplicates], [false, 0, 4]);
  assertEquals(await treeState(repo.path), migrated);

  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertEquals(await treeState(repo.path), before);
});

Deno.test("mpm migrate: trusty-mpm beside mpm's own sessions; rollback restores what it replaced", async () => {
  await using repo = await withRepo();
  const pause = await repo.run("pause", "-s", "mpm's own work");
  assertEquals(pause.code, 0, pause.stderr);
  await copyTree(FIXTURE, join(repo.path, ".trusty-mpm", "sessions"));
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const before = {
    sessions: await treeState(sessions),
    trusty: await treeState(join(repo.path, ".trusty-mpm")),
  };
  const run = await repo.run("migrate", "--json");
  assertEquals(run.code, 0, run.stderr);
  assertEquals(JSON.parse(run.stdout).counts.converted, 4);
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertEquals(await treeState(sessions), before.sessions);
  assertEquals(await treeState(join(repo.path, ".trusty-mpm")), before.trusty);
});

/**
 * Migrates the trusty-mpm fixture in `repo`, then archives its older sessions with
 * `mpm prune --keep 1`; returns the tree from before the migration.
 */
async function migrateAndPrune(repo: Repo): Promise<Record<string, string>> {
  await copyTree(FIXTURE, join(repo.path, ".trusty-mpm", "sessions"));
  const before = await treeState(repo.path);
  assertEquals((await repo.run("migrate")).code, 0);
  const prune = await repo.run("prune", "--keep", "1");
  assertEquals(prune.code, 0, prune.stderr);
  return before;
}

Deno.test("mpm migrate after mpm prune: the archived sessions stay imported, once", async () => {
  await using repo = await withRepo();
  await migrateAndPrune(repo);
  const pruned = await treeState(repo.path);
  const again = await repo.run("migrate", "--json");
  assertEquals(again.code, 0, again.stderr);
  const second = JSON.parse(again.stdout);
  assertEquals([second.changed, second.counts.converted, second.counts.duplicates], [false, 0, 4]);
  assertEquals(await treeState(repo.path), pruned);
  const list = JSON.parse((await repo.run("list", "--json", "--limit", "0")).stdout);
  assertEquals(list.map((r: { session_id: string }) => r.session_id), [IDS[0]]);
});

Deno.test("mpm migrate --rollback after mpm prune removes what the migration wrote from the archive too", async () => {
  await using repo = await withRepo();
  const before = await migrateAndPrune(repo);
  const rollback = await repo.run("migrate", "--rollback");
  assertEquals(rollback.code, 0, rollback.stderr);
  assertStringIncludes(
    rollback.stdout,
    `  remove   .claude-mpm/sessions/archive/${IDS[3]}.json\n`,
  );
  // prune's own record of what it did is not the migration's to undo.
  const { ".claude-mpm/": _base, ".claude-mpm/events.jsonl": _events, ...after } = await treeState(
    repo.path,
  );
  assertEquals(after, before);
});

Deno.test("mpm migrate --rollback after mpm prune refuses, changing nothing, when an archived file was edited", async () => {
  await using repo = await withRepo();
  await migrateAndPrune(repo);
  const edited = join(repo.path, `.claude-mpm/sessions/archive/${IDS[3]}.md`);
  await Deno.writeTextFile(edited, "edited\n", { append: true });
  const pruned = await treeState(repo.path);
  const refused = await repo.run("migrate", "--rollback");
  assertEquals(refused.code, 1);
  assertStringIncludes(
    refused.stderr,
    `Cannot roll back: .claude-mpm/sessions/archive/${IDS[3]}.md changed after the migration.`,
  );
  assertEquals(await treeState(repo.path), pruned);
});
