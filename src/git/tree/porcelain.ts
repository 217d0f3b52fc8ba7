/**
 * Parsing `git status --porcelain=v2 --branch -z`: one call gives the branch, HEAD, upstream,
 * ahead/behind and every changed path, NUL-separated so no path needs unquoting.
 */

import { array, boolean, int, nullable, object, string } from "../../kernel/check.ts";

export interface Rename {
  from: string;
  to: string;
}

/**
 * Changed paths, relative to the top level, in git's order: `staged` (index vs HEAD), `modified`
 * (work tree vs index, deletions aside), `deleted` (staged or not), `renamed` (by new path),
 * `untracked` (folders as `dir/`), `conflicted` (in no other list). Ignored files and
 * `.claude-mpm/` are left out.
 */
export interface FileStatus {
  staged: string[];
  modified: string[];
  untracked: string[];
  deleted: string[];
  renamed: Rename[];
  conflicted: string[];
}

export interface AheadBehind {
  ahead: number;
  behind: number;
}

export interface GitStatus extends FileStatus {
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  /** HEAD's commit; null in a repository with no commit yet. */
  head: string | null;
  detached: boolean;
  upstream: string | null;
  /** Null without an upstream, or when the upstream branch is gone. */
  ahead_behind: AheadBehind | null;
}

/**
 * The check of a GitStatus that mpm kept in one of its records (a queued pause, SessionStart's
 * kept status): one declaration for both.
 */
export const gitStatusCheck = object({
  branch: nullable(string()),
  head: nullable(string()),
  detached: boolean,
  upstream: nullable(string()),
  ahead_behind: nullable(object({ ahead: int(), behind: int() }, "strip")),
  staged: array(string()),
  modified: array(string()),
  untracked: array(string()),
  deleted: array(string()),
  renamed: array(object({ from: string(), to: string() }, "strip")),
  conflicted: array(string()),
}, "strip");

export const MPM_DIR = ".claude-mpm";

/** Whether a top-level-relative path is mpm's own folder or inside it. */
export function isMpmPath(path: string): boolean {
  return path === MPM_DIR || path.startsWith(`${MPM_DIR}/`);
}

export function emptyStatus(): GitStatus {
  return {
    branch: null,
    head: null,
    detached: false,
    upstream: null,
    ahead_behind: null,
    staged: [],
    modified: [],
    untracked: [],
    deleted: [],
    renamed: [],
    conflicted: [],
  };
}

/** Number of space-separated fields before the path in each kind of entry. */
const FIELDS_BEFORE_PATH: Record<string, number> = { "1": 8, "2": 9, "u": 10 };

const NUL = 0;
const SPACE = 0x20;

/** A reader of the output as it comes, keeping only each record's XY and path. Pure. */
export function porcelainReader(): { push(chunk: Uint8Array): void; end(): GitStatus } {
  const status = emptyStatus();
  const decoder = new TextDecoder();
  /** The end of the last chunk, a record not yet whole. */
  let tail: Uint8Array | null = null;
  /** A rename or copy entry, waiting for its original path (the next record). */
  let renamed: { xy: string; path: string | undefined } | null = null;
  const record = (bytes: Uint8Array) => {
    if (renamed !== null) {
      const { xy, path } = renamed;
      renamed = null;
      const from = decoder.decode(bytes);
      if (path !== undefined && !isMpmPath(path) && !isMpmPath(from)) {
        readChange(status, xy, path, from);
      }
      return;
    }
    if (bytes.length < 2 || bytes[1] !== SPACE) return;
    const kind = String.fromCharCode(bytes[0]);
    if (kind === "#") {
      readHeader(status, decoder.decode(bytes.subarray(2)));
    } else if (kind === "?") {
      const path = decoder.decode(bytes.subarray(2));
      if (!isMpmPath(path)) status.untracked.push(path);
    } else if (kind === "1" || kind === "2" || kind === "u") {
      const at = pathStart(bytes, FIELDS_BEFORE_PATH[kind]);
      const path = at < 0 ? undefined : decoder.decode(bytes.subarray(at));
      const xy = String.fromCharCode(bytes[2] ?? SPACE, bytes[3] ?? SPACE);
      // A rename or copy entry is followed by its original path as a record of its own.
      if (kind === "2") renamed = { xy, path };
      else if (path === undefined || isMpmPath(path)) return;
      else if (kind === "u") status.conflicted.push(path);
      else readChange(status, xy, path);
    }
    // "! " (ignored) and anything a future git adds are skipped.
  };
  return {
    push(chunk) {
      let bytes = chunk;
      if (tail !== null) {
        bytes = new Uint8Array(tail.length + chunk.length);
        bytes.set(tail);
        bytes.set(chunk, tail.length);
        tail = null;
      }
      let start = 0;
      for (let nul = bytes.indexOf(NUL); nul >= 0; nul = bytes.indexOf(NUL, start)) {
        record(bytes.subarray(start, nul));
        start = nul + 1;
      }
      // Copied, so the pipe's buffer is not kept alive by a view of its end.
      if (start < bytes.length) tail = bytes.slice(start);
    },
    end() {
      if (tail !== null) record(tail);
      tail = null;
      return status;
    },
  };
}

/** Where the path starts in a change record: after its first `count` fields; -1: it has none. */
function pathStart(bytes: Uint8Array, count: number): number {
  let at = 0;
  for (let n = 0; n < count; n++) {
    const space = bytes.indexOf(SPACE, at);
    if (space < 0) return -1;
    at = space + 1;
  }
  return at;
}

function readHeader(status: GitStatus, header: string): void {
  const space = header.indexOf(" ");
  if (space < 0) return;
  const key = header.slice(0, space);
  const value = header.slice(space + 1);
  if (key === "branch.oid") {
    status.head = value === "(initial)" ? null : value;
  } else if (key === "branch.head") {
    status.detached = value === "(detached)";
    status.branch = status.detached ? null : value;
  } else if (key === "branch.upstream") {
    status.upstream = value;
  } else if (key === "branch.ab") {
    const match = value.match(/^\+(\d+) -(\d+)$/);
    if (match) status.ahead_behind = { ahead: Number(match[1]), behind: Number(match[2]) };
  }
}

/** Files the change to `path`, given its two-letter XY code (index, work tree). */
function readChange(status: GitStatus, xy: string, path: string, from?: string): void {
  const [x, y] = xy;
  if (x !== ".") status.staged.push(path);
  if (y !== "." && y !== "D") status.modified.push(path);
  if (x === "D" || y === "D") status.deleted.push(path);
  if ((x === "R" || y === "R") && from !== undefined) status.renamed.push({ from, to: path });
}

/** The objects in `git cat-file --batch` output (missing ones left out), as views into `out`. */
export function parseCatFileBatch(out: Uint8Array): Map<string, Uint8Array> {
  const objects = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  let at = 0;
  while (at < out.length) {
    const end = out.indexOf(10, at);
    if (end < 0) break;
    const header = decoder.decode(out.subarray(at, end)).split(" ");
    at = end + 1;
    if (header[1] === "missing" || header.length < 3) continue;
    const size = Number(header[2]);
    objects.set(header[0], out.subarray(at, at + size));
    at += size + 1;
  }
  return objects;
}
