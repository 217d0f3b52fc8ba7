/**
 * `mpm return` when the child is paused (Claude Code's SessionEnd pauses it): the child is
 * completed with the person's words, as `mpm done` would; when mpm cannot tell which session it
 * is, words are refused before anything changes, never dropped.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, type Repo, sessionFiles, statusJson, withRepo } from "../../helpers.ts";

/** Every snapshot in the store, oldest first. */
async function snapshots(repo: Repo) {
  return await Promise.all(
    (await sessionFiles(repo.path)).map(async (f) =>
      JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm", "sessions", f)))
    ),
  );
}

async function completedOf(repo: Repo, name: string) {
  return (await snapshots(repo)).filter((s) => s.mpm.name === name && s.mpm.state === "completed");
}

async function lastEvent(repo: Repo) {
  const lines = (await Deno.readTextFile(join(repo.path, ".claude-mpm", "events.jsonl")))
    .trim().split("\n");
  return JSON.parse(lines.at(-1)!);
}

Deno.test("return -s with the child paused completes it with the words", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  await ok(repo, "branch", "hotfix");
  await ok(repo, "pause");
  const out = await ok(repo, "return", "-s", "Fixed the login outage", "-a", "Patched refresh");
  assertStringIncludes(out.stdout, "Completed hotfix (");
  assert(!out.stdout.includes("No active child session"), out.stdout);
  const completed = await completedOf(repo, "hotfix");
  assertEquals(completed.length, 1);
  assertEquals(completed[0].conversation.summary, "Fixed the login outage");
  assertEquals(completed[0].conversation.accomplishments, ["Patched refresh"]);
  assertEquals(completed[0].mpm.depth, 1);
  const event = await lastEvent(repo);
  assertEquals(event.completed, completed[0].session_id);
  assertEquals(event.transition, { from: "paused", to: "completed" });
  assertEquals((await statusJson(repo)).active.name, "feature");
  const list = await ok(repo, "list", "--all");
  assertStringIncludes(list.stdout, "Fixed the login outage");
});

Deno.test("a bare return with the child paused completes it too, its words carried forward", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  await ok(repo, "branch", "hotfix");
  await ok(repo, "pause", "-s", "Found the bad token check");
  const out = await okJson(repo, "return", "--json");
  const completed = await completedOf(repo, "hotfix");
  assertEquals(completed.map((s) => s.session_id), [out.completed]);
  assertEquals(completed[0].conversation.summary, "Found the bad token check");
});

Deno.test("a paused child with no parent session is completed with the words", async () => {
  await using repo = await withRepo();
  await ok(repo, "branch", "hotfix");
  await ok(repo, "pause");
  const out = await okJson(repo, "return", "-s", "Hotfix shipped", "--json");
  assert(out.completed !== null);
  const completed = await completedOf(repo, "hotfix");
  assertEquals(completed[0].conversation.summary, "Hotfix shipped");
  assertEquals((await statusJson(repo)).active, null);
});

Deno.test("two paused sessions that could be the child: return -s refuses, changing nothing, and names `mpm done ID`", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  await ok(repo, "branch", "hotfix");
  await ok(repo, "pause");
  await ok(repo, "start", "hotfix");
  await ok(repo, "pause");
  const before = await sessionFiles(repo.path);
  const refused = await repo.run("return", "-s", "Fixed the login outage");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "mpm will not guess");
  assertStringIncludes(refused.stderr, "`mpm done ID -s TEXT`");
  assertEquals(await sessionFiles(repo.path), before);
  const status = await statusJson(repo);
  assertEquals(status.stack.length, 1);
  assertEquals(status.stack[0].phase ?? "ready", "ready");
});

Deno.test("a child already completed by `mpm done ID`: return -s refuses; a bare return goes back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  await ok(repo, "branch", "hotfix");
  await ok(repo, "pause");
  const child = (await snapshots(repo)).find((s) => s.mpm.name === "hotfix").session_id;
  await ok(repo, "done", child, "-s", "Done by hand");
  const refused = await repo.run("return", "-s", "Fixed the login outage");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "hotfix is completed already");
  assertEquals((await statusJson(repo)).stack.length, 1);
  const out = await ok(repo, "return");
  assertStringIncludes(out.stdout, "feature is active again");
  assertEquals((await completedOf(repo, "hotfix")).length, 1);
});
