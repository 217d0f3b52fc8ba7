/**
 * `mpm return` killed at its steps: a clean parent on its own git branch, and a child branched
 * with nothing active (return_kill.ts says which steps and how). With return_kill_stash_test.ts
 * and return_kill_keep_test.ts, every kind of return.
 */
import { assert } from "../../assert.ts";
import { killAtSteps, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return killed at each step that changes something, clean or parentless: the next return finishes it", async (t) => {
  const points = await killAtSteps(t, [SCENARIOS.clean, SCENARIOS.noParent]);
  assert(points >= 25, `only ${points} kill points`);
});
