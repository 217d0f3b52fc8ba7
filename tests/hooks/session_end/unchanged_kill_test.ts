/**
 * A SessionEnd that found nothing new since the session's last snapshot has decided: no snapshot.
 * Killed at any step (MPM_TEST_KILL_AT: as `kill -9` at its deadline, or as a step another mpm
 * could run between), the queued pause it leaves must not become a snapshot later, when a
 * command folds it — least of all one holding work done after the end (another Claude window
 * still working in the project), under an end that events.jsonl already says wrote nothing.
 */
import { assert, assertEquals } from "../../assert.ts";
import { exists, mpm, ok, withRepo } from "../../helpers.ts";
import { payload, snapshots } from "../hooks_helpers.ts";

type Event = { command: string; unchanged?: boolean; folded?: { snapshot: string | null }[] };

Deno.test("a SessionEnd that found nothing new, killed at any step, leaves no snapshot to a fold", async () => {
  let finished = false;
  for (let step = 1; step <= 80 && !finished; step++) {
    await using repo = await withRepo();
    await ok(repo, "start", "refunds");
    await repo.write("pay.ts", "export const pay = 1;\n");
    await ok(repo, "pause", "-s", "Payment work");
    await ok(repo, "resume");
    const end = await mpm(["hook", "session-end"], {
      cwd: repo.path,
      env: { HOME: repo.home, MPM_TEST_KILL_AT: String(step) },
      stdin: payload("session-end.json", repo, { session_id: "c1" }),
    });
    finished = end.code === 0;
    // The other window goes on working; the next command folds what the end left queued.
    await repo.write("later.ts", "export const later = 1;\n");
    await ok(repo, "todo", "add", "Check refunds");
    const events: Event[] = (await Deno.readTextFile(`${repo.path}/.claude-mpm/events.jsonl`))
      .trim().split("\n").map((line) => JSON.parse(line));
    const auto = (await snapshots(repo)).filter((s) => s.mpm.written_by === "mpm");
    const settled = events.some((e) => e.command === "pause" && e.unchanged === true);
    if (settled) {
      assertEquals(auto.map((s) => s.session_id), [], `killed at step ${step}`);
      assert(
        !events.some((e) => e.command === "fold-spool" && e.folded?.some((f) => f.snapshot)),
        `killed at step ${step}: a fold wrote a snapshot for an end that wrote none`,
      );
    }
    // Nothing queued is left behind, whatever the step (a temp file a kill left is no pause).
    const spool = `${repo.path}/.claude-mpm/spool`;
    const queued = (await exists(spool) ? await Array.fromAsync(Deno.readDir(spool)) : [])
      .map((e) => e.name).filter((name) => /^pause-.*\.json$/.test(name));
    assertEquals(queued, [], `killed at step ${step}`);
  }
  assert(finished, "the hook never ran to its end within 80 steps");
});
