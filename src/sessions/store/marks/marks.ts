/**
 * A session's work-tree marks (`threads/<key>/work-tree.json`): the work tree as a git tree each
 * time the session began or stopped, kept by `refs/mpm/marks/<key>`, for `mpm diff` and `revert`.
 * Pure.
 */
import {
  array,
  int,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../../../kernel/check.ts";

export const MARKS_VERSION = 1;

/** Marks kept per session; past it the oldest pause and resume after the start are merged. */
export const MAX_MARKS = 200;

/** More dirty paths left out than this and a mark's tree is not worth comparing. */
export const MAX_LEFT_OUT = 1000;

/** The moments a mark is recorded at: the first two begin a stretch of work, the others end one. */
export const MARK_MOMENTS = [
  "start",
  "resume",
  "pause",
  "branch",
  "return",
  "done",
  "cancel",
] as const;
export type MarkMoment = typeof MARK_MOMENTS[number];

/** Whether work begins (is the session's) from this moment on. */
export function opensWork(moment: MarkMoment): boolean {
  return moment === "start" || moment === "resume";
}

const oid = string({ pattern: /^[0-9a-f]{40}$|^[0-9a-f]{64}$/ });

const markCheck = object({
  /** What happened then; `start` and `resume` begin a stretch of the session's work. */
  moment: oneOf(MARK_MOMENTS),
  at: string(),
  /** HEAD's commit then; null without commits. */
  head: nullable(oid),
  /** The work tree as a git tree; null when it could not be captured (too many dirty paths). */
  tree: nullable(oid),
  /** The commit on `ref` that keeps `tree` (and `head`) from being collected. */
  commit: nullable(oid),
  /** Dirty paths whose content the tree does not hold (folders, files over 32 MiB). */
  left_out: array(string()),
  dirty: int("nonnegative"),
  /** A fingerprint of HEAD and the dirty paths on disk: a later equal one reuses this commit. */
  looked: optional(string()),
}, "keep");
export type WorkMark = Out<typeof markCheck>;

/** A session's marks: resume and pause read them with this while they hold the lock. */
export const marksCheck = object({
  schema_version: int("positive"),
  key: string(),
  ref: string(),
  /** Oldest first; at most MAX_MARKS. */
  marks: array(markCheck),
  /** This machine's HMAC of the text, written last: an unsealed record is not the person's. */
  seal: optional(string()),
}, "keep");
export type WorkMarks = Out<typeof marksCheck>;

/** Session keys are `s-<hex>` or snapshot ids: plain names, safe in a path and a ref. */
const MARK_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function isMarkKey(key: string): boolean {
  return MARK_KEY.test(key);
}

/** The ref that keeps a session's captured trees. */
export function workRef(key: string): string {
  return `refs/mpm/marks/${key}`;
}

/** The record with `mark` added last; past MAX_MARKS the oldest stretch after the start merges. */
export function withMark(record: WorkMarks | null, key: string, mark: WorkMark): WorkMarks {
  const marks = [...(record?.marks ?? []), mark];
  // Dropping a pause's two marks counts its gap as the session's: less exact, never wrong.
  while (marks.length > MAX_MARKS) marks.splice(1, 2);
  return { schema_version: MARKS_VERSION, key, ref: workRef(key), marks };
}

/** The commit of the newest mark that has one: the parent of the next. */
export function lastCommit(record: WorkMarks | null): string | null {
  const marks = record?.marks ?? [];
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i].commit) return marks[i].commit;
  return null;
}

/** The commit already keeping `tree` and `head` (the newest kept mark's, if same); else null. */
export function keptAlready(
  record: WorkMarks | null,
  head: string | null,
  tree: string,
): string | null {
  const marks = record?.marks ?? [];
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i];
    if (mark.commit) return mark.tree === tree && mark.head === head ? mark.commit : null;
  }
  return null;
}

/** The newest kept mark's tree and commit when looked at with the same fingerprint; else null. */
export function keptLooked(
  record: WorkMarks | null,
  looked: string,
): { tree: string; commit: string } | null {
  const marks = record?.marks ?? [];
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i];
    if (!mark.commit) continue;
    return mark.looked === looked && mark.tree ? { tree: mark.tree, commit: mark.commit } : null;
  }
  return null;
}

export function serializeMarks(record: WorkMarks): string {
  return JSON.stringify(record, null, 2) + "\n";
}
