/**
 * A pause queued in `spool/` under a clock set back (an NTP step, a restored VM) and folded in
 * later: it still carries the session's words written before it, though they are dated after
 * the moment it was queued. What the queued pause may carry is decided by the written order
 * (`order.json`), as for a pause written at once, not by the dates.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok } from "../../helpers.ts";
import { hookEnv, installed, listFiles, payload, snapshots } from "../../hooks/hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import { withLock } from "../../../src/disk/lock.ts";
import { writtenSinceQueued } from "../../../src/sessions/store/session/spool.ts";

Deno.test("a pause queued under a clock set back carries the words written before it", async () => {
  await using repo = await installed();
  await ok(repo, "start", "Refund flow");
  await ok(repo, "pause", "-s", "Refund tests written", "-n", "Check partial refunds");
  await ok(repo, "resume");
  const [words] = await snapshots(repo);
  // The clock steps an hour back, and SessionEnd comes while another mpm holds the lock.
  const stepped = new Date(Date.parse(words.paused_at) - 3_600_000);
  const env = hookEnv(repo, payload("session-end.json", repo), stepped);
  await withLock(
    join(repo.path, ".claude-mpm", ".lock"),
    () => runHook(env, "session-end"),
    { command: "test" },
  );
  assertStringIncludes(env.warnings.join("\n"), "the pause is queued");
  assertEquals((await listFiles(join(repo.path, ".claude-mpm", "spool"))).length, 1);
  // The next command folds it in.
  await ok(repo, "todo", "list");
  const all = await snapshots(repo);
  const queued = all.find((snapshot) => snapshot.mpm.auto?.trigger === "session-end");
  assertEquals(queued?.conversation.summary, "Refund tests written");
  assertEquals(queued?.conversation.next_steps, ["Check partial refunds"]);
  assertEquals(queued?.mpm.carried?.from, words.session_id);
});

Deno.test("what was written since a pause was queued is told by the order, else by the dates", () => {
  const order = { seq: 12, recent: ["s12", "s11", "s10", "s9"] };
  assertEquals(writtenSinceQueued(order, 10), new Set(["s12", "s11"]));
  assertEquals(writtenSinceQueued(order, 12), new Set());
  // A queued file with no order to read, the order restarted since, or more written than it keeps.
  assertEquals(writtenSinceQueued(order, undefined), null);
  assertEquals(writtenSinceQueued(order, 13), null);
  assertEquals(writtenSinceQueued(order, 7), null);
});
