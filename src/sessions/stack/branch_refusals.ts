/**
 * `mpm branch` and unmerged paths: mpm never puts a conflict aside, and the way out depends on
 * what left the conflict — resolve, then the operation's own next step, or abort it. Pure.
 */
import type { GitOperation } from "../../git/tree/operation.ts";
import { fewPaths } from "../report/stack.ts";

/** How each operation that stops on a conflict is named, finished once resolved, and aborted. */
const STOPPED: Partial<Record<GitOperation, { name: string; then: string; abort: string }>> = {
  rebase: { name: "A rebase", then: "git rebase --continue", abort: "git rebase --abort" },
  am: { name: "A `git am`", then: "git am --continue", abort: "git am --abort" },
  merge: { name: "A merge", then: "git commit", abort: "git merge --abort" },
  "cherry-pick": {
    name: "A cherry-pick",
    then: "git cherry-pick --continue",
    abort: "git cherry-pick --abort",
  },
  revert: { name: "A revert", then: "git revert --continue", abort: "git revert --abort" },
};

/**
 * Why `mpm branch` refuses unmerged paths, naming the operation in progress (the first that
 * stops on conflicts) and its steps; null when there are none. Without an operation (a stash
 * applied with conflicts), resolving is the way.
 */
export function conflictRefusal(
  conflicted: readonly string[],
  operations: readonly GitOperation[],
): { message: string; hint: string } | null {
  if (conflicted.length === 0) return null;
  const paths = fewPaths(conflicted);
  const again = "then run `mpm branch` again (`mpm branch --worktree` leaves this tree alone).";
  const op = operations.map((o) => STOPPED[o]).find((o) => o !== undefined);
  if (op === undefined) {
    return {
      message: `The working tree has unmerged paths (${paths}); mpm will not put a conflict aside.`,
      hint: `Resolve each file and \`git add\` it, ${again}`,
    };
  }
  return {
    message: `${op.name} stopped on unmerged paths (${paths}); mpm will not put a conflict aside.`,
    hint: `Resolve each file and \`git add\` it, then \`${op.then}\`; or abort it ` +
      `(\`${op.abort}\`); ${again}`,
  };
}
