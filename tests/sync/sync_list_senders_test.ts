/**
 * `mpm list` folds a teammate's snapshots by who sent them: it asks the board's window of the
 * kept senders for the page's files, never git and never the store's whole.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { loggingGit, mpm, okJson, type Repo, withClones } from "../helpers.ts";

async function pauseId(repo: Repo, ...args: string[]): Promise<string> {
  return (await okJson(repo, "pause", "--json", "--no-prune-worktrees", ...args)).session_id;
}

async function bobPushes(b: Repo): Promise<void> {
  const pushed = await mpm(["sync", "push"], {
    cwd: b.path,
    env: { HOME: b.home, GIT_AUTHOR_EMAIL: "bob@example.com" },
  });
  assertEquals(pushed.code, 0, pushed.stderr);
}

Deno.test("list names a teammate's line from the senders' window after pulls, running no git", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await okJson(b, "start", "--json", "Bob work");
  await pauseId(b, "-s", "bob first");
  await bobPushes(b);
  await okJson(a, "sync", "pull", "--json");
  // Bob goes on; A's second pull moves the window on, the whole kept senders stay behind.
  const second = await pauseId(b, "-s", "bob second");
  await bobPushes(b);
  await okJson(a, "sync", "pull", "--json");
  // The whole kept senders gone (as if another build's): the window answers the page alone.
  await Deno.remove(join(a.path, ".claude-mpm", "cache", "senders.json"));

  const { bin, log } = await loggingGit(a.home);
  const listed = await mpm(["list"], {
    cwd: a.path,
    env: { HOME: a.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(listed.code, 0, listed.stderr);
  assertStringIncludes(listed.stdout, `[0] ${second}`);
  assertStringIncludes(listed.stdout, "[Bob work, written elsewhere]");
  // Bob's two snapshots are one line of work: the first is folded under the second.
  assertEquals(listed.stdout.includes("[1] "), false, listed.stdout);
  const calls = await Deno.readTextFile(log).catch(() => "");
  assertEquals(calls.split("\n").filter((c) => / (log|merge-base) /.test(` ${c}`)), [], calls);
});
