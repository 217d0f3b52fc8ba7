/**
 * What lies in `.claude-mpm/` may be anything: a FIFO or a link to a device where mpm expects
 * its own file must not hang a command or a hook, nor be read without end. Each is refused as
 * a file that failed its checks (exit 4, or marked unreadable), in bounded time.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { hangGuard, mpm, ok, type Repo, withRepo } from "../helpers.ts";

async function mkfifo(path: string): Promise<boolean> {
  const made = await new Deno.Command("mkfifo", { args: [path] }).output().catch(() => null);
  return made?.success ?? false;
}

/** Runs mpm and fails the test (instead of hanging it) when it is still running at the guard. */
function bounded(repo: Repo, ...args: string[]) {
  return hangGuard(
    mpm(args, { cwd: repo.path, env: { HOME: repo.home } }),
    `mpm ${args.join(" ")}`,
  );
}

async function pausedTwice(): Promise<{ repo: Repo & AsyncDisposable; ids: string[] }> {
  const repo = await withRepo();
  await ok(repo, "pause", "-s", "first", "--no-prune-worktrees");
  await ok(repo, "pause", "-s", "second", "--no-prune-worktrees");
  const list = JSON.parse((await ok(repo, "list", "--json")).stdout);
  return { repo, ids: list.map((entry: { session_id: string }) => entry.session_id) };
}

Deno.test("a FIFO checksum or state file: list, show, status and SessionStart answer, none hangs", async () => {
  const { repo, ids } = await pausedTwice();
  await using _ = repo;
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  await Deno.remove(join(sessions, `${ids[0]}.json.sha256`));
  if (!await mkfifo(join(sessions, `${ids[0]}.json.sha256`))) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  const list = await bounded(repo, "list");
  assertEquals(list.code, 0, list.stderr);
  assertStringIncludes(list.stdout, "first");
  assertStringIncludes(list.stdout, "unreadable");
  const show = await bounded(repo, "show", ids[0]);
  assertEquals(show.code, 4, show.stderr);
  assertStringIncludes(show.stderr, "not a regular file");

  const state = join(repo.path, ".claude-mpm", "state.json");
  await Deno.remove(state).catch(() => {});
  assert(await mkfifo(state));
  const status = await bounded(repo, "status");
  assertEquals(status.code, 4, status.stdout + status.stderr);
  assertStringIncludes(status.stderr, "not a regular file");
  const start = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: "s1",
      transcript_path: join(repo.home, "none.jsonl"),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    }),
  });
  assertEquals(start.code, 0, start.stderr);
});

Deno.test("a state file that links to /dev/zero is refused, not read without end", async () => {
  const { repo } = await pausedTwice();
  await using _ = repo;
  const state = join(repo.path, ".claude-mpm", "state.json");
  await Deno.remove(state).catch(() => {});
  await Deno.symlink("/dev/zero", state);
  const status = await bounded(repo, "status");
  assertEquals(status.code, 4, status.stderr);
  assertStringIncludes(status.stderr, "not a regular file");
});

Deno.test("a FIFO where mpm appends its event log: the command answers instead of waiting", async () => {
  const { repo } = await pausedTwice();
  await using _ = repo;
  const events = join(repo.path, ".claude-mpm", "events.jsonl");
  await Deno.remove(events).catch(() => {});
  if (!await mkfifo(events)) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  const todo = await bounded(repo, "todo", "add", "check refunds");
  assert([0, 4].includes(todo.code), todo.stderr);
  assert(!todo.stderr.includes("unexpected failure"), todo.stderr);
  // Refused before anything changes: no snapshot is saved for a pause that then reports failure.
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  const before = (await Array.fromAsync(Deno.readDir(sessions))).length;
  const pause = await bounded(repo, "pause", "-s", "third");
  assertEquals(pause.code, 4, pause.stderr);
  assertStringIncludes(pause.stderr, "events.jsonl: it is not a regular file");
  assertEquals((await Array.fromAsync(Deno.readDir(sessions))).length, before);
  const doctor = await bounded(repo, "doctor");
  assertEquals(doctor.code, 1, doctor.stdout);
  assertStringIncludes(doctor.stdout, ".claude-mpm/events.jsonl is not a regular file");
});

Deno.test("a FIFO in place of LATEST-SESSION.txt: a pause saves its snapshot whole and replaces it", async () => {
  const { repo } = await pausedTwice();
  await using _ = repo;
  const latest = join(repo.path, ".claude-mpm", "sessions", "LATEST-SESSION.txt");
  await Deno.remove(latest);
  if (!await mkfifo(latest)) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  const pause = await bounded(repo, "pause", "-s", "third", "--json");
  assertEquals(pause.code, 0, pause.stderr);
  const id = JSON.parse(pause.stdout).session_id;
  for (const ext of [".json", ".json.sha256", ".md", ".yaml"]) {
    assert((await Deno.lstat(join(repo.path, ".claude-mpm", "sessions", id + ext))).isFile, ext);
  }
  assertEquals(await Deno.readTextFile(latest), `${id}\n`);
});

Deno.test("a file where mpm keeps a folder: one sentence from each command, and doctor names the move", async () => {
  await using repo = await withRepo();
  await Deno.writeTextFile(join(repo.path, ".claude-mpm"), "not a folder\n");
  for (const args of [["status"], ["todo", "list"], ["pause", "-s", "x"]]) {
    const out = await repo.run(...args);
    assertEquals(out.code, 1, `${args.join(" ")}: ${out.stderr}`);
    assert(!out.stderr.includes("unexpected failure"), out.stderr);
    assert(!out.stderr.includes("os error"), out.stderr);
  }
  assertStringIncludes((await repo.run("status")).stderr, "a file stands where one of its folders");
  const doctor = await repo.run("doctor");
  assertEquals(doctor.code, 1, doctor.stderr);
  assertStringIncludes(doctor.stdout, ".claude-mpm is a file where mpm keeps a folder");
  assertStringIncludes(doctor.stdout, "mv ");
  assert(!doctor.stdout.includes("chmod 600"), doctor.stdout);
});

Deno.test("a file where sessions/ should be: list, resume and SessionStart say so instead of 'no sessions'", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "before");
  const sessions = join(repo.path, ".claude-mpm", "sessions");
  await Deno.rename(sessions, `${sessions}.moved`);
  await Deno.writeTextFile(sessions, "not a folder\n");
  for (const args of [["list"], ["resume"], ["show", "1"]]) {
    const out = await repo.run(...args);
    assertEquals(out.code, 1, `${args.join(" ")}: ${out.stderr}`);
    assertStringIncludes(out.stderr, ".claude-mpm/sessions cannot be reached");
    assert(!out.stderr.includes("No paused sessions"), out.stderr);
  }
  const json = await repo.run("list", "--json");
  assertEquals(json.code, 1);
  assertStringIncludes(JSON.parse(json.stdout).error.message, "a file stands where");
  const start = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: "4f1d2c3b-0000-4000-8000-000000000001",
      transcript_path: join(repo.home, "none.jsonl"),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    }),
  });
  assertEquals(start.code, 1, start.stderr);
  assertStringIncludes(start.stderr, ".claude-mpm/sessions cannot be reached");
  assert(!start.stderr.includes("os error"), start.stderr);
  // doctor still runs every check, and its layout check names the move.
  const doctor = await repo.run("doctor");
  assertEquals(doctor.code, 1, doctor.stderr);
  assertStringIncludes(doctor.stdout, ".claude-mpm/sessions is a file where mpm keeps a folder");
});
