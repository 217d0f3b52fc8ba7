/**
 * A pull the quiet door let through (src/sync/quiet/door_tip.ts) asks the remote for its ref once:
 * the door's `ls-remote` tells the full run there is something to fetch; and git's config not at
 * all, while it is as the door's kept answer saw it. Every run is a process of
 * the test bundle, its git calls logged by a git of its own on PATH.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../assert.ts";
import { loggingGit, mpm, okJson, type Repo, type RunResult, withClones } from "../../helpers.ts";

function spawned(repo: Repo, args: string[], path?: string): Promise<RunResult> {
  const env: Record<string, string> = { HOME: repo.home, MPM_DEBUG: "1" };
  if (path !== undefined) env.PATH = path;
  return mpm(args, { cwd: repo.path, env, spawn: true });
}

const pause = async (repo: Repo, words: string): Promise<string> =>
  (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", words)).session_id;

Deno.test("a pull of new work through the door asks the remote for its ref once, git config never", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await pause(a, "The refunds table");
  assertEquals((await spawned(a, ["sync", "push"])).code, 0);
  // As a minute later: the folders settled, the quiet pulls keep the door's answer.
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(join(a.path, ".claude-mpm", "sessions"), past, past);
  let door = false;
  for (let n = 0; n < 3 && !door; n++) {
    door = (await spawned(a, ["sync", "pull"])).stderr.includes("answered by the quiet sync door");
  }
  assert(door, "the door never answered");

  assertEquals((await spawned(b, ["sync", "pull"])).code, 0);
  const theirs = await pause(b, "Bob's refund retries");
  assertEquals((await spawned(b, ["sync", "push"])).code, 0);
  const { bin, log } = await loggingGit(a.home);
  const pull = await spawned(a, ["sync", "pull", "--json"], `${bin}:${Deno.env.get("PATH")}`);
  assertEquals(JSON.parse(pull.stdout).imported.map((m: { id: string }) => m.id), [theirs]);
  const calls = (await Deno.readTextFile(log)).trim().split("\n");
  assertEquals(calls.filter((line) => line.includes(" ls-remote ")).length, 1, calls.join("\n"));
  // The remote, the identity and the signing keys as the door's kept answer had them: git's
  // config is as it was, so the run asks it nothing.
  assertEquals(calls.filter((line) => line.includes(" config ")), []);
});
