/**
 * `mpm return` killed at random steps, parent work stashed: switching back, and on one git
 * branch throughout (return_kill.ts says how). With return_kill_keep_test.ts and
 * return_kill_clean_test.ts, about 200 kill points.
 */
import { assert } from "../assert.ts";
import { killAtRandomSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at up to 95 random steps of returns with stashed work: the next return finishes it", async (t) => {
  const points = await killAtRandomSteps(t, [
    [SCENARIOS.switched, 50],
    [SCENARIOS.sameBranch, 45],
  ]);
  // Every step is tried of a return with fewer than its number (the one that stays on its branch
  // has about 35).
  assert(points >= 75, `only ${points} kill points`);
});
