/**
 * SessionStart's commits part, kept for the commit HEAD was at when it was told
 * (`.claude-mpm/cache/commits.json`): the last commits of a commit never change, so a start at
 * the same HEAD (Claude Code started again, a `/clear`, a new question before the next commit)
 * tells them without a `git log`. The start looks HEAD up in the git dir's files
 * (git/run/root.ts `headCommit`), and uses the kept text only when `git status`, which it runs
 * anyway, names the same commit.
 *
 * Kept by the store's rule for caches (sessions/store/caches/cache.ts): sealed with this
 * machine's key, or a file a repository brought in could put any text in the part that says it
 * comes from `git log`. The text is kept redacted, as it is told.
 */
import { number, object, type Out, string } from "../../../kernel/check.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { cached, cacheFile, type CacheKind, keep } from "./cache.ts";

/** The kept part: for `count` commits from `head`, its title and (redacted) text. */
export const keptCommitsCheck = object({
  head: string(),
  count: number,
  title: string(),
  text: string(),
}, "strip");
export type KeptCommits = Out<typeof keptCommitsCheck>;

/** A part is a few KB; anything larger is not mpm's. */
const COMMITS: CacheKind<KeptCommits> = {
  file: "commits.json",
  check: keptCommitsCheck,
  maxBytes: 64 * 1024,
};

export function commitsFile(paths: ProjectPaths): string {
  return cacheFile(paths, COMMITS);
}

/** The part kept for `count` commits from `head`, when this machine kept one; else null. */
export function keptCommits(
  paths: ProjectPaths,
  head: string,
  count: number,
): Promise<KeptCommits | null> {
  return cached(paths, COMMITS, (kept) => kept.head === head && kept.count === count);
}

/** Keeps the part for the next start; best effort (a read-only project still starts). */
export function keepCommits(paths: ProjectPaths, part: KeptCommits): Promise<void> {
  return keep(paths, COMMITS, part);
}
