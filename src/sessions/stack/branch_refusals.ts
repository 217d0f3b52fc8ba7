/**
 * `mpm branch` and `mpm return` facing unmerged paths or an operation half done: never put aside or
 * switched away from; resolve, then go on or abort. Pure.
 */
import type { GitOperation } from "../../git/tree/operation.ts";
import { fewPaths, FINISH_OPERATION } from "../report/stack.ts";

/** The operations that stop on conflicts (a bisect does not). */
const STOPS_ON_CONFLICT: readonly GitOperation[] = [
  "rebase",
  "am",
  "merge",
  "cherry-pick",
  "revert",
];

/** Why `mpm branch` refuses unmerged paths, naming the operation and its steps; null: none. */
export function conflictRefusal(
  conflicted: readonly string[],
  operations: readonly GitOperation[],
): { message: string; hint: string } | null {
  if (conflicted.length === 0) return null;
  const paths = fewPaths(conflicted);
  const again = "then run `mpm branch` again (`mpm branch --worktree` leaves this tree alone).";
  const found = operations.find((o) => STOPS_ON_CONFLICT.includes(o));
  const op = found === undefined ? undefined : FINISH_OPERATION[found];
  if (op === undefined) {
    return {
      message: `The working tree has unmerged paths (${paths}); mpm will not put a conflict aside.`,
      hint: `Resolve each file and \`git add\` it, ${again}`,
    };
  }
  return {
    message: `${op.name} stopped on unmerged paths (${paths}); mpm will not put a conflict aside.`,
    hint: `Resolve each file and \`git add\` it, then \`${op.finish}\`; or abort it ` +
      `(\`${op.abort}\`); ${again}`,
  };
}

/**
 * Why `mpm return` must not switch back to `parent` or re-apply its stash now (a rebase, merge…
 * half done, or unmerged paths); null: none. Committing or stashing is no way out mid-operation.
 */
export function returnRefusal(
  conflicted: readonly string[],
  operations: readonly GitOperation[],
  parent: string,
): { message: string; hint: string } | null {
  const found = operations.find((o) => STOPS_ON_CONFLICT.includes(o));
  const again = "then run `mpm return` again.";
  if (found === undefined) {
    if (conflicted.length === 0) return null;
    return {
      message: `The working tree has unmerged paths (${fewPaths(conflicted)}); mpm will not ` +
        `bring back the work of ${parent} over a conflict.`,
      hint: `Resolve each file and \`git add\` it, ${again}`,
    };
  }
  const op = FINISH_OPERATION[found];
  const unmerged = conflicted.length > 0 ? ` with unmerged paths (${fewPaths(conflicted)})` : "";
  return {
    message: `${op.name} is in progress${unmerged}; mpm will not go back to ${parent} in the ` +
      "middle of it.",
    hint: conflicted.length > 0
      ? `Resolve each file and \`git add\` it, then finish it (\`${op.finish}\`); or abort it ` +
        `(\`${op.abort}\`); ${again}`
      : `Finish it (\`${op.finish}\`) or abort it (\`${op.abort}\`), ${again}`,
  };
}
