/**
 * SessionStart's `git status`, kept in the start record with the git state it was read at
 * (git/tree/stamp.ts): a start whose stamp is the kept one's runs no git; any other asks git and
 * keeps the answer if the stamp held. Sealed, so a clone's file is never told as this tree's.
 */
import type { GitStatus } from "../../../git/tree/porcelain.ts";
import { beginStatus, statusOnce } from "../../../git/tree/status.ts";
import { gitStamp } from "../../../git/tree/stamp.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import type { GitContext } from "../../../kernel/snapshot.ts";
import { keepRecord, type StartRecord, startRecord, startRecordFile } from "./start_record.ts";

/** The largest record a quick look reads (start_record.ts reads it whole, sealed). */
const LOOK_BYTES = 12 << 20;

/** The stamp each root had when its status was begun (beginStartGit), for the keeping. */
const stampsBefore = new Map<string, Promise<string | null>>();

/** Begins SessionStart's git work early: `git status` now unless the kept one looks current. */
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
    const file = startRecordFile(paths);
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

/** The most paths a kept status holds; a larger tree's start asks git itself. */
export const KEPT_PATHS = 5_000;

function pathsIn(status: GitStatus): number {
  return status.staged.length + status.modified.length + status.untracked.length +
    status.deleted.length + status.renamed.length + status.conflicted.length;
}

/** The record's status part for `status` read from stamp `before`, if the state still is; else undefined. */
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

/** Keeps `status` read from stamp `before` when the git state still is so. Best effort. */
export async function keepStatus(
  paths: ProjectPaths,
  root: string,
  before: string | null,
  status: GitStatus,
): Promise<void> {
  const part = await statusPart(root, before, status);
  if (part !== undefined) await keepRecord(paths, part);
}

/** SessionStart's status: the kept one when current, else git's, with the part to keep if `keepIt`. */
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

/** The status a pause read, from its snapshot's git facts. Pure. */

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
