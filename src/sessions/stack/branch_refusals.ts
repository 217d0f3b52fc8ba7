/** `mpm branch` and unmerged paths: never put aside; resolve, then go on or abort. Pure. */
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
