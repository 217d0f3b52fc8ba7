/**
 * `mpm return` killed at random steps: a clean parent on its own git branch, and a child
 * branched with nothing active (return_kill.ts says how). With return_kill_stash_test.ts and
 * return_kill_keep_test.ts, about 200 kill points.
 */
import { assert } from "../assert.ts";
import { killAtRandomSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at up to 70 random steps of clean or parentless returns: the next return finishes it", async (t) => {
  const points = await killAtRandomSteps(t, [
    [SCENARIOS.clean, 35],
    [SCENARIOS.noParent, 35],
  ]);
  // A scenario with fewer than 35 steps (a mark is two git calls) has every one of them tried.
  assert(points >= 60, `only ${points} kill points`);
});
