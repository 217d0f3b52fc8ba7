/**
 * The git state a pause records: the porcelain status, and HEAD's subject and tree — read from
 * the object store (commit_object.ts), else by a `git log` run beside the status.
 */
import { type GitStatus, porcelainReader } from "./porcelain.ts";
import { gitFailure, isNotRepo, runGit, runGitInto } from "../run/run.ts";
import { headCommit } from "../run/root.ts";
import { commitObjectFacts } from "./commit_object.ts";
import { Begun } from "../../kernel/early.ts";

// Untracked files follow status.showUntrackedFiles, so a repo that turned the scan off stays fast.
const STATUS_ARGS = ["status", "--porcelain=v2", "--branch", "-z", "--find-renames"];
const SUBJECT_ARGS = ["log", "-1", "--no-show-signature", "--format=%H%x00%T%x00%s", "HEAD", "--"];

/** The porcelain status of the repository at `root`; null when there is no git or no repo. */
export async function readStatus(root: string): Promise<GitStatus | null> {
  // Read as it comes (porcelainReader): a million paths never sit in memory as one output.
  const reader = porcelainReader();
  const out = await runGitInto(root, STATUS_ARGS, (chunk) => reader.push(chunk));
  if (out === null) return null;
  const result = { ...out, stdout: "" };
  if (isNotRepo(result)) return null;
  if (out.code !== 0) throw gitFailure(STATUS_ARGS, result);
  return reader.end();
}

const begun = new Begun<GitStatus | null>();

/** Starts `git status` of `root` now, for statusOnce to take (SessionStart runs it early). */
export function beginStatus(root: string): void {
  begun.begin(root, () => readStatus(root));
}

/** The status of `root`: the one begun early (taken once), else read now. */
export function statusOnce(root: string): Promise<GitStatus | null> {
  return begun.take(root) ?? readStatus(root);
}

/** Forgets the statuses begun, taken or not (Begun.clear): the next command starts afresh. */
export function forgetBegunStatus(): void {
  begun.clear();
}

export interface GitState {
  status: GitStatus;
  /** The subject of HEAD's commit; null when there is no commit yet. */
  subject: string | null;
  /** HEAD's tree (a clean work tree's, so its capture needs no git); null before a commit. */
  tree?: string | null;
}

/** Status and HEAD's subject; null when there is no git or no repository. */
export async function readGitState(root: string): Promise<GitState | null> {
  const reading = readStatus(root);
  reading.catch(() => {}); // its failure is thrown below, where it is awaited
  const head = headCommit(root);
  const loose = head === undefined ? undefined : await commitObjectFacts(root, head);
  const log = loose ? undefined : runGit(root, SUBJECT_ARGS);
  const status = await reading;
  if (status === null) return null;
  // A commit made meanwhile would pair the status with another commit's subject: git says then.
  if (loose && status.head === head) return { status, ...loose };
  return { status, ...headFacts(status, await (log ?? runGit(root, SUBJECT_ARGS))) };
}

/** HEAD's subject and tree from `git log -1`, when it names the commit the status does. Pure. */
function headFacts(
  status: GitStatus,
  log: { code: number; stdout: string } | null,
): { subject: string | null; tree: string | null } {
  // The log fails in a repository without commits; that is not an error, just no subject.
  if (log?.code !== 0 || status.head === null) return { subject: null, tree: null };
  const [head, tree, ...rest] = log.stdout.replace(/\n$/, "").split("\0");
  if (head !== status.head || rest.length === 0) return { subject: null, tree: null };
  return { subject: rest.join("\0"), tree };
}
