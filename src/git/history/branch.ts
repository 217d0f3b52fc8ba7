/** Branches: which one is checked out, whether one exists, switching. */
import { gitMissing, MpmError } from "../../kernel/errors.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";

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

/**
 * Whether `name` may be a branch name as written. `@{-1}` and the like are refused: git
 * would accept them by expanding them to another branch's name.
 */
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

const FINISH: Record<string, string> = {
  merging: "merge",
  "cherry-picking": "cherry-pick",
  reverting: "revert",
  rebasing: "rebase",
};

/** What to do about git's refusal to switch, from what it said: each cause has its own step. */
export function switchHint(stderr: string): string {
  const held = stderr.match(/is already (?:checked out|used by worktree) at '([^']+)'/);
  if (held) {
    return `That branch is checked out in the worktree at ${held[1]}: work on it there ` +
      `(\`cd ${held[1]}\`), or pick another branch.`;
  }
  const lock = stderr.match(/Unable to create '([^']+\.lock)': File exists/);
  if (lock) {
    return `Another git command holds ${lock[1]}: let it finish; if no git is running, a crashed ` +
      "one left it: remove that file, then try again.";
  }
  const during = stderr.match(
    /cannot switch branch while (merging|cherry-picking|reverting|rebasing)/,
  );
  if (during) {
    const verb = FINISH[during[1]];
    const ends = verb === "merge" ? "`git commit`" : `\`git ${verb} --continue\``;
    return `A ${verb} is in progress: finish it (${ends}) or abort it (\`git ${verb} --abort\`) first.`;
  }
  if (/in the middle of an am session/.test(stderr)) {
    return "A `git am` is in progress: finish it (`git am --continue`) or abort it (`git am --abort`) first.";
  }
  if (/resolve your current index first|unmerged/i.test(stderr)) {
    return "The index has unmerged paths: resolve them (`git add`) or abort what made them first.";
  }
  if (/would be overwritten|commit your changes or stash them/i.test(stderr)) {
    return "Commit or stash your changes, or pick another branch.";
  }
  return "`git status` shows the state git is in; then try again.";
}
