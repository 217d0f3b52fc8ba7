/**
 * Cheaper answers for a caller that already ran `git status --porcelain=v2 --branch` (whose
 * header names HEAD's commit and branch): SessionStart does, for its branch part. With it,
 * the last commits need one `git log` instead of a `cat-file` to find HEAD and then the log,
 * and the history since a pause made at the commit HEAD still is needs no git at all — what
 * readHistorySince's git processes would answer is known. That is the usual SessionStart: the
 * SessionEnd hook paused at the end of the last Claude session.
 */
import {
  type Commit,
  COMMIT_FORMAT,
  type History,
  parseCommits,
  unmovedHistory,
} from "./history.ts";
import { gitFailure, runGit } from "../run/run.ts";

/**
 * The last `count` commits of HEAD, newest first, for a repository known to have a commit
 * (recentCommits's answer there). Throws when git fails.
 */
export async function lastCommits(root: string, count: number): Promise<Commit[]> {
  const args = [
    "log",
    "-z",
    "--no-show-signature",
    "--encoding=UTF-8",
    `-n${Math.max(0, Math.floor(count))}`,
    `--format=${COMMIT_FORMAT}`,
    "HEAD",
    "--",
  ];
  const out = await runGit(root, args);
  if (out === null) {
    throw gitFailure(args, { code: -1, stdout: "", stderr: "git could not be started" });
  }
  if (out.code !== 0) throw gitFailure(args, out);
  return parseCommits(out.stdout);
}

/**
 * readHistorySince's answer when HEAD is still the paused commit (`head` from git status; both
 * null: no commit then or now), or undefined when it may not be: then ask git. Only a full
 * object id equal to HEAD's counts; an abbreviated one goes the long way.
 */
export function historyIfUnmoved(
  pausedCommit: string | null,
  head: string | null,
): History | undefined {
  if (pausedCommit !== head) return undefined;
  // A pause before the first commit names no commit: nothing to find, nothing new since.
  return unmovedHistory(head, head !== null);
}
