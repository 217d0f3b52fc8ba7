/**
 * `mpm todo` as a user runs it: numbering, ad-hoc sessions, redaction, the lock under
 * concurrency, and a damaged state.json.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";

async function rows(repo: Repo) {
  return JSON.parse((await ok(repo, "todo", "list", "--json")).stdout);
}

const statePath = (repo: Repo) => join(repo.path, ".claude-mpm/state.json");

Deno.test("mpm todo add with no active session starts an ad-hoc one and says so", async () => {
  await using repo = await withRepo();
  const first = await ok(repo, "todo", "add", "Write", "the", "migration");
  assertStringIncludes(first.stdout, "Started an ad-hoc session");
  assertStringIncludes(first.stdout, "1. [ ] Write the migration");
  const second = await ok(repo, "todo", "add", "Run it");
  assertNotIncludes(second.stdout, "ad-hoc");
  const status = JSON.parse((await ok(repo, "status", "--json")).stdout);
  assertEquals(status.active.adhoc, true);
  assertEquals(status.active.todos.length, 2);
  // .claude-mpm/ is kept out of git status from the first command on.
  assertEquals(await repo.git("status", "--porcelain"), "");
});

Deno.test("mpm todo done / undo / rm / list number todos as list shows them", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "work");
  for (const t of ["one", "two", "three"]) await ok(repo, "todo", "add", t);
  assertStringIncludes((await ok(repo, "todo", "done", "2")).stdout, "Done: 2. [x] two");
  assertStringIncludes((await ok(repo, "todo", "done", "2")).stdout, "Already done");
  let list = await rows(repo);
  assertEquals(list.map((r: { index: number; status: string }) => `${r.index}:${r.status}`), [
    "1:pending",
    "2:completed",
    "3:pending",
  ]);
  assert(list[1].completed_at !== null);
  await ok(repo, "todo", "undo", "2");
  await ok(repo, "todo", "rm", "1");
  list = await rows(repo);
  // The others keep their numbers: a removal shifts nothing.
  assertEquals(list.map((r: { index: number; content: string }) => `${r.index}:${r.content}`), [
    "2:two",
    "3:three",
  ]);
  assertEquals(list[0].status, "pending");
  const human = await ok(repo, "todo");
  assertStringIncludes(human.stdout, "work: 2 open, 0 done");
  assertStringIncludes(human.stdout, "2. [ ] two");
  assertEquals((await repo.run("todo", "done", "1")).code, 3);

  assertEquals((await repo.run("todo", "done", "7")).code, 3);
  assertEquals((await repo.run("todo", "rm", "x")).code, 2);
  assertEquals((await repo.run("todo", "done")).code, 2);
  assertEquals((await repo.run("todo", "add", "   ")).code, 2);
});

Deno.test("mpm todo on no session: list is empty, done is exit 3", async () => {
  await using repo = await withRepo();
  assertEquals(await rows(repo), []);
  assertStringIncludes((await ok(repo, "todo", "list")).stdout, "No session to list");
  const done = await repo.run("todo", "done", "1");
  assertEquals(done.code, 3);
  assertStringIncludes(done.stderr, "mpm todo add");
});

Deno.test("mpm todo list with nothing active lists the todos done and add go on with, and leaves them paused", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Refunds");
  await ok(repo, "todo", "add", "one");
  await ok(repo, "todo", "add", "two");
  await ok(repo, "pause", "-s", "half way");
  const listed = await ok(repo, "todo", "list");
  assertStringIncludes(listed.stdout, "No session is active: these are the newest paused work's");
  assertStringIncludes(listed.stdout, "Refunds: 2 open, 0 done");
  assertEquals((await rows(repo)).map((r: { content: string }) => r.content), ["one", "two"]);
  // Listing changed nothing: still paused, and `done 2` is the same todo it showed.
  assertEquals(JSON.parse((await ok(repo, "status", "--json")).stdout).active, null);
  assertStringIncludes((await ok(repo, "todo", "done", "2")).stdout, "Done: 2. [x] two");
});

Deno.test("a todo's text and a task reach the terminal without escape sequences", async () => {
  await using repo = await withRepo();
  const started = await ok(repo, "start", "Escapes", "--task", "t\u001b[2Jask");
  assertStringIncludes(started.stdout, "Task: task");
  await ok(repo, "todo", "add", "make \u001b[31mred\u001b[0m text");
  for (const args of [["status"], ["todo", "list"], ["todo", "done", "1"], ["todo", "rm", "1"]]) {
    const out = (await ok(repo, ...args)).stdout;
    assertNotIncludes(out, "\u001b", args.join(" "));
  }
  assertStringIncludes((await ok(repo, "status")).stdout, "Task:     task");
});

Deno.test("mpm pause saves the todos in todos.active|completed; mpm resume brings them back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments", "--task", "Stripe");
  await ok(repo, "todo", "add", "open one");
  await ok(repo, "todo", "add", "done one");
  await ok(repo, "todo", "done", "2");
  const paused = JSON.parse(
    (await ok(repo, "pause", "-s", "eod", "--todo", "from flag", "--json", "--no-prune-worktrees"))
      .stdout,
  );
  assertEquals(paused.session.name, "payments");
  const record = JSON.parse(await Deno.readTextFile(paused.files.json));
  assertEquals(record.todos.active.map((t: { content: string }) => t.content), [
    "open one",
    "from flag",
  ]);
  assertEquals(record.todos.completed.map((t: { content: string }) => t.content), ["done one"]);
  assertEquals(record.mpm.name, "payments");
  assertEquals(record.mpm.task, "Stripe");
  assertEquals(record.mpm.state, "paused");
  assertEquals(JSON.parse((await ok(repo, "status", "--json")).stdout).active, null);

  const resumed = await ok(repo, "resume", "--no-changes");
  assertStringIncludes(resumed.stdout, "payments is active again");
  // Numbers survive the pause and resume: the done todo is still 2, the flag's todo 3.
  const list = await rows(repo);
  assertEquals(
    list.map((r: { index: number; content: string; status: string }) =>
      `${r.index}:${r.content}:${r.status}`
    ),
    ["1:open one:pending", "2:done one:completed", "3:from flag:pending"],
  );
  assertStringIncludes((await ok(repo, "todo", "done", "3")).stdout, "Done: 3. [x] from flag");
  await ok(repo, "pause", "-s", "again", "--no-prune-worktrees");
  await ok(repo, "resume", "--no-changes");
  assertEquals((await rows(repo)).map((r: { index: number }) => r.index), [1, 2, 3]);
  assertStringIncludes((await ok(repo, "todo", "undo", "2")).stdout, "Open again: 2. [ ] done one");
});

Deno.test("secrets in todos, names and tasks never reach state.json", async () => {
  await using repo = await withRepo();
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  await ok(repo, "start", `deploy ${token}`, "--task", `use ${token}`);
  const added = await ok(
    repo,
    "todo",
    "add",
    `call https://admin:s3cretPass@example.com/x with ${token}`,
  );
  // What the person is told was added is what was kept.
  assertNotIncludes(added.stdout, token);
  assertStringIncludes(added.stdout, "Added: 1. [ ] call https://admin:");
  const json = await ok(repo, "todo", "add", "--json", `then ${token}`);
  assertNotIncludes(json.stdout, token);
  assertStringIncludes(JSON.parse(json.stdout).todo.content, "then [REDACTED");
  const text = await Deno.readTextFile(statePath(repo));
  assertNotIncludes(text, token);
  assertNotIncludes(text, "s3cretPass");
  assertStringIncludes(text, "[REDACTED");
  const events = await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl"));
  assertNotIncludes(events, token);
});

Deno.test("16 mpm todo add started at once leave exactly 16 todos", async () => {
  await using repo = await withRepo();
  const texts = Array.from({ length: 16 }, (_, i) => `todo ${i}`);
  // Processes, so that the sixteen really race for the lock.
  const results = await Promise.all(texts.map((t) => repo.spawn("todo", "add", t)));
  for (const r of results) assertEquals(r.code, 0, r.stderr);
  assertEquals(results.filter((r) => r.stdout.includes("ad-hoc")).length, 1);
  const list = await rows(repo);
  assertEquals(list.length, 16);
  assertEquals(list.map((r: { content: string }) => r.content).sort(), [...texts].sort());
  const events = (await Deno.readTextFile(join(repo.path, ".claude-mpm/events.jsonl")))
    .trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(events.length, 16);
  assertEquals(new Set(events.map((e) => e.session)).size, 1);
  await Deno.stat(join(repo.path, ".claude-mpm/.lock")).then(
    () => assert(false, "the lock was left behind"),
    () => {},
  );
});

Deno.test("a live lock makes mpm wait, then fail naming the holder's pid; a dead one is taken over", async () => {
  await using repo = await withRepo();
  await ok(repo, "todo", "add", "first");
  const before = await Deno.readTextFile(statePath(repo));
  const lock = join(repo.path, ".claude-mpm/.lock");
  await Deno.writeTextFile(lock, JSON.stringify({ pid: Deno.pid, command: "test" }) + "\n");
  const env = { HOME: repo.home, MPM_LOCK_WAIT_MS: "300" };
  const started = Date.now();
  const held = await mpm(["todo", "add", "blocked"], { cwd: repo.path, env });
  assertEquals(held.code, 1);
  assertStringIncludes(held.stderr, String(Deno.pid));
  assert(Date.now() - started >= 300, "it did not wait");
  assertEquals(await Deno.readTextFile(statePath(repo)), before);
  assertEquals(await Deno.readTextFile(lock).then((t) => JSON.parse(t).pid), Deno.pid);

  const gone = new Deno.Command("true").spawn();
  await gone.status;
  await Deno.writeTextFile(lock, JSON.stringify({ pid: gone.pid }) + "\n");
  const taken = await mpm(["todo", "add", "after stale"], { cwd: repo.path, env });
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals((await rows(repo)).length, 2);
});

Deno.test("a state.json damaged by hand is exit 4 with its path and is never overwritten", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "A");
  await ok(repo, "pause", "-s", "saved", "--no-prune-worktrees");
  for (
    const damaged of [
      "{ not json",
      JSON.stringify({ schema_version: 1, active: 5, stack: [] }),
      JSON.stringify({ schema_version: 1, active: null, stack: [{ snapshot_id: 1 }] }),
    ]
  ) {
    await Deno.writeTextFile(statePath(repo), damaged);
    for (
      const args of [
        ["status"],
        ["todo", "add", "x"],
        ["todo", "list"],
        ["start", "B"],
        ["branch", "b"],
        ["return"],
        ["pause", "-s", "x", "--no-prune-worktrees"],
        ["resume", "--no-changes"],
      ]
    ) {
      const result = await repo.run(...args);
      assertEquals(result.code, 4, `${args.join(" ")} on ${damaged}: ${result.stderr}`);
      assertStringIncludes(result.stderr, ".claude-mpm/state.json");
      assertEquals(await Deno.readTextFile(statePath(repo)), damaged);
    }
  }
  const newer = JSON.stringify({ schema_version: 9, active: null, stack: [] });
  await Deno.writeTextFile(statePath(repo), newer);
  const future = await repo.run("status");
  assertEquals(future.code, 4);
  assertStringIncludes(future.stderr, "newer mpm");
});

Deno.test("mpm todo add --help shows TEXT as required; without it, exit 2", async () => {
  await using repo = await withRepo();
  const help = await ok(repo, "todo", "add", "--help");
  assertStringIncludes(help.stdout, "Usage: mpm todo add TEXT... [options]\n");
  const empty = await repo.run("todo", "add");
  assertEquals(empty.code, 2);
  assertStringIncludes(empty.stderr, "A todo needs some text.");
});
