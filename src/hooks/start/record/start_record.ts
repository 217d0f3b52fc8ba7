/**
 * The start record, `.claude-mpm/cache/start.json`: everything a SessionStart keeps for the next
 * one to work its answer out from, in one file with one owner (this module). Three parts, each
 * current on its own terms, each checked by the one that uses it:
 * - the digest (its fields at the top: start_digest.ts), current while the state and the
 *   snapshots are as it saw them;
 * - `status` and `status_stamp`: `git status` and the git state it was read at (start_git.ts),
 *   current while the stamp is;
 * - `commits`: the "Last N commits" part for the commit HEAD was at (start_text.ts), current
 *   while HEAD is that commit.
 * A start reads the record once (memoized with the session reads, sessions/store/state/
 * state_store.ts) and keeps what it worked out in one write at its end (`keepRecord`); SessionEnd
 * keeps the status its pause read and makes the next answer (events/ready_make.ts), which keeps
 * the rest. The answer itself is `cache/ready.json` (sessions/store/caches/start_ready.ts),
 * derived from all of this and from the files the text named.
 *
 * Kept by the store's rule for caches (sessions/store/caches/cache.ts): this machine sealed it,
 * this mpm wrote it, it passes its check. A record that is not this machine's is no record: every
 * part is worked out again, and the new record replaces it whole.
 */
import {
  array,
  boolean,
  nullable,
  number,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../../../kernel/check.ts";
import { gitStatusCheck } from "../../../git/tree/porcelain.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { cached, cacheFile, type CacheKind, keep } from "../../../sessions/store/caches/cache.ts";
import { type SessionReads, sessionReads } from "../../../sessions/store/state/state_store.ts";

const timed = object({ texts: array(string()), times: array(string()) }, "strip");

/** The commits part: for `count` commits from `head`, its title and (redacted) text. */
export const keptCommitsCheck = object({
  /** HEAD's full object id. */
  head: string(),
  /** The number of commits asked for (config's `commits`). */
  count: number,
  /** The part's title and text as told (the text redacted). */
  title: string(),
  text: string(),
}, "strip");
export type KeptCommits = Out<typeof keptCommitsCheck>;

/** The record, checked by hand: every SessionStart reads it (kernel/check.ts). */
export const startRecordCheck = object({
  // The digest (start_digest.ts), there when `seen` is.
  /** `state.json`'s text as read (null: there was none): the digest is current only while equal. */
  state: optional(nullable(string())),
  /** The snapshots looked at, newest first, each with its file's inode, size and time (ms). */
  seen: optional(array(object({
    id: string(),
    file: string(),
    ino: number,
    size: number,
    mtime: number,
  }, "strip"))),
  /** Whether one of them was picked to tell of. */
  picked: optional(boolean),
  /** The session the hook's sightings of Claude sessions go to. */
  key: optional(nullable(string())),
  /** The newest open snapshot written elsewhere, when newer than the one told of; told after it. */
  elsewhere: optional(nullable(object({ source: string(), facts: timed }, "strip"))),
  /** True when `state.json` was there but not this machine's: told as one fixed line. */
  foreign_state: optional(boolean),
  /** The session part: its text for a start (`full`) and a resume (`short`), cut at each time. */
  session: optional(nullable(object({
    source: string(),
    partition: nullable(string()),
    summaryKey: nullable(string()),
    facts: object({
      full: timed,
      short: timed,
      git: nullable(object({
        branch: nullable(string()),
        commit: nullable(string()),
        dirty: array(string()),
        work: optional(array(string())),
      }, "strip")),
    }, "strip"),
    told: optional(object({
      snapshot: nullable(string()),
      line: nullable(string()),
      name: nullable(string()),
      summary: string(),
      next_steps: array(string()),
      todos: array(string()),
      tasks: array(object({
        content: string(),
        status: oneOf(["pending", "in_progress", "completed"]),
      }, "strip")),
    }, "strip")),
  }, "strip"))),
  // The status (start_git.ts), there when `status_stamp` is.
  /** The parsed `git status` SessionStart tells, current while `status_stamp` is git's state. */
  status: optional(gitStatusCheck),
  /** The git state it was read at, from the git dir's files (git/tree/stamp.ts). */
  status_stamp: optional(string()),
  /** The "Last N commits" part told for the commit `head`: never stale, as history never changes. */
  commits: optional(keptCommitsCheck),
}, "strip");

export type StartRecord = Out<typeof startRecordCheck>;

/** A status lists every changed path: large in a large tree, but not this large. */
const RECORD: CacheKind<StartRecord> = {
  file: "start.json",
  check: startRecordCheck,
  maxBytes: 12 << 20,
};

export function startRecordFile(paths: ProjectPaths): string {
  return cacheFile(paths, RECORD);
}

const reads = new WeakMap<SessionReads, Promise<StartRecord | null>>();

/**
 * The record as this machine kept it (each part still to be found current by its user), or
 * null. Read once per read of the sessions: the sighting and the text of one start share it.
 */
export function startRecord(paths: ProjectPaths): Promise<StartRecord | null> {
  const at = sessionReads(paths);
  let read = reads.get(at);
  if (read === undefined) {
    read = cached(paths, RECORD, () => true);
    reads.set(at, read);
  }
  return read;
}

/**
 * Keeps `parts` in the record, beside the parts it holds already (read again from the disk: a
 * part kept meanwhile by another run stays); best effort. A part given as undefined is left as
 * it was.
 */
export async function keepRecord(paths: ProjectPaths, parts: StartRecord): Promise<void> {
  const now = await cached(paths, RECORD, () => true);
  const record: StartRecord = { ...(now ?? {}) };
  for (const [name, value] of Object.entries(parts)) {
    if (value !== undefined) (record as Record<string, unknown>)[name] = value;
  }
  await keep(paths, RECORD, record);
  reads.set(sessionReads(paths), Promise.resolve(record));
}
