/**
 * The git state a pause records: at most two git processes, run concurrently — the porcelain
 * status and HEAD's subject.
 */
import { type GitStatus, parsePorcelainV2 } from "./porcelain.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";

// Untracked files follow the user's status.showUntrackedFiles, so a repository that turned the
// (slow) untracked scan off keeps pauses fast.
const STATUS_ARGS = ["status", "--porcelain=v2", "--branch", "-z", "--find-renames"];
const SUBJECT_ARGS = ["log", "-1", "--no-show-signature", "--format=%H%x00%T%x00%s", "HEAD", "--"];

/** The porcelain status of the repository at `root`; null when there is no git or no repo. */
export async function readStatus(root: string): Promise<GitStatus | null> {
  const out = await runGit(root, STATUS_ARGS);
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(STATUS_ARGS, out);
  return parsePorcelainV2(out.stdout);
}

export interface GitState {
  status: GitStatus;
  /** The subject of HEAD's commit; null when there is no commit yet. */
  subject: string | null;
  /**
   * HEAD's tree, read with the subject: what a clean work tree holds, so a capture of one needs
   * no git process (git/objects/work_capture.ts). Null when there is no commit yet.
   */
  tree?: string | null;
}

/** Status and HEAD's subject, concurrently; null when there is no git or no repository. */
export async function readGitState(root: string): Promise<GitState | null> {
  const [status, log] = await Promise.all([readStatus(root), runGit(root, SUBJECT_ARGS)]);
  if (status === null) return null;
  // The log fails in a repository without commits; that is not an error, just no subject.
  let subject: string | null = null;
  let tree: string | null = null;
  if (log?.code === 0 && status.head !== null) {
    const [head, headTree, ...rest] = log.stdout.replace(/\n$/, "").split("\0");
    // A commit made between the two calls would pair the status with another commit's subject.
    if (head === status.head && rest.length > 0) {
      subject = rest.join("\0");
      tree = headTree;
    }
  }
  return { status, subject, tree };
}
