/**
 * The session lifecycle end to end, in real git repositories: `mpm done` and `mpm cancel`,
 * `--reopen`, `list --state`, children on the stack, and `prune` archiving finished work first.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, type Repo, withRepo } from "../../helpers.ts";

async function listed(repo: Repo, ...args: string[]) {
  return JSON.parse((await ok(repo, "list", "--json", ...args)).stdout) as {
    session_id: string;
    name: string | null;
    state: string;
  }[];
}

async function events(repo: Repo) {
  const text = await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl"));
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

async function files(repo: Repo): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(repo.path, ".claude-mpm/sessions"))) names.push(e.name);
  return names.sort();
}

Deno.test("mpm done completes the active session with the person's words; resume passes it over", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "older");
  await ok(repo, "pause", "-s", "older work, paused");
  await ok(repo, "start", "payments");
  await ok(repo, "todo", "add", "refunds");
  await ok(repo, "pause", "-s", "payments half way");
  await ok(repo, "resume", "--no-changes");
  const done = JSON.parse(
    (await ok(repo, "done", "-s", "Payments shipped", "-a", "Stripe wired", "--json")).stdout,
  );
  assertEquals(done.state, "completed");
  assertEquals(done.transition, { from: "active", to: "completed" });
  assertEquals(done.summary, "Payments shipped");
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active, null);
  // Every move is in events.jsonl.
  const moves = (await events(repo)).filter((e) => e.transition).map((e) =>
    `${e.command}:${e.transition.from}>${e.transition.to}`
  );
  assertEquals(moves.slice(-3), [
    "pause:new>paused",
    "resume:paused>active",
    "done:active>completed",
  ]);
  // A plain resume skips the whole finished session (its earlier pause too) and picks "older".
  const resumed = JSON.parse((await ok(repo, "resume", "--json", "--no-changes")).stdout);
  assertEquals(resumed.session.mpm.name, "older");
  // list marks it; --state filters it.
  const human = (await ok(repo, "list")).stdout;
  assertStringIncludes(human, "payments, ✓ completed");
  assertEquals((await listed(repo, "--state", "completed")).map((l) => l.session_id), [
    done.session_id,
  ]);
  assert((await listed(repo, "--state", "paused")).every((l) => l.state === "paused"));
});

Deno.test("mpm done without words carries the last ones, dated as people read times", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await ok(repo, "pause", "-s", "payments half way");
  await ok(repo, "resume", "--no-changes");
  const done = (await ok(repo, "done")).stdout;
  assertStringIncludes(done, "Summary: payments half way");
  // "2026-11-26 07:20:32 UTC", not the stored ISO stamp.
  assert(/your words of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, carried forward/.test(done), done);
});

Deno.test("mpm resume ID on a completed session asks for --reopen, and --reopen brings it back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feature");
  const done = JSON.parse((await ok(repo, "done", "--json")).stdout);
  // Nothing open: a plain resume says so, and changes nothing.
  const before = await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl"));
  const plain = await repo.run("resume", "--no-changes");
  assertEquals(plain.code, 3);
  assertStringIncludes(plain.stderr, "completed or cancelled");
  const named = await repo.run("resume", done.session_id, "--no-changes");
  assertEquals(named.code, 2);
  assertStringIncludes(named.stderr, "--reopen");
  assertEquals(await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl")), before);
  const reopened = await ok(repo, "resume", done.session_id, "--reopen", "--no-changes");
  assertStringIncludes(reopened.stdout, "feature is active again");
  const last = (await events(repo)).at(-1);
  assertEquals(last.transition, { from: "completed", to: "active" });
  // --reopen on an open session is refused in one sentence.
  await ok(repo, "pause", "-s", "again");
  assertEquals((await repo.run("resume", "--reopen", "--no-changes")).code, 2);
});

Deno.test("mpm cancel ends a paused session named by id, keeping the reason; refuses twice", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "spike");
  const paused = JSON.parse((await ok(repo, "pause", "-s", "trying a spike", "--json")).stdout);
  const cancelled = JSON.parse(
    (await ok(
      repo,
      "cancel",
      paused.session_id,
      "--reason",
      "token=sk-abcdefabcdefabcdefabcdefabcdef",
      "--json",
    ))
      .stdout,
  );
  assertEquals(cancelled.state, "cancelled");
  assertEquals(cancelled.transition, { from: "paused", to: "cancelled" });
  // The person's words stay; the reason is kept, redacted.
  assertEquals(cancelled.summary, "trying a spike");
  assertNotIncludes(cancelled.reason, "sk-abcdef");
  assertStringIncludes((await ok(repo, "list")).stdout, "✗ cancelled");
  assertEquals((await listed(repo, "--state", "cancelled")).length, 1);
  const again = await repo.run("cancel", cancelled.session_id);
  assertEquals(again.code, 2);
  assertEquals(again.stderr.trim().split("\n").length <= 2, true);
  // With nothing active and no id: one sentence, exit 3.
  assertEquals((await repo.run("done")).code, 3);
});

Deno.test("done and cancel refuse around children on the stack; return still completes a child", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  await ok(repo, "branch", "hotfix");
  const before = await files(repo);
  const child = await repo.run("done");
  assertEquals(child.code, 1);
  assertStringIncludes(child.stderr, "mpm return");
  const parentId = JSON.parse((await ok(repo, "status", "--json")).stdout).stack[0].snapshot_id;
  const parent = await repo.run("cancel", parentId);
  assertEquals(parent.code, 1);
  assertStringIncludes(parent.stderr, "child session on the stack");
  assertEquals(await files(repo), before);
  await ok(repo, "return", "-s", "fixed");
  const returned = (await events(repo)).at(-1);
  assertEquals(returned.transition, { from: "active", to: "completed" });
  assertEquals(returned.parent_transition, { from: "paused", to: "active" });
  assertEquals(JSON.parse((await ok(repo, "status", "--json")).stdout).active.name, "parent");
  await ok(repo, "done", "-s", "parent finished");
});

Deno.test("list --state with an unknown state is one sentence, exit 2", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "x");
  const bad = await repo.run("list", "--state", "finished");
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "not a session state");
  assertStringIncludes(
    (await ok(repo, "list", "--state", "active")).stdout,
    "No sessions are active",
  );
});

Deno.test("mpm prune archives completed and cancelled work before paused work", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "finished one");
  await ok(repo, "done", "-s", "all done");
  await ok(repo, "start", "given up");
  await ok(repo, "cancel", "--reason", "no longer needed");
  await ok(repo, "start", "open one");
  await ok(repo, "pause", "-s", "open work");
  await ok(repo, "start", "newest");
  await ok(repo, "pause", "-s", "newest work");
  const report = JSON.parse((await ok(repo, "prune", "--keep", "2", "--json")).stdout);
  const archived = report.archived.map((a: { session_id: string }) => a.session_id);
  const byName = await listed(repo, "--all");
  const names = (ids: string[]) =>
    byName.filter((l) => ids.includes(l.session_id)).map((l) => l.name).sort();
  assertEquals(names(archived), ["finished one", "given up"]);
  assertEquals((await listed(repo, "--state", "archived")).length, 2);
  assertEquals((await events(repo)).at(-1).transition, { to: "archived" });
});

Deno.test("mpm resume ID of a snapshot mpm prune archived brings it back, as the lifecycle records", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "older");
  await ok(repo, "pause", "-s", "older work");
  await ok(repo, "start", "newer");
  await ok(repo, "pause", "-s", "newer work");
  const report = JSON.parse((await ok(repo, "prune", "--keep", "1", "--json")).stdout);
  const [id] = report.archived.map((a: { session_id: string }) => a.session_id);
  // Its id, or a prefix of it, names it; an index counts only what `mpm list` shows.
  const resumed = JSON.parse((await ok(repo, "resume", id, "--json", "--no-changes")).stdout);
  assertEquals(resumed.session.mpm.name, "older");
  assertEquals((await events(repo)).at(-1).transition, { from: "archived", to: "active" });
  assertEquals((await repo.run("resume", "5")).code, 3);
});
