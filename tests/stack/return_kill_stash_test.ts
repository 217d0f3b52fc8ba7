/**
 * `mpm return` killed at random steps, parent work stashed: switching back, staying on the
 * child's branch (--keep-branch), and on one git branch throughout (return_kill.ts says how).
 */
import { assert } from "../assert.ts";
import { killAtRandomSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at 120 random steps of returns with stashed work: the next return finishes it", async (t) => {
  const points = await killAtRandomSteps(t, [
    SCENARIOS.switched,
    SCENARIOS.sameBranch,
    SCENARIOS.keepBranch,
  ], 40);
  assert(points >= 120, `only ${points} kill points`);
});
