/**
 * A session keeps what a person gave it — its name, task, template, todos, and Claude's open
 * tasks — across any number of Claude Code exits and starts, until a person changes them; a
 * pause with nothing active goes on with it; the newest snapshot is the one written last, whatever
 * the clock says; and a pause run without HOME is still this machine's. Hook calls in this
 * process, each Claude session by its own id, on a clock the test moves.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { baseEnv, endRun, MAIN, mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { hookEnv, payload, snapshots } from "../../hooks/hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import { dispatch } from "../../../src/commands.ts";
import { runCli } from "../../../src/cli/cli_run.ts";
import type { Env } from "../../../src/cli/env.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** A clock the test moves by hand: `tick()` is a minute later. */
function clock(start = "2025-06-02T09:00:00.000Z") {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    tick: (ms = 60_000) => new Date(at += ms),
    set: (iso: string) => new Date(at = new Date(iso).getTime()),
  };
}

type Clock = ReturnType<typeof clock>;

async function sessionEnd(repo: Repo, time: Clock, claude: string, extra: Json = {}) {
  const stdin = payload("session-end.json", repo, { session_id: claude, ...extra });
  const env = hookEnv(repo, stdin, time.tick());
  const result = await runHook(env, "session-end");
  assertEquals(env.warnings, []);
  return result;
}

async function sessionStart(repo: Repo, time: Clock, claude: string, source = "startup") {
  const stdin = payload("session-start-startup.json", repo, { session_id: claude, source });
  const result = await runHook(hookEnv(repo, stdin, time.tick()), "session-start");
  const output = JSON.parse(result.stdout ?? "{}").hookSpecificOutput ?? {};
  return { context: String(output.additionalContext ?? ""), title: output.sessionTitle };
}

/** `mpm ARGS` at the test's clock. */
async function at(repo: Repo, time: Clock, ...args: string[]) {
  const out = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, now: time.tick });
  assertEquals(out.code, 0, out.stderr);
  return out;
}

Deno.test("a session keeps its name and todos through any number of Claude exits and starts", async () => {
  await using repo = await withRepo();
  const time = clock();
  await at(repo, time, "start", "Refunds", "--task", "Stripe refunds");
  await at(repo, time, "todo", "add", "T1");
  await repo.write("refunds.ts", "export {};\n");
  await sessionEnd(repo, time, "c1");
  const [first] = await snapshots(repo);
  assertEquals([first.mpm.name, first.todos.active.map((t: Json) => t.content)], ["Refunds", [
    "T1",
  ]]);

  const c2 = await sessionStart(repo, time, "c2");
  assertStringIncludes(c2.context, "Refunds");
  await sessionEnd(repo, time, "c2");
  // Nothing changed since c1's exit: nothing is written.
  assertEquals((await snapshots(repo)).length, 1);

  const c3 = await sessionStart(repo, time, "c3");
  assertStringIncludes(c3.context, "Refunds");
  assertStringIncludes(c3.context, "T1");
  assertEquals(c3.title, "Refunds");

  // A change later, another exit: a new snapshot, still of Refunds, with its todo and task.
  await repo.write("more.ts", "export {};\n");
  await sessionEnd(repo, time, "c3", { reason: "clear" });
  const [latest] = await snapshots(repo);
  assertEquals(latest.mpm.name, "Refunds");
  assertEquals(latest.mpm.task, "Stripe refunds");
  assertEquals(latest.mpm.key, first.mpm.key);
  assertEquals(latest.todos.active.map((t: Json) => t.content), ["T1"]);
  const c4 = await sessionStart(repo, time, "c4", "clear");
  assertStringIncludes(c4.context, "T1");
  assertNotIncludes(c4.context, "No open todos");
});

Deno.test("Claude's open tasks come back on a plain start and outlive an exit that saw none", async () => {
  await using repo = await withRepo();
  const time = clock();
  await at(repo, time, "start", "Refunds");
  // c1's own task list, as Claude Code 2.1.330 writes it.
  const tasks = join(repo.home, ".claude", "tasks", "c1");
  await Deno.mkdir(tasks, { recursive: true });
  await Deno.writeTextFile(
    join(tasks, "1.json"),
    JSON.stringify({ id: "1", subject: "Wire the webhook", status: "in_progress" }),
  );
  await sessionEnd(repo, time, "c1");
  const [first] = await snapshots(repo);
  assertEquals(first.mpm.claude_tasks.map((t: Json) => t.content), ["Wire the webhook"]);

  // A plain `claude` start puts them back in its own list.
  await sessionStart(repo, time, "c2");
  const carried = join(repo.home, ".claude", "tasks", "c2");
  const files = [...Deno.readDirSync(carried)].map((e) => e.name);
  assertEquals(files.length, 1);
  assertStringIncludes(Deno.readTextFileSync(join(carried, files[0])), "Wire the webhook");

  // An exit of a conversation whose task list is off (nothing to read) keeps them.
  await repo.write("refunds.ts", "export {};\n");
  await sessionEnd(repo, time, "c9");
  const [latest] = await snapshots(repo);
  assert(latest.session_id !== first.session_id, "the change is written");
  assertEquals(latest.mpm.claude_tasks.map((t: Json) => t.content), ["Wire the webhook"]);
});

Deno.test("mpm pause with nothing active goes on with the newest paused work and says so", async () => {
  await using repo = await withRepo();
  const time = clock();
  await at(repo, time, "start", "Refunds");
  await at(repo, time, "todo", "add", "T1");
  await repo.write("refunds.ts", "export {};\n");
  await sessionEnd(repo, time, "c1");
  const [ended] = await snapshots(repo);

  const paused = await at(repo, time, "pause", "-s", "Refund words", "--no-prune-worktrees");
  const lines = paused.stdout.split("\n").filter((l) => l.includes("continuing the newest work"));
  assertEquals(lines.length, 1, paused.stdout);
  assertStringIncludes(lines[0], "No session was active: continuing the newest work, Refunds");
  const [mine] = await snapshots(repo);
  assertEquals(mine.mpm.key, ended.mpm.key);
  assertEquals([mine.mpm.name, mine.mpm.written_by], ["Refunds", "person"]);
  assertEquals(mine.todos.active.map((t: Json) => t.content), ["T1"]);
  // One line of work in the list, not two; nothing left active.
  const listed = (await ok(repo, "list")).stdout;
  assertEquals(listed.match(/^ {2}\[\d+\]/gm)?.length, 1, listed);
  const json = JSON.parse((await at(repo, time, "pause", "--json", "--no-prune-worktrees")).stdout);
  assertEquals([json.session.name, json.attached], ["Refunds", mine.session_id]);
});

Deno.test("a pause run without HOME is this machine's person's: the next exit carries its words", async () => {
  await using repo = await withRepo();
  const time = clock();
  await at(repo, time, "start", "Refunds");
  // A bare environment (a cron job, a hook runner): no HOME, but the account's home is known.
  const { HOME: _, ...vars } = baseEnv(repo.home);
  let stderr = "";
  const env: Env = {
    cwd: repo.path,
    vars,
    now: time.tick,
    warn: (text) => stderr += text,
    isTTY: false,
    stderrIsTTY: false,
    color: false,
    readStdin: () => Promise.resolve(""),
    execPath: Deno.execPath(),
    mainModule: MAIN,
    accountHome: repo.home,
  };
  const argv = ["pause", "-s", "Words without HOME", "--no-prune-worktrees"];
  const run = await runCli(dispatch, { argv, vars, stderrIsTTY: false, env: () => env })
    .finally(endRun);
  assertEquals(run.code, 0, run.stderr + stderr);
  const [paused] = await snapshots(repo);
  assertEquals(paused.conversation.summary, "Words without HOME");
  assert(typeof paused.mpm.seal === "string", "sealed with this machine's key");

  // With HOME again: the words are the person's, carried by the next automatic snapshot.
  await repo.write("refunds.ts", "export {};\n");
  await sessionEnd(repo, time, "c1");
  const [auto] = await snapshots(repo);
  assertEquals(auto.mpm.carried?.from, paused.session_id);
  assertEquals(auto.conversation.summary, "Words without HOME");
  assertEquals(auto.mpm.name, "Refunds");
});

Deno.test("the newest snapshot is the one written last, with the clock set back", async () => {
  await using repo = await withRepo();
  const time = clock("2025-06-02T12:00:00.000Z");
  await at(repo, time, "pause", "-s", "Older words", "--no-prune-worktrees");
  await at(repo, time, "pause", "-s", "Old words", "--no-prune-worktrees");
  // An NTP step: the clock is now two hours behind what it said.
  time.set("2025-06-02T10:00:00.000Z");
  await at(repo, time, "pause", "-s", "New words", "--no-prune-worktrees");
  await at(repo, time, "pause", "-s", "Newest words", "--no-prune-worktrees");

  const listed = JSON.parse((await at(repo, time, "list", "--json")).stdout);
  assertEquals(listed.map((entry: Json) => entry.summary), [
    "Newest words",
    "New words",
    "Old words",
    "Older words",
  ]);
  assertEquals(listed.map((entry: Json) => entry.index), [0, 1, 2, 3]);
  const shown = JSON.parse((await at(repo, time, "show", "0", "--format", "json")).stdout);
  assertEquals([shown.conversation.summary, shown.mpm.seq], ["Newest words", 4]);
  const resumed = await at(repo, time, "resume", "--no-changes");
  assertStringIncludes(resumed.stdout, "Newest words");
  await at(repo, time, "pause", "--no-prune-worktrees");
  const start = await sessionStart(repo, time, "c1");
  assertStringIncludes(start.context, "Newest words");
  assertNotIncludes(start.context, "Old words");
  const latest = await Deno.readTextFile(
    join(repo.path, ".claude-mpm", "sessions", "LATEST-SESSION.txt"),
  );
  assertEquals(
    latest.trim(),
    JSON.parse((await at(repo, time, "list", "--json")).stdout)[0].session_id,
  );
});
