/**
 * `mpm return --keep-branch` killed at its steps, parent work stashed: the parent's work comes
 * back on the child's branch (return_kill.ts says which steps and how). A file of its own, so
 * that `deno test --parallel` runs it beside the other kill tests; with it, how the kill points
 * are chosen from a traced run, in-process.
 */
import { assert, assertEquals } from "../../assert.ts";
import { killAtSteps, killPoints, SCENARIOS } from "./return_kill.ts";

Deno.test("mpm return --keep-branch killed at each step that changes something: the next return finishes it", async (t) => {
  const points = await killAtSteps(t, [SCENARIOS.keepBranch]);
  assert(points >= 15, `only ${points} kill points`);
});

Deno.test("the kill points: every step that changes something, one of each stretch between", () => {
  const steps: Parameters<typeof killPoints>[0] = [
    ["git-start", ["status", "--porcelain=v2"]],
    ["git-end", ["status", "--porcelain=v2"]],
    ["file", "/p/.claude-mpm/state.json"],
    ["git-start", ["stash", "list", "-z"]],
    ["git-end", ["stash", "list", "-z"]],
    ["git-start", ["stash", "apply", "--index", "stash@{0}"]],
    ["git-end", ["stash", "apply", "--index", "stash@{0}"]],
    ["git-start", ["log", "-z"]],
    ["git-start", ["diff-tree", "-r"]],
    ["git-end", ["diff-tree", "-r"]],
    ["git-end", ["log", "-z"]],
  ];
  assertEquals(killPoints(steps, () => 0), [1, 3, 4, 7, 8]);
  assertEquals(killPoints(steps, () => 0.99), [2, 3, 6, 7, 11]);
  assertEquals(killPoints(steps, () => 0, true), steps.map((_, i) => i + 1));
});
