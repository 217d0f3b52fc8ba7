/** Cheaper history answers for a caller that already ran `git status --porcelain=v2 --branch`. */
import {
  type Commit,
  COMMIT_FORMAT,
  type History,
  parseCommits,
  unmovedHistory,
} from "./history.ts";
import { gitFailure, runGit } from "../run/run.ts";

/** HEAD's last `count` commits, newest first. Throws when git fails. */
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

/** readHistorySince's answer when HEAD is still the paused commit; undefined: ask git. */
export function historyIfUnmoved(
  pausedCommit: string | null,
  head: string | null,
): History | undefined {
  if (pausedCommit !== head) return undefined;
  // A pause before the first commit names no commit: nothing to find, nothing new since.
  return unmovedHistory(head, head !== null);
}
