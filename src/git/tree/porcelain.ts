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
 * Changed paths, relative to the repository's top level, in git's (path) order.
 *
 * - `staged`: the index differs from HEAD (added, modified, deleted, renamed, copied).
 * - `modified`: the work tree differs from the index, except deletions.
 * - `deleted`: gone, whether the deletion is staged (`git rm`, then also in `staged`) or not.
 * - `renamed`: renames, by their new path (also in `staged` when staged).
 * - `untracked`: untracked files, and untracked folders as `dir/` (git's "normal" mode).
 * - `conflicted`: unmerged paths; they appear in no other list.
 *
 * A path both staged and then changed again in the work tree is in `staged` and `modified`.
 * Ignored files are left out, and so is everything under `.claude-mpm/`, mpm's own folder.
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

/** Whether nothing is staged, changed, untracked or conflicted. */
export function isClean(status: FileStatus): boolean {
  return status.staged.length === 0 && status.modified.length === 0 &&
    status.untracked.length === 0 && status.deleted.length === 0 &&
    status.renamed.length === 0 && status.conflicted.length === 0;
}

/** Number of space-separated fields before the path in each kind of entry. */
const FIELDS_BEFORE_PATH: Record<string, number> = { "1": 8, "2": 9, "u": 10 };

export function parsePorcelainV2(output: string): GitStatus {
  const status = emptyStatus();
  const records = output.split("\0");
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const kind = record.slice(0, 2);
    if (kind === "# ") {
      readHeader(status, record.slice(2));
    } else if (kind === "? ") {
      const path = record.slice(2);
      if (!isMpmPath(path)) status.untracked.push(path);
    } else if (kind === "1 " || kind === "2 " || kind === "u ") {
      const [fields, path] = splitFields(record, FIELDS_BEFORE_PATH[record[0]]);
      // A rename or copy entry is followed by its original path as a record of its own.
      const from = record[0] === "2" ? records[++i] : undefined;
      if (path === undefined || isMpmPath(path) || (from !== undefined && isMpmPath(from))) {
        continue;
      }
      if (record[0] === "u") status.conflicted.push(path);
      else readChange(status, fields[1], path, from);
    }
    // "! " (ignored) and anything a future git adds are skipped.
  }
  return status;
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

/** The first `count` space-separated fields of `record`, and the rest (the path) unsplit. */
function splitFields(record: string, count: number): [string[], string | undefined] {
  const fields: string[] = [];
  let start = 0;
  for (let n = 0; n < count; n++) {
    const space = record.indexOf(" ", start);
    if (space < 0) return [fields, undefined];
    fields.push(record.slice(start, space));
    start = space + 1;
  }
  return [fields, record.slice(start)];
}

/**
 * The objects in `git cat-file --batch` output: `<oid> <type> <size>\n<bytes>\n` each; an object
 * the repository lacks (`<oid> missing`) is left out. The bytes are views into `out`.
 */
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
