/**
 * Which snapshot of a session `mpm resume` takes up: words (`--select TEXT`) name a session and
 * resume its newest snapshot, saying which older one matched; an index or an id names a snapshot,
 * and an older one than its session's newest is a roll-back, said so in one line.
 */
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, type Repo, withRepo } from "../../helpers.ts";

/** Payments paused twice: "stripe wired" with todo one, then "refunds next" with one done, two. */
async function pausedTwice(repo: Repo): Promise<{ older: string; newest: string }> {
  await ok(repo, "start", "Payments");
  await ok(repo, "todo", "add", "one");
  const older =
    (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", "stripe wired"))
      .session_id;
  await ok(repo, "resume", "--no-changes");
  await ok(repo, "todo", "add", "two");
  await ok(repo, "todo", "done", "1");
  const newest =
    (await okJson(repo, "pause", "--json", "--no-prune-worktrees", "-s", "refunds next"))
      .session_id;
  return { older, newest };
}

Deno.test("resume --select TEXT resumes the session's newest snapshot, naming the older one that matched", async () => {
  await using repo = await withRepo();
  const { older } = await pausedTwice(repo);
  const resumed = (await ok(repo, "resume", "--select", "stripe", "--no-changes")).stdout;
  assertStringIncludes(resumed, "✓ Payments is active again (1 open, 1 done todos).");
  assertStringIncludes(resumed, `"stripe" matched ${older}, an older snapshot of this session`);
  assertStringIncludes(resumed, `\`mpm resume ${older}\` rolls back`);
  const todos = (await ok(repo, "todo", "list")).stdout;
  assertStringIncludes(todos, "1. [x] one");
  assertStringIncludes(todos, "2. [ ] two");

  await ok(repo, "pause", "--no-prune-worktrees", "-s", "refunds next");
  const json = await okJson(repo, "resume", "--select", "stripe", "--json", "--no-changes");
  assertEquals(json.session.conversation.summary, "refunds next");
  assertEquals(json.matched, older);
  assertEquals(json.newest, undefined);
  // Words of the newest snapshot itself: nothing older to name.
  await ok(repo, "pause", "--no-prune-worktrees", "-s", "refunds next");
  const plain = (await ok(repo, "resume", "--select", "refunds", "--no-changes")).stdout;
  assertNotIncludes(plain, "matched");
});

Deno.test("resume N of an older snapshot of an open session rolls it back, and says so in one line", async () => {
  await using repo = await withRepo();
  const { older, newest } = await pausedTwice(repo);
  const resumed = (await ok(repo, "resume", "1", "--no-changes")).stdout;
  assertStringIncludes(resumed, "✓ Payments is active again (1 open, 0 done todos).");
  assertStringIncludes(
    resumed,
    `Rolled back to ${older}, an older snapshot of this session than its newest: ` +
      `\`mpm resume ${newest}\` takes up the newest instead.`,
  );
  await ok(repo, "pause", "--no-prune-worktrees", "-s", "rolled back");
  const json = await okJson(repo, "resume", older, "--json", "--no-changes");
  assertEquals(json.session.session_id, older);
  assertEquals(typeof json.newest, "string");
  // The newest, named, is no roll-back.
  const again = await okJson(repo, "resume", "0", "--json", "--no-changes");
  assertEquals(again.newest, undefined);
});
