/**
 * The start made ready, `.claude-mpm/cache/ready.json`: SessionStart's whole answer for the next
 * conversation Claude Code starts here (`startup`), made when work ends (SessionEnd, after its
 * pause) and by every SessionStart that had to work its answer out, and kept beside what it was
 * made from. A start that finds it current sends it as it is, times filled in as of then
 * (kernel/format/ago.ts): no state, snapshot, digest or context file read, no git process, and
 * none of the code that would read them loaded (hooks/events/ready_start.ts).
 *
 * It is kept by the store's rule for caches (cache.ts: this machine sealed it, this mpm wrote it,
 * it passes its check), and is current only when
 * - it is under a day old (what an answer tells by the clock, a teammate's line of the last 14
 *   days or a handoff of the last hours, is never kept in one: `keepReady`'s callers check);
 * - git's state is as it was (git/tree/stamp.ts: no commit, checkout, `git add`, fetch or push);
 * - every file and folder it was made from has the inode, size and modification time it had
 *   before the answer was read from it: the state, the order, the config, the folders a
 *   snapshot, a queued pause or a handoff is added to, the summary, the context file and the
 *   files the config names (the digest's own snapshots are in the sessions folder, which any
 *   snapshot written changes); one that was not there, the nearest folder above it that was.
 * Anything else and SessionStart works its answer out as before. Like a kept `git status`, what it
 * says of edits not yet added is as of its making.
 */
import {
  array,
  literal,
  nullable,
  object,
  type Out,
  record,
  string,
} from "../../../kernel/check.ts";
import { dirname, join } from "../../../kernel/path.ts";
import { fileStamp, gitStamp } from "../../../git/tree/stamp.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { statQuietly } from "../../../disk/read/stat.ts";
import { cached, type CacheKind, ignoredByGit, keep } from "./cache.ts";

/** How long a made answer may wait for its start. */
export const READY_FOR_MS = 24 * 3600_000;

/** The folder mpm's sync keeps the teammates' snapshots' ref in (board/board_read.ts). */
const SESSIONS_REF = ["refs", "mpm", "sessions"];

const timed = object({ texts: array(string()), times: array(string()) }, "strip");

/** The record, checked by hand: every start reads it (kernel/check.ts). */
export const readyCheck = object({
  /** When it was made (ISO 8601 UTC). */
  made: string({ max: 40 }),
  /** git's state then (git/tree/stamp.ts), and the upstream it was read with. */
  stamp: string({ max: 100_000 }),
  upstream: nullable(string({ max: 1_000 })),
  /** Each file or folder it was made from, by path, and its stamp before it was read. */
  inputs: record(string({ max: 4_096 }), string({ max: 200 })),
  /** The session the Claude session is recorded under (claude_sessions_store.ts); null: none. */
  key: nullable(string({ max: 100 })),
  /**
   * The folder the agent keeps this checkout's transcripts in (Codex: today's), when redaction
   * was found to leave a sighting of a transcript there, named as `transcript_name` says, as it
   * is: one is then written with no secret rules loaded. Null: every sighting goes the long way.
   */
  transcripts: nullable(string({ max: 4_096 })),
  /**
   * The shape of the names the agent gives its transcripts (ready_start.ts `transcriptShape`): the id as
   * `{id}` (`{id8}`: its first 8), digits as `#`; Claude Code's is `{id}.jsonl`.
   */
  transcript_name: nullable(string({ max: 300 })),
  /** The answer: additionalContext with its times to fill in, and the session's title. */
  context: timed,
  title: string({ max: 200 }),
  version: literal(1),
}, "strip");

export type ReadyStart = Out<typeof readyCheck>;

/** An answer is at most a few tens of KB (start_config.ts `limit`); past this it is not mpm's. */
const READY: CacheKind<ReadyStart> = { file: "ready.json", check: readyCheck, maxBytes: 1 << 20 };

/**
 * The store's files and folders any answer is made from, and the ref the teammates' lines come
 * from; `also`: the project's own files this one was made from (the context file, the summary,
 * the files the config names).
 */
export function readyInputPaths(
  paths: ProjectPaths,
  commonDir: string | null,
  also: readonly string[],
): string[] {
  return [
    paths.state,
    join(paths.base, "order.json"),
    join(paths.base, "config.json"),
    paths.sessions,
    join(paths.base, "spool"),
    join(paths.base, "handoffs"),
    ...(commonDir === null ? [] : [join(commonDir, ...SESSIONS_REF)]),
    ...also.flatMap((file) => [file, dirname(file)]),
  ];
}

/**
 * The stamps of `files` now: taken before an answer is read from them. A file that is not there
 * is stamped by the nearest folder above it that is: making it would change that folder.
 */
export function inputStamps(files: readonly string[]): Record<string, string> {
  const stamps: Record<string, string> = {};
  for (const file of files) {
    let path = file;
    let stamp = fileStamp(path);
    while (stamp === "-" && dirname(path) !== path) {
      path = dirname(path);
      stamp = fileStamp(path);
    }
    stamps[path] = stamp;
  }
  return stamps;
}

/**
 * The stamps of what an answer is made from (readyInputPaths), taken before it is read. The
 * caches' folder is made first: the first start's caches would otherwise change `.claude-mpm/`,
 * which stands for the files not there yet, while the answer is made.
 */
export async function readyStamps(
  paths: ProjectPaths,
  commonDir: string | null,
  also: readonly string[],
): Promise<Record<string, string>> {
  await ignoredByGit(paths);
  return inputStamps(readyInputPaths(paths, commonDir, also));
}

/** Whether the project has a store at all: without one, nothing was made ready there. */
export function storeThere(paths: ProjectPaths): boolean {
  return statQuietly(paths.base)?.isDirectory === true;
}

/** The answer made ready for `root`, when it is current; else null. */
export function currentReady(
  paths: ProjectPaths,
  root: string,
  now: Date,
): Promise<ReadyStart | null> {
  return cached(paths, READY, async (ready) => {
    const age = now.getTime() - Date.parse(ready.made);
    if (!(age >= 0 && age < READY_FOR_MS)) return false;
    for (const [file, stamp] of Object.entries(ready.inputs)) {
      if (fileStamp(file) !== stamp) return false;
    }
    return await gitStamp(root, ready.upstream) === ready.stamp;
  });
}

/** Keeps `ready` for the next start; best effort. */
export function keepReady(paths: ProjectPaths, ready: ReadyStart): Promise<void> {
  return keep(paths, READY, ready);
}
