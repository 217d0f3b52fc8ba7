/**
 * `cache/ready.json`: SessionStart's whole answer for the next `startup`, sent as is (times filled
 * in). Current only under a day old, with git's stamp and every input's stamp unchanged.
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
  made: string({ max: 40 }),
  /** git's state then (git/tree/stamp.ts), and the upstream it was read with. */
  stamp: string({ max: 100_000 }),
  upstream: nullable(string({ max: 1_000 })),
  inputs: record(string({ max: 4_096 }), string({ max: 200 })),
  /** The session the Claude session is recorded under (claude_sessions_store.ts); null: none. */
  key: nullable(string({ max: 100 })),
  /** Where the agent keeps this checkout's transcripts, if their sightings need no redaction. */
  transcripts: nullable(string({ max: 4_096 })),
  /** The agent's transcript names (`transcriptShape`): `{id}`, `{id8}`, `#` for digits. */
  transcript_name: nullable(string({ max: 300 })),
  /** The answer: additionalContext with its times to fill in, and the session's title. */
  context: timed,
  title: string({ max: 200 }),
  version: literal(1),
}, "strip");

export type ReadyStart = Out<typeof readyCheck>;

/** An answer is at most a few tens of KB (start_config.ts `limit`); past this it is not mpm's. */
const READY: CacheKind<ReadyStart> = { file: "ready.json", check: readyCheck, maxBytes: 1 << 20 };

/** The store's files and folders any answer is made from, the sessions ref, and `also`. */
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

/** The stamps of `files` now (one not there: the nearest folder above it that is). */
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

/** The stamps of an answer's inputs, taken before it is read (the caches' folder made first). */
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
