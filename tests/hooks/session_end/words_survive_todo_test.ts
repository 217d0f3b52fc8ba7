/**
 * A person's words are not lost to bookkeeping: after Claude Code's SessionEnd paused the work
 * (nothing is active then), `mpm todo` continues the newest session instead of starting an
 * unrelated ad-hoc one, so the next automatic pause carries the person's summary and next steps
 * beside the new todo, and `mpm resume` and SessionStart show them together.
 */
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, withRepo } from "../../helpers.ts";
import { payload, snapshots } from "../hooks_helpers.ts";

async function hook(repo: Repo, event: string, fixture: string, changes: Record<string, unknown>) {
  const result = await mpm(["hook", event], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: payload(fixture, repo, changes),
  });
  assertEquals(result.code, 0, result.stderr);
  return result;
}

Deno.test("a todo added after SessionEnd joins the paused words; resume and SessionStart show all three", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");
  await repo.write("pay.ts", "export const pay = 1;\n");
  await hook(repo, "session-end", "session-end.json", { session_id: "c1" });

  const added = await ok(repo, "todo", "add", "Check partial refunds");
  assertStringIncludes(added.stdout, "continuing the newest work");
  assertStringIncludes(added.stdout, '("Payment work")');
  assert(!added.stdout.includes("ad-hoc"), added.stdout);

  await repo.write("refund.ts", "export const refund = 1;\n");
  await hook(repo, "session-end", "session-end.json", { session_id: "c2" });

  const [newest] = await snapshots(repo);
  assertEquals(newest.mpm.claude_session_id, "c2");
  assertEquals(newest.conversation.summary, "Payment work");
  assertEquals(newest.conversation.next_steps, ["Add refunds"]);
  assertEquals(newest.todos.active.map((t: { content: string }) => t.content), [
    "Check partial refunds",
  ]);

  const resumed = (await ok(repo, "resume")).stdout;
  for (const words of ["Payment work", "Add refunds", "Check partial refunds"]) {
    assertStringIncludes(resumed, words);
  }
  await ok(repo, "pause");
  const start = await hook(repo, "session-start", "session-start-startup.json", {
    session_id: "c3",
  });
  const text = JSON.parse(start.stdout).hookSpecificOutput.additionalContext;
  for (const words of ["Payment work", "Add refunds", "Check partial refunds"]) {
    assertStringIncludes(text, words);
  }
});

Deno.test("todo done after SessionEnd marks the todo of the paused work; --json names it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  await ok(repo, "todo", "add", "Write the webhook");
  await ok(repo, "pause", "-s", "Webhook next");
  const paused = (await snapshots(repo))[0];
  const done = await okJson(repo, "todo", "done", "1", "--json");
  assertEquals(done.attached, paused.session_id);
  assertEquals(done.started, false);
  assertEquals(done.todo.status, "completed");
  const status = await okJson(repo, "status", "--json");
  assertEquals(status.active.name, "refunds");
  assertEquals(status.active.adhoc, false);
  const events = (await Deno.readTextFile(`${repo.path}/.claude-mpm/events.jsonl`)).trim()
    .split("\n").map((line) => JSON.parse(line));
  assertEquals(events.at(-1).transition, { from: "paused", to: "active" });
});

Deno.test("with no paused work at all, todo add still starts an ad-hoc session", async () => {
  await using repo = await withRepo();
  const added = await okJson(repo, "todo", "add", "First thing", "--json");
  assertEquals([added.started, added.attached], [true, null]);
  await ok(repo, "done");
  // Finished work is not continued either.
  const again = await okJson(repo, "todo", "add", "Next thing", "--json");
  assertEquals([again.started, again.attached], [true, null]);
});

Deno.test("context use after SessionEnd gives the partition to the paused work, not an error", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "refunds");
  await ok(repo, "pause", "-s", "Webhook next");
  await ok(repo, "context", "use", "backend");
  const status = await okJson(repo, "status", "--json");
  assertEquals([status.active.name, status.active.context_partition], ["refunds", "backend"]);
});
