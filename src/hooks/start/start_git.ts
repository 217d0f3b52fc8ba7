/**
 * SessionStart's `git status`, made before the start that needs it: kept in
 * `.claude-mpm/cache/status.json` with the git state it was read at (git/tree/stamp.ts) when work
 * ends (SessionEnd, from the status its pause read) and after each start that had to ask git.
 * A start whose stamp is the kept one's — no commit, checkout, `git add`, fetch or push since —
 * tells the kept status and runs no git at all; any other asks git, and keeps the answer when the
 * stamp did not move while git read.
 *
 * What the status says of edits not yet added is as of its reading (the stamp cannot see them
 * without git's own scan); everything else is current. Kept by the store's rule for caches
 * (sessions/store/caches/cache.ts): sealed with this machine's key, so a file a clone brought
 * (committed, or copied) is never told as this tree's state.
 */
import { object, type Out, string } from "../../kernel/check.ts";
import { type GitStatus, gitStatusCheck } from "../../git/tree/porcelain.ts";
import { beginStatus, statusOnce } from "../../git/tree/status.ts";
import { gitStamp } from "../../git/tree/stamp.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { cached, cacheFile, type CacheKind, keep } from "../../sessions/store/caches/cache.ts";
import { lstatIfExists } from "../../disk/read/stat.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import type { GitContext } from "../../kernel/snapshot.ts";

const keptStatusCheck = object({
  stamp: string(),
  status: gitStatusCheck,
}, "strip");
type KeptStatus = Out<typeof keptStatusCheck>;

/** A status lists every changed path: large in a large tree, but not this large. */
const STATUS: CacheKind<KeptStatus> = {
  file: "status.json",
  check: keptStatusCheck,
  maxBytes: 8 << 20,
};

export function statusCacheFile(paths: ProjectPaths): string {
  return cacheFile(paths, STATUS);
}

/**
 * The stamp each root had when its status was begun (beginStartGit), for the keeping; settled
 * once the status is begun, or found not needed.
 */
const stampsBefore = new Map<string, Promise<string | null>>();

/**
 * Begins SessionStart's git work early (hook_command.ts): nothing when the kept status looks
 * current (its seal is checked when it is read), else `git status` now, noting the stamp first.
 */
export function beginStartGit(root: string, paths: ProjectPaths): void {
  const decided = gitStamp(root, null).then(async (stamp) => {
    if (stamp === null || !(await looksCurrent(paths, root))) beginStatus(root);
    return stamp;
  });
  stampsBefore.set(root, decided);
}

/** Whether the kept status's stamp is the one now, its seal not checked (a quick look). */
async function looksCurrent(paths: ProjectPaths, root: string): Promise<boolean> {
  try {
    // A plain file only, as the store's rule for caches reads them: never a link or a FIFO.
    const file = statusCacheFile(paths);
    if (!(await lstatIfExists(file))?.isFile) return false;
    const text = await readTextIfExists(file, STATUS.maxBytes);
    if (text === undefined) return false;
    const kept = JSON.parse(text) as Partial<KeptStatus>;
    return typeof kept.stamp === "string" &&
      kept.stamp === await gitStamp(root, kept.status?.upstream ?? null);
  } catch {
    return false;
  }
}

/** The kept status when this machine kept it for the git state as it is now; else null. */
export function keptStatus(paths: ProjectPaths, root: string): Promise<GitStatus | null> {
  return cached(
    paths,
    STATUS,
    async (kept) => kept.stamp === await gitStamp(root, kept.status.upstream),
  ).then((kept) => kept?.status ?? null);
}

/**
 * Keeps `status`, read by a git that began at stamp `before`, when the git state is still as it
 * was then. Best effort.
 */
export async function keepStatus(
  paths: ProjectPaths,
  root: string,
  before: string | null,
  status: GitStatus,
): Promise<void> {
  if (before === null || await gitStamp(root, null) !== before) return;
  const stamp = await gitStamp(root, status.upstream);
  if (stamp !== null) await keep(paths, STATUS, { stamp, status });
}

/**
 * SessionStart's status: the kept one when current, else git's (null: no git or no repository),
 * kept for the next start when `keepIt`.
 */
export async function startStatus(
  paths: ProjectPaths,
  root: string,
  keepIt: boolean,
): Promise<GitStatus | null> {
  const begun = stampsBefore.get(root);
  stampsBefore.delete(root);
  const kept = await keptStatus(paths, root);
  if (kept !== null) return kept;
  const before = begun ? await begun : await gitStamp(root, null);
  const status = await statusOnce(root);
  if (status !== null && keepIt) await keepStatus(paths, root, before, status);
  return status;
}

/**
 * The status a pause read, from its snapshot's git facts (build_snapshot.ts `gitContext`, the
 * other way round). Pure.
 */
export function statusOfPause(git: GitContext): GitStatus {
  return {
    branch: git.branch,
    head: git.commit,
    detached: git.detached,
    upstream: git.upstream,
    ahead_behind: git.ahead_behind,
    staged: git.status.staged,
    modified: git.status.modified,
    untracked: git.status.untracked,
    deleted: git.status.deleted,
    renamed: git.status.renamed,
    conflicted: git.status.conflicted,
  };
}

/** The stamp now, for a caller that reads git next and keeps what it read (keepStatus). */
export function stampNow(root: string): Promise<string | null> {
  return gitStamp(root, null);
}
