/**
 * What a session changed, from its marks (`mpm diff`, a snapshot's `mpm.work_files`): a path
 * changed in one of the session's own stretches (not a pause-to-resume gap), compared by content,
 * so changed back is not shown.
 */
import { treeChangesEach, type TreeEntryOf } from "../../../git/objects/work_capture.ts";
import { opensWork, type WorkMark } from "./marks.ts";

/** A path's content in a tree (blob and mode); null where the path is absent. */
export type Entry = TreeEntryOf;

export interface PathChange {
  path: string;
  from: Entry | null;
  to: Entry | null;
}

/** One capture of the work tree, in time order: a mark, or the tree now. */
export interface Point {
  opens: boolean;
  /** The tree now, for the active session: the stretch up to it is the session's. */
  now?: boolean;
}

/** Whether the stretch from `points[i]` to `points[i + 1]` is the session's, for each i. */
export function ownStretches(points: readonly Point[]): boolean[] {
  const own: boolean[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    own.push(points[i + 1].now === true || points[i].opens || !points[i + 1].opens);
  }
  return own;
}

export interface Stretch {
  own: boolean;
  changes: readonly PathChange[];
  /** Paths whose content is not known at one end (left out of a capture). */
  unknown: readonly string[];
}

export interface SessionFile {
  path: string;
  /** The content when the session first changed it; null: it did not exist. */
  start: Entry | null;
  /** Its content at the session's last mark (or now); null: it no longer exists. */
  end: Entry | null;
}

export interface SessionChanges {
  files: SessionFile[];
  /** Paths the session may have changed whose content could not be compared. */
  unknown: string[];
}

export function sameEntry(a: Entry | null, b: Entry | null): boolean {
  return a === null || b === null ? a === b : a.blob === b.blob && a.mode === b.mode;
}

const byPath = (a: { path: string }, b: { path: string }) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** The session's files, from its stretches in time order. */
export function sessionChanges(stretches: readonly Stretch[]): SessionChanges {
  const current = new Map<string, Entry | null>();
  const start = new Map<string, Entry | null>();
  const unknown = new Set<string>();
  const maybe = new Set<string>();
  for (const stretch of stretches) {
    for (const path of stretch.unknown) (stretch.own ? unknown : maybe).add(path);
    for (const change of stretch.changes) {
      if (stretch.own && !start.has(change.path)) start.set(change.path, change.from);
      current.set(change.path, change.to);
    }
  }
  // A path unknown only in a gap matters when the session changed it too.
  for (const path of maybe) if (start.has(path)) unknown.add(path);
  const files: SessionFile[] = [];
  for (const [path, from] of start) {
    if (unknown.has(path)) continue;
    const end = current.get(path) ?? null;
    if (!sameEntry(from, end)) files.push({ path, start: from, end });
  }
  return { files: files.sort(byPath), unknown: [...unknown].sort() };
}

/** The work tree now, for the active session: its tree and what it left out. */
export interface NowTree {
  tree: string;
  leftOut: readonly string[];
}

/** The session's changes from its marks holding a tree (and the tree now), in one `diff-tree`. */
export async function markedChanges(
  root: string,
  marks: readonly WorkMark[],
  now: NowTree | null,
): Promise<SessionChanges> {
  const points: (Point & NowTree)[] = marks.flatMap((mark) =>
    mark.tree === null
      ? []
      : [{ opens: opensWork(mark.moment), tree: mark.tree, leftOut: mark.left_out }]
  );
  if (now) points.push({ opens: false, now: true, ...now });
  const own = ownStretches(points);
  const pairs = points.slice(1).map((b, i) => [points[i].tree, b.tree] as const);
  const changes = await treeChangesEach(root, pairs);
  return sessionChanges(changes.map((change, i) => ({
    own: own[i],
    changes: change,
    unknown: [...new Set([...points[i].leftOut, ...points[i + 1].leftOut])],
  })));
}

/** How many paths a snapshot's `mpm.work_files` holds at most. */
export const MAX_WORK_FILES = 500;

/** A snapshot's record of the session's files: sorted, at most 500, and how many more. Pure. */
export function workFilesField(
  changes: SessionChanges,
): { work_files: string[]; work_files_more?: number } {
  const paths = changes.files.map((f) => f.path);
  const more = paths.length - MAX_WORK_FILES;
  return more > 0
    ? { work_files: paths.slice(0, MAX_WORK_FILES), work_files_more: more }
    : { work_files: paths };
}

/** Whether a snapshot at the newest mark can record the session's files (two marks hold trees). */
export function canRecordFiles(marks: readonly WorkMark[]): boolean {
  const last = marks.at(-1);
  return last !== undefined && last.tree !== null &&
    marks.slice(0, -1).some((mark) => mark.tree !== null);
}

/** A snapshot's `mpm.work_files` at the newest mark; null where it cannot be known. */
export async function workFilesAt(
  root: string,
  marks: readonly WorkMark[],
): Promise<{ work_files: string[]; work_files_more?: number } | null> {
  return canRecordFiles(marks) ? workFilesField(await markedChanges(root, marks, null)) : null;
}
