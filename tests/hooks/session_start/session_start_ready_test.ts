/**
 * SessionStart made ready (src/hooks/events/ready_start.ts, sessions/store/caches/start_ready.ts):
 * a new conversation's answer is made when work ends and by every start that works it out, and a
 * later start sends it as made, its times as of then, while what it was made from is as it was.
 * Any change to that — the state, a snapshot, a commit, `git add`, the context file, the config,
 * a queued pause, a handoff — and the start works its answer out again. Another machine's
 * answer, another kind of start and the plugin's run never take it.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { readyStart } from "../../../src/hooks/events/ready_start.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";
import { readClaudeSessions } from "../../../src/sessions/store/claude/claude_sessions_store.ts";
import { findTold } from "../../../src/sessions/store/claude/told_store.ts";

const HOUR = 3600_000;

/** A new conversation's payload, its transcript where Claude Code keeps this project's. */
function startPayload(repo: Repo, source = "startup", id = crypto.randomUUID()): string {
  const transcript = join(repo.home, ".claude", "projects", "-project", `${id}.jsonl`);
  return payload("session-start-startup.json", repo, {
    session_id: id,
    source,
    transcript_path: transcript,
  });
}

/** A start worked out in full (in this process, as the hook's command runs it). */
async function fullStart(repo: Repo, at: Date, input = startPayload(repo)): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: input,
    now: () => at,
  });
  assertEquals(result.code, 0, result.stderr);
  return result.stdout;
}

/** What main.ts sends before the command line is parsed; null where the full hook answers. */
function ready(
  repo: Repo,
  at: Date,
  input = startPayload(repo),
  vars: Record<string, string> = {},
): Promise<string | null> {
  return readyStart({
    payload: input,
    vars: { HOME: repo.home, ...vars },
    cwd: repo.path,
    now: at,
  });
}

function contextOf(stdout: string): string {
  return JSON.parse(stdout).hookSpecificOutput.additionalContext;
}

async function pausedRepo(): Promise<Repo> {
  const repo = await withRepo();
  await ok(repo, "start", "Refunds", "--task", "Refund a payment");
  await ok(repo, "pause", "-s", "Wired the refund call", "--next-step", "Handle partial refunds");
  return repo;
}

Deno.test("a new conversation gets the answer made ready, its times as of its start", async () => {
  await using repo = await pausedRepo();
  const made = new Date();
  const first = await fullStart(repo, made);
  assertStringIncludes(contextOf(first), "Handle partial refunds");

  // Two hours on, with nothing changed: the answer made then, told as of now.
  const later = new Date(made.getTime() + 2 * HOUR);
  const id = crypto.randomUUID();
  const sent = await ready(repo, later, startPayload(repo, "startup", id));
  assert(sent !== null, "the start was not made ready");
  const full = await fullStart(repo, later);
  assertEquals(contextOf(sent), contextOf(full));
  assertStringIncludes(contextOf(sent), "2 hours ago");
  assertEquals(JSON.parse(sent).hookSpecificOutput.sessionTitle, "Refunds");

  // What the full start records, recorded: the Claude session under the session, sealed here,
  // and what the text told (a resume of this conversation tells only what changed since).
  useMachineKeyFrom({ HOME: repo.home });
  const paths = projectPaths(repo.path);
  const key =
    JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm/cache/ready.json"))).key;
  const { sessions, foreign } = await readClaudeSessions(paths, key);
  assertEquals(foreign, 0);
  assert(sessions.some((s) => s.id === id), "the sighting was not recorded");
  assert(await findTold(paths, [contextOf(sent)]) !== null, "what it told was not remembered");
});

Deno.test("a ready answer is not sent once anything it was made from changed", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  const changes: [string, () => Promise<unknown>, string][] = [
    ["a todo added", () => ok(repo, "todo", "add", "Refund in two steps"), "Refund in two steps"],
    ["a pause", () => ok(repo, "pause", "-s", "Paused again later"), "Paused again later"],
    ["a commit", () => repo.commit("Add refunds.ts", { "refunds.ts": "x\n" }), "Add refunds.ts"],
    ["git add", async () => {
      await repo.write("staged.ts", "s\n");
      await repo.git("add", "staged.ts");
    }, "1 staged"],
    [
      "a context file made",
      () => repo.write(".claude/context.md", "# Context\nUse cents.\n"),
      "Use cents.",
    ],
    [
      "the context file edited",
      () => repo.write(".claude/context.md", "# Context\nUse pence.\n"),
      "Use pence.",
    ],
    ["the config", () =>
      repo.write(
        ".claude-mpm/config.json",
        JSON.stringify({ session_start: { sources: ["session"] } }),
      ), "Paused again later"],
  ];
  await fullStart(repo, now);
  for (const [what, change, told] of changes) {
    assert(await ready(repo, now) !== null, `not ready before ${what}`);
    await change();
    assertEquals(await ready(repo, now), null, `sent after ${what}`);
    const text = contextOf(await fullStart(repo, now));
    assertStringIncludes(text, told, what);
    const again = await ready(repo, now);
    assert(again !== null, `not made ready again after ${what}`);
    assertEquals(contextOf(again), text, what);
  }
  // The config's sources left the branch part out: the answer made after it has none.
  assert(!contextOf((await ready(repo, now))!).includes("Branch status"));
});

Deno.test("a queued pause or a new handoff makes the next start work its answer out", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  await fullStart(repo, now);
  assert(await ready(repo, now) !== null);
  // A pause queued while the lock was busy: the start folds it in first.
  await Deno.mkdir(join(repo.path, ".claude-mpm", "spool"), { recursive: true });
  await Deno.writeTextFile(join(repo.path, ".claude-mpm", "spool", "queued.json"), "{}\n");
  assertEquals(await ready(repo, now), null);
  await Deno.remove(join(repo.path, ".claude-mpm", "spool"), { recursive: true });
  await fullStart(repo, now);
  assert(await ready(repo, now) !== null);
  await Deno.mkdir(join(repo.path, ".claude-mpm", "handoffs"), { recursive: true });
  assertEquals(await ready(repo, now), null);
});

Deno.test("only a new conversation of the person's own settings takes a ready answer", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  await fullStart(repo, now);
  for (const source of ["resume", "clear", "compact", "fork"]) {
    assertEquals(await ready(repo, now, startPayload(repo, source)), null, source);
  }
  // The plugin's run: the full hook decides what it may write.
  assertEquals(await ready(repo, now, startPayload(repo), { MPM_FROM_PLUGIN: "1" }), null);
  // A transcript somewhere else than the one redaction was checked for: the long way.
  const elsewhere = payload("session-start-startup.json", repo, {
    session_id: crypto.randomUUID(),
    transcript_path: join(repo.home, "elsewhere", "x.jsonl"),
  });
  assertEquals(await ready(repo, now, elsewhere), null);
  // A day later the answer is made afresh.
  assertEquals(await ready(repo, new Date(now.getTime() + 25 * HOUR)), null);
});

Deno.test("a start answered ready is claimed: the plugin's run of the same event says nothing", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  await fullStart(repo, now);
  const input = startPayload(repo);
  assert(await ready(repo, now, input) !== null);
  const twin = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_FROM_PLUGIN: "1" },
    stdin: input,
    now: () => now,
  });
  assertEquals(twin.code, 0, twin.stderr);
  assertEquals(twin.stdout, "");
});

Deno.test("an answer made ready on another machine is never sent (a clone's committed cache)", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  await fullStart(repo, now);
  // The same project under another HOME: another machine's key.
  const other = join(repo.home, "..", "other-home");
  await Deno.mkdir(other, { recursive: true });
  await ok({ ...repo, home: other }, "list");
  assertEquals(await ready({ ...repo, home: other }, now), null);
});

Deno.test("SessionEnd makes the next new conversation's answer ready", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  assertEquals(await ready(repo, now), null);
  const id = crypto.randomUUID();
  const transcript = join(repo.home, ".claude", "projects", "-project", `${id}.jsonl`);
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  await Deno.writeTextFile(transcript, "");
  const end = await mpm(["hook", "session-end"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-end.json", repo, {
      reason: "prompt_input_exit",
      session_id: id,
      transcript_path: transcript,
    }),
    now: () => now,
  });
  assertEquals(end.code, 0, end.stderr);
  const sent = await ready(repo, new Date(now.getTime() + 60_000));
  assert(sent !== null, "SessionEnd made no answer ready");
  assertStringIncludes(contextOf(sent), "Handle partial refunds");
});

Deno.test("mpm hook session-start as a process: a ready answer, and the full hook for the rest", async () => {
  await using repo = await pausedRepo();
  const run = (input: string) =>
    mpm(["hook", "session-start"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin: input,
      spawn: true,
    });
  const first = await run(startPayload(repo));
  assertEquals(first.code, 0, first.stderr);
  const second = await run(startPayload(repo));
  assertEquals(second.code, 0, second.stderr);
  assertEquals(contextOf(second.stdout), contextOf(first.stdout));
  // A resume goes to the full hook, which reads the payload the ready start read already.
  const resumed = await run(startPayload(repo, "resume"));
  assertEquals(resumed.code, 0, resumed.stderr);
  assertStringIncludes(contextOf(resumed.stdout), "Handle partial refunds");
  // A payload that is no JSON: the full hook says so, and Claude Code goes on.
  const bad = await run("not json");
  assertEquals(bad.code, 0);
  assertStringIncludes(bad.stderr, "not valid JSON");
  assertNotEquals(first.stdout, "");
});

Deno.test("a start whose ready answer is out of date is answered in full, its claim taken over", async () => {
  await using repo = await pausedRepo();
  const now = new Date();
  await fullStart(repo, now);
  await ok(repo, "todo", "add", "Refund in two steps");
  // As main.ts runs it: the ready start claims the event while it checks the answer, finds it out
  // of date, and the full hook of the same origin takes the claim over and answers.
  const input = startPayload(repo);
  assertEquals(await ready(repo, now, input), null);
  const full = await fullStart(repo, now, input);
  assertStringIncludes(contextOf(full), "Refund in two steps");
  // And the twin run from the plugin, after both, says nothing.
  const twin = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_FROM_PLUGIN: "1" },
    stdin: input,
    now: () => now,
  });
  assertEquals(twin.stdout, "");
});
