/**
 * SessionEnd when git is slower than the hook's deadline (a large work tree's `git status`): the
 * hook stops git and returns in time, its pause left queued in `spool/` with no lock or temp file
 * behind and state.json still agreeing with the snapshots; the next SessionStart or command
 * completes it — the session's name, todos and Claude session — exactly once.
 *
 * The slow git is a `git` first on PATH that sleeps before `status` and then runs the real one:
 * the slowness is the point here, and nothing else about git is faked.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { loggingGit, mpm, ok, type Repo, testBundle } from "../../helpers.ts";
import { CLAUDE_SESSION, installed, listFiles, payload, snapshots } from "../hooks_helpers.ts";

/** How long the slow git sleeps before `status`: far past any deadline used here. */
const SLOW_SECONDS = 120;

/**
 * The hook's deadline here: room for a loaded machine to reach the queued write before it (the
 * pause is queued before git is asked), and still far inside SLOW_SECONDS.
 */
const DEADLINE_MS = 5_000;

/** A folder holding a `git` that sleeps before `status`, then runs the real git. */
async function slowGit(repo: Repo): Promise<string> {
  // sleep's output goes nowhere, so that a stopped wrapper leaves no pipe open behind it.
  const sleep = `sleep ${SLOW_SECONDS} >/dev/null 2>&1 </dev/null`;
  return (await loggingGit(repo.home, { before: `case " $* " in *" status "*) ${sleep} ;; esac` }))
    .bin;
}

function mpmDir(repo: Repo, ...parts: string[]): string {
  return join(repo.path, ".claude-mpm", ...parts);
}

/** What a stopped writer could leave: the lock, its takeover guard, temp files. */
async function leftovers(repo: Repo): Promise<string[]> {
  return (await listFiles(mpmDir(repo))).filter((file) =>
    /(^|\/)\.lock(\.takeover)?$/.test(file) || /\.tmp$/.test(file)
  );
}

async function events(repo: Repo): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(mpmDir(repo, "events.jsonl"));
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

async function activeSession(repo: Repo): Promise<{ name: string } | null> {
  return JSON.parse(await Deno.readTextFile(mpmDir(repo, "state.json"))).active;
}

/** A session with a name, a todo and uncommitted work, then SessionEnd under the slow git. */
async function endedSlowly(repo: Repo): Promise<string> {
  await ok(repo, "start", "Refund flow");
  await ok(repo, "todo", "add", "Write the refund tests");
  await repo.write("refunds.ts", "export const refunds = [];\n");
  const bin = await slowGit(repo);
  // Made once per test file; not part of the hook's time.
  await testBundle();
  const started = performance.now();
  const end = await mpm(["hook", "session-end"], {
    cwd: repo.path,
    spawn: true,
    stdin: payload("session-end.json", repo),
    env: {
      HOME: repo.home,
      PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      MPM_HOOK_DEADLINE_MS: String(DEADLINE_MS),
    },
  });
  const ms = performance.now() - started;
  assertEquals(end.code, 0, end.stderr);
  assertStringIncludes(end.stderr, "the pause is queued");
  // Stopped, not waited out: git alone would have taken SLOW_SECONDS.
  assert(ms < SLOW_SECONDS * 1000, `SessionEnd waited for git (${Math.round(ms)} ms)`);
  const queued = await listFiles(mpmDir(repo, "spool"));
  assertEquals(queued.length, 1, queued.join(", "));
  assertEquals(await leftovers(repo), []);
  // Nothing half-done: no snapshot, the session still active, no pause recorded.
  assertEquals(await snapshots(repo), []);
  assertEquals((await activeSession(repo))?.name, "Refund flow");
  assert(!(await events(repo)).some((event) => event.command === "pause"));
  return await Deno.readTextFile(mpmDir(repo, "spool", queued[0]));
}

Deno.test("SessionEnd past its deadline queues the pause whole; SessionStart completes it", async () => {
  await using repo = await installed();
  const queued = JSON.parse(await endedSlowly(repo));
  assertEquals(queued.git, null);
  assertEquals(queued.session.name, "Refund flow");

  // The next Claude session starts: its hook folds the queued pause in, with the git of now.
  const start = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-start-startup.json", repo),
  });
  assertEquals(start.code, 0, start.stderr);
  const [snapshot, ...more] = await snapshots(repo);
  assertEquals(more, []);
  assertEquals(snapshot.session_id, queued.snapshot_id);
  assertEquals(snapshot.mpm.name, "Refund flow");
  assertEquals(snapshot.todos.active.map((todo: { content: string }) => todo.content), [
    "Write the refund tests",
  ]);
  assertEquals(snapshot.mpm.claude_session_id, CLAUDE_SESSION);
  assertEquals(snapshot.mpm.auto.trigger, "session-end");
  assertEquals(snapshot.git_context.status.untracked, ["refunds.ts"]);
  assertEquals(await activeSession(repo), null);
  const fold = (await events(repo)).find((event) => event.command === "fold-spool");
  assertEquals((fold?.folded as { snapshot: string }[])[0].snapshot, queued.snapshot_id);
  assertEquals(await listFiles(mpmDir(repo, "spool")), []);
  assertEquals(await leftovers(repo), []);
  assertStringIncludes(start.stdout, "Refund flow");
});

Deno.test("a queued SessionEnd pause is completed by the next command, and never twice", async () => {
  await using repo = await installed();
  const text = await endedSlowly(repo);
  const queued = JSON.parse(text);
  await ok(repo, "todo", "add", "Check partial refunds");
  const [snapshot, ...more] = await snapshots(repo);
  assertEquals(more, []);
  assertEquals(snapshot.session_id, queued.snapshot_id);
  assertEquals(snapshot.mpm.name, "Refund flow");
  assertEquals(await listFiles(mpmDir(repo, "spool")), []);
  // Folded before the todo was added: the todo went on with the paused session.
  assertEquals((await activeSession(repo))?.name, "Refund flow");

  // Stopped after its snapshot was written but before its queued file went: the fold writes no
  // second snapshot under the id, and the file goes.
  await Deno.writeTextFile(
    mpmDir(repo, "spool", "pause-00000000T000000000Z-1-00000000.json"),
    text,
  );
  await ok(repo, "todo", "add", "Refund webhooks");
  assertEquals((await snapshots(repo)).length, 1);
  assertEquals(await listFiles(mpmDir(repo, "spool")), []);
  assertEquals(await leftovers(repo), []);
});

Deno.test("SessionEnd in time saves its pause and leaves nothing queued", async () => {
  await using repo = await installed();
  await ok(repo, "start", "Refund flow");
  await repo.write("refunds.ts", "export const refunds = [];\n");
  const end = await mpm(["hook", "session-end"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload("session-end.json", repo),
  });
  assertEquals(end.code, 0, end.stderr);
  assertEquals(end.stderr, "");
  assertEquals((await snapshots(repo)).map((snapshot) => snapshot.mpm.name), ["Refund flow"]);
  assertEquals(await listFiles(mpmDir(repo, "spool")), []);
  assertEquals(await activeSession(repo), null);
  assertEquals(await leftovers(repo), []);
});
