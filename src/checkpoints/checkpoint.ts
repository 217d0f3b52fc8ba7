/**
 * The checkpoint: a named record of the work at a milestone (git state, the active session and
 * its todos, a note), stored as `checkpoints/NAME.json` with its `.sha256` and `.md`. Pure.
 */
import {
  array,
  boolean,
  checkValue,
  int,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../kernel/check.ts";
import { errorText, IntegrityError, UsageError } from "../kernel/errors.ts";
import { quoted } from "../kernel/format/text.ts";
import { holdsSecret } from "../kernel/safe_text/record_text.ts";
import type { TextFields } from "../kernel/safe_text/text_fields.ts";
import {
  type ContextRecord,
  contextRecordCheck,
  type Todo,
  todoCheck,
} from "../kernel/snapshot.ts";

export const CHECKPOINT_SCHEMA_VERSION = 1;

/** A path in the working tree: a file or link (hashed), a folder (presence only), or missing. */
const fileKindCheck = oneOf(["file", "symlink", "dir", "missing"]);
export type FileKind = Out<typeof fileKindCheck>;

const dirtyFileCheck = object({
  path: string(),
  /** How git saw it: staged, modified, untracked, deleted, renamed or conflicted. */
  status: string(),
  kind: fileKindCheck,
  /** sha256 of the working-tree bytes; null for a folder or a missing path. */
  sha256: nullable(string()),
}, "keep");
export type DirtyFile = Out<typeof dirtyFileCheck>;

const checkpointGitCheck = object({
  /** The branch checked out; null on a detached HEAD. */
  branch: nullable(string()),
  /** HEAD's commit; null without commits. */
  head: nullable(string()),
  detached: boolean,
  commit_message: nullable(string()),
  /** Every path with uncommitted work, untracked folders expanded to their files; by path. */
  files: array(dirtyFileCheck),
}, "keep");
export type CheckpointGit = Out<typeof checkpointGitCheck>;

const checkpointSessionCheck = object({
  key: string(),
  name: nullable(string()),
  task: nullable(string()),
  template: nullable(string()),
  started_at: string(),
  parent: nullable(string()),
  depth: int("nonnegative"),
  notes: array(string()),
}, "keep");
export type CheckpointSession = Out<typeof checkpointSessionCheck>;

export const checkpointCheck = object({
  /** The record's version: 1. A newer one is refused (upgrade mpm). */
  schema_version: int("positive"),
  /** Letters, digits and `._-`, not starting with `.` or `-`, at most 100 characters. */
  name: string(),
  /** When it was saved (ISO 8601, UTC). */
  saved_at: string(),
  /** The person's note (`--note`). */
  note: nullable(string()),
  project_path: string(),
  version: string(),
  build: string(),
  /** Null outside git. */
  git: nullable(checkpointGitCheck),
  /** The active session at the time; null when none was active. */
  session: nullable(checkpointSessionCheck),
  todos: array(todoCheck),
  /** The snapshot ids on the branch stack, bottom first. */
  stack: array(string()),
  /** The context file then (redacted); null: none. */
  context_file: nullable(contextRecordCheck),
  /** The host name of the machine that saved it (shown, never trusted); absent: none known. */
  machine: optional(string()),
  /** Present when mpm saved it on its own, before a compaction (retention.ts). */
  auto: optional(object({
    trigger: string(),
  }, "keep")),
  /** This machine's seal of the record (kernel/hashing/seal.ts): absent without a machine key. */
  seal: optional(string()),
}, "keep");
export type Checkpoint = Out<typeof checkpointCheck>;

/** Free text, redacted as written; the name (never a secret), times, hashes, git facts exact. */
export const checkpointText: TextFields = {
  free: [
    "note",
    "git.commit_message",
    "session.name",
    "session.task",
    "session.template",
    "session.notes",
    "todos.content",
    "context_file.text",
    "machine",
  ],
  exact: [
    "name",
    "saved_at",
    "project_path",
    "version",
    "build",
    "git.branch",
    "git.head",
    "git.files",
    "session.key",
    "session.started_at",
    "session.parent",
    "todos.status",
    "stack",
    "context_file.file",
    "context_file.sha256",
    "auto.trigger",
    "seal",
    "sync_origin",
  ],
};

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
export const MAX_NAME_LENGTH = 100;

/** A plain name, never hidden nor read as an option: always one safe file name. */
export function isCheckpointName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/** Words as a checkpoint name (`before deploy` → `before-deploy`); the words if nothing is left. */
export function checkpointNameFrom(words: string): string {
  const name = words.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "")
    .slice(0, MAX_NAME_LENGTH).replace(/-+$/, "");
  return isCheckpointName(name) ? name : words;
}

export function assertCheckpointName(name: string): void {
  if (isCheckpointName(name)) return;
  const shaped = checkpointNameFrom(name);
  throw new UsageError(
    `${quoted(name)} is not a valid checkpoint name.`,
    `Use letters, digits, ".", "_" and "-" (not first: "." or "-"), at most ${MAX_NAME_LENGTH} characters${
      shaped === name ? "" : `, e.g. ${shaped}`
    }.`,
  );
}

/** A valid name that does not look like a secret: it becomes a file name, never redacted. */
export function assertNewCheckpointName(name: string): void {
  assertCheckpointName(name);
  if (holdsSecret(name)) {
    throw new UsageError(
      `The checkpoint name ${quoted(name)} looks like a secret (a token or key).`,
      "Choose a name that says what the checkpoint is for, e.g. before-refactor.",
    );
  }
}

export interface CheckpointInput {
  name: string;
  now: Date;
  note?: string;
  projectPath: string;
  version: string;
  build: string;
  git: CheckpointGit | null;
  session: CheckpointSession | null;
  todos: Todo[];
  stack: string[];
  /** The context file's record (src/context/record.ts); null (none) when not given. */
  contextFile?: ContextRecord | null;
  /** This machine's name (sessions/store/records/snapshot/machine.ts). */
  machine?: string;
  auto?: { trigger: "pre-compact" };
}

/** The record before the writer redacts its free text (`checkpointText`). */
export function buildCheckpoint(input: CheckpointInput): Checkpoint {
  assertNewCheckpointName(input.name);
  const note = input.note?.trim();
  const session = input.session && { ...input.session, notes: [...input.session.notes] };
  return {
    schema_version: CHECKPOINT_SCHEMA_VERSION,
    name: input.name,
    saved_at: input.now.toISOString(),
    note: note ? note : null,
    project_path: input.projectPath,
    version: input.version,
    build: input.build,
    git: input.git && {
      ...input.git,
      files: [...input.git.files].sort((a, b) => compareText(a.path, b.path)),
    },
    session,
    todos: input.todos.map((t) => ({ content: t.content, status: t.status })),
    stack: input.stack,
    context_file: input.contextFile ?? null,
    ...(input.machine !== undefined ? { machine: input.machine } : {}),
    ...(input.auto !== undefined ? { auto: input.auto } : {}),
  };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical bytes: 2-space JSON with a trailing newline. */
export function serializeCheckpoint(record: Checkpoint): string {
  return JSON.stringify(record, null, 2) + "\n";
}

/** A stored file's text as a validated record; a newer schema is refused whole. */
export function decodeCheckpoint(text: string, shown: string): Checkpoint {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new IntegrityError(
      `${shown} is not valid JSON (${errorText(error)}).`,
      "Restore it from a backup, or remove it with `mpm checkpoint rm`.",
    );
  }
  const version = (raw as { schema_version?: unknown } | null)?.schema_version;
  if (typeof version === "number" && version > CHECKPOINT_SCHEMA_VERSION) {
    throw new IntegrityError(
      `${shown} was written by a newer mpm (checkpoint schema ${version}; this mpm reads up to ${CHECKPOINT_SCHEMA_VERSION}).`,
      "Upgrade mpm to read it.",
    );
  }
  const checked = checkValue(checkpointCheck, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    throw new IntegrityError(
      `${shown} is not a valid checkpoint (${path.join(".") || "the top level"}: ${message}).`,
      "Restore it from a backup, or remove it with `mpm checkpoint rm`.",
    );
  }
  return checked.value;
}
