/**
 * `mpm return` killed at random steps, parent work stashed: switching back, and on one git
 * branch throughout (return_kill.ts says how). With return_kill_keep_test.ts and
 * return_kill_clean_test.ts, over 200 kill points.
 */
import { assert } from "../assert.ts";
import { killAtRandomSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at 90 random steps of returns with stashed work: the next return finishes it", async (t) => {
  const points = await killAtRandomSteps(t, [
    [SCENARIOS.switched, 50],
    [SCENARIOS.sameBranch, 45],
  ]);
  // The return that stays on its branch has fewer than 45 steps: the switching one makes up 90.
  assert(points >= 90, `only ${points} kill points`);
});
