/**
 * `mpm return` killed at its steps, parent work stashed: switching back, and on one git branch
 * throughout (return_kill.ts says which steps and how). With return_kill_keep_test.ts and
 * return_kill_clean_test.ts, every kind of return.
 */
import { assert } from "../../assert.ts";
import { killAtSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at each step that changes something, stashed work: the next return finishes it", async (t) => {
  const points = await killAtSteps(t, [SCENARIOS.switched, SCENARIOS.sameBranch]);
  // Each return writes a dozen files or more (snapshots, state, the work-tree records).
  assert(points >= 30, `only ${points} kill points`);
});
