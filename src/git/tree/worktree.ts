/** A linked worktree for urgent work, never removed with --force. */
import { gitMissing, MpmError } from "../../kernel/errors.ts";
import { gitFailure, runGit } from "../run/run.ts";
import { switchHint } from "./switch_hint.ts";

export interface AddWorktree {
  /** Where the worktree goes (absolute; must not exist yet). */
  path: string;
  branch: string;
  /** Create `branch` (from `from`, else HEAD); false: check out the existing one. */
  create: boolean;
  from: string | null;
}

/** `git worktree add`, run in the repository at `root`. Throws with the fitting hint. */
export async function addWorktree(root: string, add: AddWorktree): Promise<void> {
  if (add.branch.startsWith("-") || add.from?.startsWith("-")) {
    throw new MpmError(`"${add.branch}" is not a valid branch name.`);
  }
  const args = add.create
    ? ["worktree", "add", "--quiet", "-b", add.branch, add.path, ...(add.from ? [add.from] : [])]
    : ["worktree", "add", "--quiet", add.path, add.branch];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw gitFailure(args, out, switchHint(out.stderr));
}

/** `git worktree remove PATH` (no --force: git refuses one with changes or untracked files). */
export async function removeWorktree(root: string, path: string): Promise<void> {
  const args = ["worktree", "remove", path];
  const out = await runGit(root, args);
  if (out === null) throw gitMissing();
  if (out.code !== 0) {
    throw gitFailure(args, out, "`git status` in that worktree shows what keeps it.");
  }
}

/** The commit `rev` names in the repository at `root`, or null when it names none. */
export async function resolveCommit(root: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const out = await runGit(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return out?.code === 0 ? out.stdout.trim() : null;
}

export interface CommitSafety {
  /** `commit` is in the history of `into`. */
  merged: boolean;
  /** The remote-tracking branches whose history holds `commit`. */
  pushedTo: string[];
}

/** Whether `commit` is merged into `into` (a commit) or on a remote-tracking branch. */
export async function commitSafety(
  root: string,
  commit: string,
  into: string | null,
): Promise<CommitSafety> {
  const ancestor = into === null
    ? null
    : await runGit(root, ["merge-base", "--is-ancestor", commit, into]);
  const remotes = await runGit(root, [
    "for-each-ref",
    "--format=%(refname:short)",
    "--contains",
    commit,
    "refs/remotes",
  ]);
  return {
    merged: ancestor?.code === 0,
    pushedTo: remotes?.code === 0
      ? remotes.stdout.split("\n").filter((r) => r !== "" && !r.endsWith("/HEAD"))
      : [],
  };
}

/** The ignored files `git worktree remove` would delete unasked; null when unknown. */
export async function ignoredPaths(root: string): Promise<string[] | null> {
  const out = await runGit(root, [
    "-c",
    "core.fsmonitor=false",
    "status",
    "--porcelain=v1",
    "-z",
    "--ignored=traditional",
    "--untracked-files=normal",
  ]);
  if (out === null || out.code !== 0) return null;
  return out.stdout.split("\0").filter((e) => e.startsWith("!! ")).map((e) => e.slice(3));
}
