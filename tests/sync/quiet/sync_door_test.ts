/**
 * The quiet door (src/sync/quiet/sync_door.ts, tried by main.ts) prints what the full run printed,
 * with no git but `ls-remote`; what it cannot vouch for goes the full way, and nothing the full run
 * would move is left behind. Every run is a process of the test bundle; MPM_DEBUG=1 makes the door
 * say on stderr that it answered.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import {
  git,
  loggingGit,
  mpm,
  okJson,
  type Repo,
  type RunResult,
  withClones,
} from "../../helpers.ts";
import { settled } from "./settled.ts";

const DOOR = "answered by the quiet sync door";

/** `mpm ARGS` in `repo` as a process; `path`: a PATH of its own (a git that logs its calls). */
function spawned(repo: Repo, args: string[], path?: string): Promise<RunResult> {
  const env: Record<string, string> = { HOME: repo.home, MPM_DEBUG: "1" };
  if (path !== undefined) env.PATH = path;
  return mpm(args, { cwd: repo.path, env, spawn: true });
}

async function pause(repo: Repo, words: string): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;
}

const byDoor = (run: RunResult) => run.stderr.includes(DOOR);

const doorFile = (repo: Repo) => join(repo.path, ".claude-mpm", "cache", "sync-door.json");

/**
 * Runs `args` without the door's record until the door answers (a full run keeps the quiet
 * answer, the next one keeps it for the door): the last full run and the door's, which must print
 * the same.
 */
async function throughDoor(repo: Repo, args: string[]): Promise<[RunResult, RunResult]> {
  await Deno.remove(doorFile(repo)).catch(() => {});
  let full = await spawned(repo, args);
  assert(!byDoor(full), `the first ${args.join(" ")} cannot be the door's`);
  for (let n = 0; n < 3; n++) {
    const next = await spawned(repo, args);
    if (byDoor(next)) return [full, next];
    full = next;
  }
  throw new Error(`mpm ${args.join(" ")} never came in by the door: ${full.stderr}`);
}

/** The snapshot files on the remote's refs/mpm/sessions. */
async function onRemote(remote: string): Promise<string[]> {
  const listed = await git(remote, "ls-tree", "-r", "--name-only", "refs/mpm/sessions");
  return listed.split("\n").filter((p) => p.startsWith("sessions/") && p.endsWith(".json"));
}

Deno.test("a sync with nothing new comes in by the door, printing what the full run did", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await pause(a, "The refunds table");
  await pause(a, "The refunds route");
  const pushed = await spawned(a, ["sync", "push"]);
  assertEquals(pushed.code, 0, pushed.stderr);
  await settled(a);

  const [fullPush, doorPush] = await throughDoor(a, ["sync", "push"]);
  assertEquals([doorPush.code, doorPush.stdout], [fullPush.code, fullPush.stdout]);
  assertStringIncludes(doorPush.stdout, "Nothing to push: origin has everything");
  const [fullJson, doorJson] = await throughDoor(a, ["sync", "push", "--json"]);
  assertEquals([doorJson.code, doorJson.stdout], [fullJson.code, fullJson.stdout]);
  assertEquals(JSON.parse(doorJson.stdout).in_both, 2);

  const [fullPull, doorPull] = await throughDoor(a, ["sync", "pull"]);
  assertEquals([doorPull.code, doorPull.stdout], [fullPull.code, fullPull.stdout]);
  assertStringIncludes(
    doorPull.stdout,
    "Nothing to import: this project has everything on origin.",
  );
  // The text and the JSON are kept together: either form comes in by the door.
  const json = await spawned(a, ["sync", "pull", "--json"]);
  assert(byDoor(json), json.stderr);
  assertEquals(JSON.parse(json.stdout).imported, []);

  // What the door runs of git: the one question to the remote; the config and the refs are read
  // from their files.
  const { bin, log } = await loggingGit(a.home);
  const counted = await spawned(a, ["sync", "pull"], `${bin}:${Deno.env.get("PATH") ?? ""}`);
  assert(byDoor(counted), counted.stderr);
  const calls = (await Deno.readTextFile(log)).trim().split("\n");
  const asked = calls.map((line) => line.split(" ").find((w) => /^[a-z][a-z-]+$/.test(w)));
  assertEquals(asked, ["ls-remote"], calls.join("\n"));

  // A status right after them: nothing moves either way, by the door too; a pause opens it.
  const [fullStatus, doorStatus] = await throughDoor(a, ["sync", "status", "--json"]);
  assertEquals([doorStatus.code, doorStatus.stdout], [fullStatus.code, fullStatus.stdout]);
  assertEquals(JSON.parse(doorStatus.stdout).counts, { local_only: 0, remote_only: 0, in_both: 2 });
  const mine = await pause(a, "The refunds migration");
  const after = await spawned(a, ["sync", "status", "--json"]);
  assert(!byDoor(after), after.stderr);
  assertEquals(JSON.parse(after.stdout).local_only.map((m: { id: string }) => m.id), [mine]);
});

Deno.test("the door leaves nothing behind: a later pause is pushed, a teammate's push pulled", async () => {
  await using clones = await withClones();
  const { a, b, remote } = clones;
  await pause(a, "The ledger schema");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  await settled(a);
  await throughDoor(a, ["sync", "push"]);
  await throughDoor(a, ["sync", "pull"]);

  // A pause after the last sync: the folder changed, the full run pushes it.
  const mine = await pause(a, "The ledger export");
  const push = await spawned(a, ["sync", "push"]);
  assert(!byDoor(push), push.stderr);
  assertStringIncludes(push.stdout, "Pushed 1 snapshot to origin");
  assert((await onRemote(remote)).some((p) => p.includes(mine)), "the pause was not pushed");

  // A teammate's push after A's door was set up again: A's pull imports it.
  await settled(a);
  await throughDoor(a, ["sync", "pull"]);
  assertEquals((await spawned(b, ["sync", "pull"])).code, 0);
  const theirs = await pause(b, "Bob's refund retries");
  assertEquals((await spawned(b, ["sync", "push"])).code, 0);
  const pull = await spawned(a, ["sync", "pull", "--json"]);
  assert(!byDoor(pull), pull.stderr);
  assertEquals(JSON.parse(pull.stdout).imported.map((m: { id: string }) => m.id), [theirs]);
});

Deno.test("a remote rewritten goes the full way: what it lost is pushed again", async () => {
  await using clones = await withClones();
  const { a, remote } = clones;
  await pause(a, "The payouts job");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  const before = (await git(remote, "rev-parse", "refs/mpm/sessions")).trim();
  const mine = await pause(a, "The payouts retry");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  await settled(a);
  await throughDoor(a, ["sync", "push"]);

  // The remote's ref set back past A's last push, as a force-push by someone else would.
  await git(remote, "update-ref", "refs/mpm/sessions", before);
  const push = await spawned(a, ["sync", "push"]);
  assert(!byDoor(push), push.stderr);
  assertStringIncludes(push.stdout, "Pushed 1 snapshot to origin");
  assert((await onRemote(remote)).some((p) => p.includes(mine)), "the lost pause was not pushed");

  // Rewritten to another commit of the same files: nothing to move, but the door cannot know.
  await settled(a);
  await throughDoor(a, ["sync", "pull"]);
  const tree = (await git(remote, "rev-parse", "refs/mpm/sessions^{tree}")).trim();
  const other = (await git(remote, "commit-tree", "-m", "rewritten", tree)).trim();
  await git(remote, "update-ref", "refs/mpm/sessions", other);
  const pull = await spawned(a, ["sync", "pull"]);
  assert(!byDoor(pull), pull.stderr);
  assertEquals(pull.code, 0, pull.stderr);
});

Deno.test("what the door cannot vouch for goes the full way", async () => {
  await using clones = await withClones();
  const { a } = clones;
  await pause(a, "The invoice mailer");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  await settled(a);
  const [full] = await throughDoor(a, ["sync", "push"]);
  const fullWay = async (why: string, args = ["sync", "push"]) => {
    const run = await spawned(a, args);
    assert(!byDoor(run), `${why}: the door answered`);
    assertEquals(run.code, 0, `${why}: ${run.stderr}`);
    return run;
  };
  const door = doorFile(a);

  // Flags the door does not know, and a remote named that it was not kept for.
  await fullWay("--dry-run", ["sync", "push", "--dry-run"]);
  await fullWay("a remote named", ["sync", "push", "origin"]);
  await fullWay("sync status", ["sync", "status"]);

  // A record changed by hand is not this machine's seal.
  const text = await Deno.readTextFile(door);
  await Deno.writeTextFile(door, text.replace("Nothing to push", "Nothing to send"));
  assertEquals((await fullWay("a damaged record")).stdout, full.stdout);
  assert(byDoor(await spawned(a, ["sync", "push"])), "the full run keeps the door anew");

  // A start folder that is gone: the command line refuses it, as it does without the door.
  const gone = await mpm(["sync", "push"], {
    cwd: a.path,
    env: { HOME: a.home, MPM_DEBUG: "1", MPM_INVOKED_FROM: join(a.path, "gone") },
    spawn: true,
  });
  assert(!byDoor(gone), "the door answered for a start folder that is gone");
  assertStringIncludes(gone.stderr, "no longer exists");

  // Another mpm holding the store's lock.
  const lock = join(a.path, ".claude-mpm", ".lock");
  await Deno.writeTextFile(lock, "1\n");
  const locked = await spawned(a, ["sync", "push"]);
  assert(!byDoor(locked), "the door answered while the store was locked");
  await Deno.remove(lock).catch(() => {});

  // mpm's tracking ref moved away from the commit the answer was kept at.
  await throughDoor(a, ["sync", "push"]);
  await git(a.path, "update-ref", "-d", "refs/mpm/remotes/origin/sessions");
  await fullWay("no tracking ref");

  // sync.json changed: the answer was worked out without it.
  await throughDoor(a, ["sync", "push"]);
  await Deno.writeTextFile(join(a.path, ".claude-mpm", "sync.json"), '{"exclude": ["spike-*"]}\n');
  await fullWay("sync.json changed");

  // The branch's upstream is another remote now: the full run resolves it.
  await throughDoor(a, ["sync", "push"]);
  await git(a.path, "remote", "add", "mirror", clones.remote);
  await git(a.path, "config", "branch.main.remote", "mirror");
  const mirrored = await fullWay("another upstream");
  assertStringIncludes(mirrored.stdout, "mirror");
});

Deno.test("the door answers the second sync with nothing new; after a pull that imported, the first", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(a, "The tax report");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  await settled(a);
  // The first push with nothing new works it out and keeps its answer for the door.
  const full = await spawned(a, ["sync", "push"]);
  assert(!byDoor(full), full.stderr);
  const door = await spawned(a, ["sync", "push"]);
  assert(byDoor(door), `the second push did not come in by the door: ${door.stderr}`);
  assertEquals(door.stdout, full.stdout);

  // B: a pull that imports knows the answers of the pull and the push with nothing new after it,
  // and keeps them for the door: each prints what the full run prints.
  assertEquals((await spawned(b, ["sync", "pull"])).code, 0);
  await settled(b);
  assertEquals((await spawned(b, ["sync", "pull"])).code, 0);
  // B's push with nothing new: the one a pull's push answer is worked out from.
  assertEquals((await spawned(b, ["sync", "push"])).code, 0);
  const theirs = await pause(a, "The tax report's totals");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  const imported = await spawned(b, ["sync", "pull", "--json"]);
  assertEquals(JSON.parse(imported.stdout).imported.map((m: { id: string }) => m.id), [theirs]);
  const kept = await Deno.readTextFile(doorFile(b));
  for (const args of [["sync", "pull"], ["sync", "push"], ["sync", "pull", "--json"]]) {
    const first = await spawned(b, args);
    assert(
      byDoor(first),
      `the first ${args.join(" ")} did not come in by the door: ${first.stderr}`,
    );
    // The full run, the door's record gone, prints the same.
    await Deno.remove(doorFile(b));
    const fullRun = await spawned(b, args);
    assert(!byDoor(fullRun), fullRun.stderr);
    assertEquals([first.code, first.stdout], [fullRun.code, fullRun.stdout], args.join(" "));
    await Deno.writeTextFile(doorFile(b), kept, { mode: 0o600 });
  }
  assertStringIncludes(
    (await spawned(b, ["sync", "pull"])).stdout,
    "Nothing to import: this project has everything on origin.",
  );
});
