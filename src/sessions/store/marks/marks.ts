/**
 * A session's work-tree marks: the whole work tree, as a git tree, at each moment the session
 * began or stopped being worked on (`mpm start`, `resume`, every pause, `done`, `cancel`,
 * `branch`, `return`). `mpm diff` and `mpm revert` compare them: what changed while the
 * session was being worked on is the session's; what changed between a pause and the next
 * resume is not. Stored as `.claude-mpm/threads/<key>/work-tree.json`, the trees kept alive in
 * git by `refs/mpm/marks/<key>` (src/git/objects/work_keep.ts). Pure: the record, declared once as
 * its check (kernel/check.ts), and how a new mark joins it.
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
  /** When. */
  at: string(),
  /** HEAD's commit then; null without commits. */
  head: nullable(oid),
  /** The work tree as a git tree; null when it could not be captured (too many dirty paths). */
  tree: nullable(oid),
  /** The commit on `ref` that keeps `tree` (and `head`) from being collected. */
  commit: nullable(oid),
  /** Dirty paths whose content the tree does not hold (folders, files over 32 MiB). */
  left_out: array(string()),
  /** How many paths had uncommitted work then. */
  dirty: int("nonnegative"),
  /**
   * A fingerprint of HEAD and each dirty path as it was on disk (work_keep.ts): a later mark
   * with the same one holds the same tree, and keeps this mark's commit.
   */
  looked: optional(string()),
}, "keep");
export type WorkMark = Out<typeof markCheck>;

/** A session's marks: resume and pause read them with this while they hold the lock. */
export const marksCheck = object({
  /** The record's version: 1. */
  schema_version: int("positive"),
  /** The session's key. */
  key: string(),
  /** The ref that keeps the marks' commits, `refs/mpm/marks/<key>`. */
  ref: string(),
  /** Oldest first; at most 200 (past that, the first pause and the resume after it merge). */
  marks: array(markCheck),
  /**
   * This machine's HMAC-SHA256 of the file's text (kernel/hashing/seal.ts), written last: a record
   * it did not seal is no record of the person's (marks_store.ts).
   */
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
  // Dropping the second and third marks (a pause and the resume after it) counts that pause's
  // gap as the session's: less exact, never wrong about what the session did.
  while (marks.length > MAX_MARKS) marks.splice(1, 2);
  return { schema_version: MARKS_VERSION, key, ref: workRef(key), marks };
}

/** The commit of the newest mark that has one: the parent of the next. */
export function lastCommit(record: WorkMarks | null): string | null {
  const marks = record?.marks ?? [];
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i].commit) return marks[i].commit;
  return null;
}

/**
 * The commit that already keeps `tree` and `head`: the newest kept mark's, when it holds the same
 * two (nothing changed since: a resume right after a pause, a session ending unchanged). Null
 * when a new commit is needed.
 */
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

/**
 * The tree and commit of the newest kept mark when it was looked at with the same fingerprint
 * (the same HEAD and the same dirty files: a resume right after its pause); else null.
 */
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
