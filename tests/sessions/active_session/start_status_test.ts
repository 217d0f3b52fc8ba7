/**
 * `mpm start`, `mpm status`, and how pause and resume treat the active session.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, statusJson, withRepo } from "../../helpers.ts";

Deno.test("mpm status --json with nothing: no active session, empty stack, no latest", async () => {
  await using repo = await withRepo();
  assertEquals(await statusJson(repo), {
    active: null,
    stack: [],
    latest: null,
    latest_agent: null,
    orphan_stashes: [],
    kept_stashes: [],
    worktrees: [],
    foreign_state: false,
  });
  const human = await ok(repo, "status");
  assertStringIncludes(human.stdout, "Active: none");
  assertStringIncludes(human.stdout, "Latest pause: none");
  // Reading the status writes nothing.
  await Deno.stat(join(repo.path, ".claude-mpm")).then(
    () => assert(false, "status created .claude-mpm/"),
    () => {},
  );
});

Deno.test("mpm start begins an active session; a second start is refused with a hint", async () => {
  await using repo = await withRepo();
  const out = JSON.parse(
    (await ok(repo, "start", "payments", "--task", "Stripe", "--json")).stdout,
  );
  assertEquals(out.name, "payments");
  assertEquals(out.task, "Stripe");
  assertEquals(out.depth, 0);
  assertEquals(out.parent, null);
  const st = await statusJson(repo);
  assertEquals(st.active.key, out.key);
  const again = await repo.run("start", "other");
  assertEquals(again.code, 1);
  assertStringIncludes(again.stderr, '"payments" is already active');
  assertStringIncludes(again.stderr, "mpm pause");
  assertStringIncludes(again.stderr, "mpm branch");
  assertEquals((await statusJson(repo)).active.key, out.key);
  const human = await ok(repo, "status");
  for (const part of ["Active: payments", "Task:     Stripe", "0 open, 0 done"]) {
    assertStringIncludes(human.stdout, part);
  }
  assertEquals((await repo.run("start", "two\nlines")).code, 2);
});

Deno.test("mpm status shows the latest pause, and start works again after a pause", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  const paused = JSON.parse(
    (await ok(repo, "pause", "-s", "End of day", "--json", "--no-prune-worktrees")).stdout,
  );
  const st = await statusJson(repo);
  assertEquals(st.active, null);
  assertEquals(st.latest, paused.session_id);
  assertStringIncludes((await ok(repo, "status")).stdout, "End of day");
  await ok(repo, "start", "B");
  assertEquals((await statusJson(repo)).active.name, "B");
});

Deno.test("mpm resume refuses to drop an active session with unsaved changes; --force pauses it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "todo", "add", "a1");
  await ok(repo, "pause", "-s", "A saved", "--no-prune-worktrees");
  await ok(repo, "start", "B");
  await ok(repo, "todo", "add", "b1");

  const refused = await repo.run("resume", "--no-changes");
  assertEquals(refused.code, 1);
  assertStringIncludes(refused.stderr, '"B" is active');
  assertStringIncludes(refused.stderr, "mpm pause");
  assertStringIncludes(refused.stderr, "--force");
  assertEquals((await statusJson(repo)).active.name, "B");

  const forced = await ok(repo, "resume", "0", "--no-changes", "--force");
  assertStringIncludes(forced.stdout, "Paused the previously active session");
  let st = await statusJson(repo);
  assertEquals(st.active.name, "A");
  assertEquals(st.active.todos.map((t: { content: string }) => t.content), ["a1"]);
  const list = JSON.parse((await ok(repo, "list", "--json")).stdout);
  assertEquals(list.length, 2);
  const bSaved = JSON.parse(await Deno.readTextFile(join(repo.path, list[0].file)));
  assertEquals(bSaved.mpm.name, "B");
  assertEquals(bSaved.todos.active.map((t: { content: string }) => t.content), ["b1"]);

  // A resumed session with nothing new may be switched away from freely.
  await ok(repo, "resume", "0", "--no-changes");
  st = await statusJson(repo);
  assertEquals(st.active.name, "B");
  assertEquals(st.active.dirty, false);
  assertEquals(st.active.key, bSaved.mpm.key);
});

Deno.test("pause and resume keep the session's key; events.jsonl records every change", async () => {
  await using repo = await withRepo();
  const { key } = JSON.parse((await ok(repo, "start", "A", "--json")).stdout);
  await ok(repo, "pause", "--no-prune-worktrees");
  await ok(repo, "resume", "--no-changes");
  assertEquals((await statusJson(repo)).active.key, key);
  const events = (await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl")))
    .trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(events.map((e) => e.command), ["start", "pause", "resume"]);
  assertEquals(events.map((e) => e.session), [key, key, key]);
  assertEquals(events[1].before.active_key, key);
  assertEquals(events[1].after.active_key, null);
  assertEquals(events[2].after.active_key, key);
});

Deno.test("session commands have help, and status/start are listed in mpm --help", async () => {
  await using repo = await withRepo();
  const help = (await ok(repo, "--help")).stdout;
  for (const c of ["status", "start", "todo", "branch", "return", "template"]) {
    assertStringIncludes(help, `  ${c} `);
  }
  assertStringIncludes((await ok(repo, "branch", "--help")).stdout, "--git-branch B");
  assertStringIncludes((await ok(repo, "return", "--help")).stdout, "--keep-branch");
  assertStringIncludes((await ok(repo, "todo", "add", "--help")).stdout, "TEXT");
  assertStringIncludes((await ok(repo, "resume", "--help")).stdout, "--force");
});
