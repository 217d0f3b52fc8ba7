/**
 * SessionStart's `git status`, made before the start that needs it: kept in the start record
 * (start_record.ts, `.claude-mpm/cache/start.json`: `status` and `status_stamp`) with the git
 * state it was read at (git/tree/stamp.ts) when work ends (SessionEnd, from the status its pause
 * read) and after each start that had to ask git. A start whose stamp is the kept one's — no
 * commit, checkout, `git add`, fetch or push since — tells the kept status and runs no git at
 * all; any other asks git, and keeps the answer when the stamp did not move while git read.
 *
 * What the status says of edits not yet added is as of its reading (the stamp cannot see them
 * without git's own scan); everything else is current. Kept by the store's rule for caches
 * (sessions/store/caches/cache.ts): sealed with this machine's key, so a file a clone brought
 * (committed, or copied) is never told as this tree's state.
 */
import type { GitStatus } from "../../../git/tree/porcelain.ts";
import { beginStatus, statusOnce } from "../../../git/tree/status.ts";
import { gitStamp } from "../../../git/tree/stamp.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import type { GitContext } from "../../../kernel/snapshot.ts";
import { keepRecord, type StartRecord, startRecord, startRecordFile } from "./start_record.ts";

/** The file the status is kept in: the start record's. */
export function statusCacheFile(paths: ProjectPaths): string {
  return startRecordFile(paths);
}

/** The largest record a quick look reads (start_record.ts reads it whole, sealed). */
const LOOK_BYTES = 12 << 20;

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
    const text = await readTextIfExists(file, LOOK_BYTES);
    if (text === undefined) return false;
    const kept = JSON.parse(text) as Partial<StartRecord>;
    return typeof kept.status_stamp === "string" &&
      kept.status_stamp === await gitStamp(root, kept.status?.upstream ?? null);
  } catch {
    return false;
  }
}

/** The kept status when this machine kept it for the git state as it is now; else null. */
export async function keptStatus(paths: ProjectPaths, root: string): Promise<GitStatus | null> {
  const record = await startRecord(paths);
  if (record?.status === undefined || record.status_stamp === undefined) return null;
  return record.status_stamp === await gitStamp(root, record.status.upstream)
    ? record.status
    : null;
}

/**
 * The most paths a kept status holds. A vendored tree staged (a million paths) would make the
 * record tens of megabytes, sealed and redacted on every end and read at every start: such a
 * start asks git itself.
 */
export const KEPT_PATHS = 5_000;

function pathsIn(status: GitStatus): number {
  return status.staged.length + status.modified.length + status.untracked.length +
    status.deleted.length + status.renamed.length + status.conflicted.length;
}

/**
 * The record's status part for `status`, read by a git that began at stamp `before`, when the
 * git state is still as it was then; else undefined.
 */
export async function statusPart(
  root: string,
  before: string | null,
  status: GitStatus,
): Promise<StartRecord | undefined> {
  if (before === null || pathsIn(status) > KEPT_PATHS) return undefined;
  if (await gitStamp(root, null) !== before) return undefined;
  const stamp = await gitStamp(root, status.upstream);
  return stamp === null ? undefined : { status, status_stamp: stamp };
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
  const part = await statusPart(root, before, status);
  if (part !== undefined) await keepRecord(paths, part);
}

/**
 * SessionStart's status: the kept one when current, else git's (null: no git or no repository),
 * with the record's part to keep for the next start when `keepIt` (undefined: nothing new).
 */
export async function startStatus(
  paths: ProjectPaths,
  root: string,
  keepIt: boolean,
): Promise<{ status: GitStatus | null; part?: StartRecord }> {
  const begun = stampsBefore.get(root);
  stampsBefore.delete(root);
  const kept = await keptStatus(paths, root);
  if (kept !== null) return { status: kept };
  const before = begun ? await begun : await gitStamp(root, null);
  const status = await statusOnce(root);
  const part = status !== null && keepIt ? await statusPart(root, before, status) : undefined;
  return { status, part };
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
