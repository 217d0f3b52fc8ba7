/** Branches: which one is checked out (and in which worktree), whether one exists, switching. */
import { gitMissing, MpmError } from "../../kernel/errors.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";
import { switchHint } from "../tree/switch_hint.ts";

/** The checked-out branch; null when HEAD is detached, or there is no git or repository. */
export async function currentBranch(root: string): Promise<string | null> {
  const out = await runGit(root, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
  if (out === null || isNotRepo(out)) return null;
  if (out.code === 1) return null; // detached
  if (out.code !== 0) throw gitFailure(["symbolic-ref"], out);
  return out.stdout.trim();
}

/** Whether a local branch `name` exists. */
export async function branchExists(root: string, name: string): Promise<boolean> {
  if (name.startsWith("-")) return false;
  const out = await runGit(root, ["show-ref", "--verify", "--quiet", `refs/heads/${name}`]);
  return out?.code === 0;
}

/** Whether `name` may be a branch name as written (`@{-1}` would be expanded). */
export async function isValidBranchName(name: string, cwd?: string): Promise<boolean> {
  if (name === "" || name.startsWith("-")) return false;
  const out = await runGit(cwd, ["check-ref-format", "--branch", name]);
  return out?.code === 0 && out.stdout.trim() === name;
}

/** Switches to branch `name`, creating it at HEAD when `create`. Throws when git refuses. */
export async function switchBranch(root: string, name: string, create: boolean): Promise<void> {
  if (name.startsWith("-")) {
    throw new MpmError(`"${name}" is not a valid branch name.`);
  }
  const args = create ? ["switch", "--quiet", "-c", name] : ["switch", "--quiet", name];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw gitFailure(args, out, switchHint(out.stderr));
}

/** Detaches HEAD at `commit` (a full object name): going back to a parent on a detached HEAD. */
export async function switchDetached(root: string, commit: string): Promise<void> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(commit)) {
    throw new MpmError(`"${commit}" is not a commit's full name.`);
  }
  const args = ["switch", "--quiet", "--detach", commit];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw gitFailure(args, out, switchHint(out.stderr));
}

/** The worktree that has `name` checked out (a gone one holds it until pruned), or null. */
export async function worktreeHolding(root: string, name: string): Promise<string | null> {
  const out = await runGit(root, ["worktree", "list", "--porcelain", "-z"]);
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(["worktree", "list"], out);
  let path: string | null = null;
  for (const line of out.stdout.split("\0")) {
    if (line.startsWith("worktree ")) path = line.slice("worktree ".length);
    else if (line === `branch refs/heads/${name}`) return path;
  }
  return null;
}
