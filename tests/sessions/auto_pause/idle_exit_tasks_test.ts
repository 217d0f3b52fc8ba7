/**
 * An exit that did nothing writes nothing, also after a session that recorded Claude's tasks:
 * a plain `claude` start puts the tasks back in the new conversation's list, and reading them
 * back at its exit is no change. Hook calls in this process, on a clock the test moves.
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { hookEnv, payload, snapshots } from "../../hooks/hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";

function clock(start = "2025-06-02T09:00:00.000Z") {
  let at = new Date(start).getTime();
  return () => new Date(at += 60_000);
}

async function hook(
  repo: Repo,
  tick: () => Date,
  event: "session-start" | "session-end",
  fixture: string,
  claude: string,
) {
  const stdin = payload(fixture, repo, { session_id: claude });
  const env = hookEnv(repo, stdin, tick());
  await runHook(env, event);
  assertEquals(env.warnings, []);
}

Deno.test("an idle exit after a plain start that carried Claude's tasks writes no snapshot", async () => {
  await using repo = await withRepo();
  const tick = clock();
  const started = await mpm(["start", "Refunds"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    now: tick,
  });
  assertEquals(started.code, 0, started.stderr);
  // c1's own task list, as Claude Code 2.1.330 writes it.
  const tasks = join(repo.home, ".claude", "tasks", "c1");
  await Deno.mkdir(tasks, { recursive: true });
  const task = (id: string, subject: string, status: string) =>
    Deno.writeTextFile(
      join(tasks, `${id}.json`),
      JSON.stringify({ id, subject, activeForm: subject, status, blocks: [], blockedBy: [] }),
    );
  await task("1", "Integrate Stripe", "completed");
  await task("2", "Wire the webhook", "in_progress");
  await task("3", "Add refunds", "pending");
  await hook(repo, tick, "session-start", "session-start-startup.json", "c1");
  await repo.write("refunds.ts", "export {};\n");
  await hook(repo, tick, "session-end", "session-end.json", "c1");
  const before = await snapshots(repo);

  for (const claude of ["c2", "c3"]) {
    await hook(repo, tick, "session-start", "session-start-startup.json", claude);
    await hook(repo, tick, "session-end", "session-end.json", claude);
  }
  const after = await snapshots(repo);
  assertEquals(after.length, before.length, JSON.stringify(after.map((s) => s.mpm.claude_tasks)));
});
