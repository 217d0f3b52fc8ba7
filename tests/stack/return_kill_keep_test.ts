/**
 * `mpm return --keep-branch` killed at random steps, parent work stashed: the parent's work comes
 * back on the child's branch (return_kill.ts says how). A file of its own, so that `deno test
 * --parallel` runs it beside the other kill tests.
 */
import { assert } from "../assert.ts";
import { killAtRandomSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return --keep-branch killed at up to 45 random steps: the next return finishes it", async (t) => {
  const points = await killAtRandomSteps(t, [[SCENARIOS.keepBranch, 45]]);
  // A keep-branch return has about 40 steps (each git call, before and after, and each file put
  // in place); every one is tried when it has fewer than 45.
  assert(points >= 35, `only ${points} kill points`);
});
