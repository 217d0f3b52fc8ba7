/**
 * The snapshot: one immutable record of a paused session. Field names follow claude-mpm's
 * documented format; `schema_version` and the `mpm` object are mpm's own additions.
 * docs/format.md describes every field; keep the two in step.
 */
import * as z from "./zod.ts";
import {
  array,
  boolean,
  type Check,
  int,
  nonnegativeNumber,
  nullable,
  object,
  oneOf,
  optional,
  record,
  string,
  withDefault,
} from "./check.ts";

export const SCHEMA_VERSION = 1;

/**
 * A todo, as a snapshot and the state (sessions/store/records/state.ts) hold it: built apart, so that
 * reading the state does not build every snapshot schema for it.
 */
export const todoSchema = z.builtOnce(() =>
  z.looseObject({
    content: z.string(),
    status: z.enum(["pending", "in_progress", "completed"]),
  })
);

/**
 * The schemas, built on first use (src/kernel/zod.ts says why): a process that never reads a
 * snapshot does not pay for building them.
 */
function buildSchemas() {
  const TodoSchema = todoSchema();

  const AheadBehindSchema = z.object({ ahead: z.int(), behind: z.int() });

  const RenameSchema = z.object({ from: z.string(), to: z.string() });

  const GitContextSchema = z.looseObject({
    branch: z.nullable(z.string()),
    commit: z.nullable(z.string()),
    commit_message: z.nullable(z.string()),
    detached: z._default(z.boolean(), false),
    upstream: z._default(z.nullable(z.string()), null),
    status: z.looseObject({
      modified: z.array(z.string()),
      staged: z.array(z.string()),
      untracked: z.array(z.string()),
      deleted: z._default(z.array(z.string()), []),
      renamed: z._default(z.array(RenameSchema), []),
      conflicted: z._default(z.array(z.string()), []),
    }),
    is_clean: z.boolean(),
    ahead_behind: z.nullable(AheadBehindSchema),
    /**
     * What each path with uncommitted work held at pause, as the git object id `git add` would
     * have stored (null: the path did not exist). Paths left out are unknown. Lets `resume` tell
     * work later committed as it was from a real collision.
     */
    blobs: z.optional(z.record(z.string(), z.nullable(z.string()))),
  });

  /** "cancelled": ended by `mpm cancel` (sessions/store/records/lifecycle.ts has the whole lifecycle). */
  const SessionStateSchema = z.enum([
    "paused",
    "branched",
    "completed",
    "cancelled",
    "active",
  ]);

  const ContextUsageSchema = z.looseObject({
    tokens: z.int().check(z.nonnegative()),
    /** Null when Claude Code did not say how large the window is (mpm no longer guesses). */
    window: z.nullable(z.int().check(z.positive())),
    percent: z.nullable(z.number().check(z.nonnegative())),
    model: z._default(z.nullable(z.string()), null),
    /** Where the window came from: `override` (MPM_CONTEXT_WINDOW), `claude` (reported), `model` ([1m] id), `size` (a request over 200,000 tokens). */
    window_source: z.optional(z.enum(["override", "claude", "model", "size"])),
  });

  /**
   * The project's context file as a snapshot or checkpoint saw it (src/context/record.ts): which
   * file, the sha256 of its bytes, and its text redacted (null when it was larger than a record
   * keeps: then only the hash tells a change).
   */
  const ContextRecordSchema = z.looseObject({
    file: z.string(),
    sha256: z.string(),
    text: z.nullable(z.string()),
  });

  const MpmInfoSchema = z.looseObject({
    name: z._default(z.nullable(z.string()), null),
    task: z._default(z.nullable(z.string()), null),
    template: z._default(z.nullable(z.string()), null),
    state: z._default(SessionStateSchema, "paused"),
    parent: z._default(z.nullable(z.string()), null),
    depth: z._default(z.int().check(z.nonnegative()), 0),
    claude_session_id: z._default(z.nullable(z.string()), null),
    context_usage: z._default(z.nullable(ContextUsageSchema), null),
    /** Whether the summary was given by the user, written by mpm, or made by a hook. */
    summary_source: z._default(z.enum(["user", "default", "auto"]), "user"),
    /** Anything else a pause recorded (worktree pruning, the automatic-pause reason). */
    notes: z._default(z.array(z.string()), []),
    /**
     * Who wrote the words: a person (`pause` or `return` with words) or mpm (a hook, `branch`, a
     * bare `pause`). Absent on snapshots of older mpm versions: see `writtenBy()`.
     */
    written_by: z.optional(z.enum(["person", "mpm"])),
    /** What mpm saved on its own, for a snapshot mpm wrote: why, and its own words about it. */
    auto: z.optional(z.nullable(z.looseObject({ trigger: z.string(), note: z.string() }))),
    /**
     * The words (summary, accomplishments, next steps, name, todos) were carried forward from the
     * snapshot a person wrote, `from`, at `written_at`.
     */
    carried: z.optional(z.nullable(z.looseObject({ from: z.string(), written_at: z.string() }))),
    /** The context file at the time; null: there was none; absent: an mpm before these records. */
    context_file: z.optional(z.nullable(ContextRecordSchema)),
    /** Why the session was cancelled (`mpm cancel --reason`), redacted. */
    reason: z.optional(z.nullable(z.string())),
    /** This machine's seal over the record (kernel/hashing/seal.ts); absent: not sealed. */
    seal: z.optional(z.string()),
  });

  const SnapshotSchema = z.looseObject({
    schema_version: z.int().check(z.positive()),
    session_id: z.string(),
    paused_at: z.string(),
    conversation: z.looseObject({
      summary: z.string(),
      accomplishments: z.array(z.string()),
      next_steps: z.array(z.string()),
    }),
    git_context: z.nullable(GitContextSchema),
    todos: z.object({ active: z.array(TodoSchema), completed: z.array(TodoSchema) }),
    version: z.string(),
    build: z.string(),
    project_path: z.string(),
    mpm: MpmInfoSchema,
  });

  return {
    TodoSchema,
    AheadBehindSchema,
    RenameSchema,
    GitContextSchema,
    SessionStateSchema,
    ContextUsageSchema,
    ContextRecordSchema,
    MpmInfoSchema,
    SnapshotSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;

/** The snapshot's schemas, built on the first call. */
export const snapshotSchemas: () => Schemas = z.builtOnce(buildSchemas);

export type Todo = z.infer<Schemas["TodoSchema"]>;
export type AheadBehind = z.infer<Schemas["AheadBehindSchema"]>;
export type GitContext = z.infer<Schemas["GitContextSchema"]>;
export type SessionState = z.infer<Schemas["SessionStateSchema"]>;
export type ContextUsage = z.infer<Schemas["ContextUsageSchema"]>;
export type ContextRecord = z.infer<Schemas["ContextRecordSchema"]>;
export type MpmInfo = z.infer<Schemas["MpmInfoSchema"]>;
export type Snapshot = z.infer<Schemas["SnapshotSchema"]>;

/**
 * The snapshot as its schema checks it, written by hand (kernel/check.ts): every command that
 * reads a snapshot mpm wrote (resume, list, show, SessionStart without its digest) checks it with
 * this, and only files of older tools still build the zod schemas (legacy/normalize.ts).
 * `tests/sessions/snapshot_check_test.ts` holds it to `SnapshotSchema` over every one-field
 * variant of a full record: the same acceptance, value, key order and first problem.
 */
export const snapshotCheck: Check<Snapshot> = buildSnapshotCheck();

function buildSnapshotCheck(): Check<Snapshot> {
  const strings = array(string());
  const todo = object({
    content: string(),
    status: oneOf(["pending", "in_progress", "completed"]),
  }, "keep");
  const gitContext = object({
    branch: nullable(string()),
    commit: nullable(string()),
    commit_message: nullable(string()),
    detached: withDefault(boolean, false),
    upstream: withDefault(nullable(string()), null),
    status: object({
      modified: strings,
      staged: strings,
      untracked: strings,
      deleted: withDefault(strings, []),
      renamed: withDefault(array(object({ from: string(), to: string() }, "strip")), []),
      conflicted: withDefault(strings, []),
    }, "keep"),
    is_clean: boolean,
    ahead_behind: nullable(object({ ahead: int(), behind: int() }, "strip")),
    blobs: optional(record(string(), nullable(string()))),
  }, "keep");
  const contextUsage = object({
    tokens: int("nonnegative"),
    window: nullable(int("positive")),
    percent: nullable(nonnegativeNumber),
    model: withDefault(nullable(string()), null),
    window_source: optional(oneOf(["override", "claude", "model", "size"])),
  }, "keep");
  const contextRecord = object({
    file: string(),
    sha256: string(),
    text: nullable(string()),
  }, "keep");
  const text = withDefault(nullable(string()), null);
  const mpmInfo = object({
    name: text,
    task: text,
    template: text,
    state: withDefault(
      oneOf(["paused", "branched", "completed", "cancelled", "active"]),
      "paused",
    ),
    parent: text,
    depth: withDefault(int("nonnegative"), 0),
    claude_session_id: text,
    context_usage: withDefault(nullable(contextUsage), null),
    summary_source: withDefault(oneOf(["user", "default", "auto"]), "user"),
    notes: withDefault(strings, []),
    written_by: optional(oneOf(["person", "mpm"])),
    auto: optional(nullable(object({ trigger: string(), note: string() }, "keep"))),
    carried: optional(nullable(object({ from: string(), written_at: string() }, "keep"))),
    context_file: optional(nullable(contextRecord)),
    reason: optional(nullable(string())),
    seal: optional(string()),
  }, "keep");
  const snapshot = object({
    schema_version: int("positive"),
    session_id: string(),
    paused_at: string(),
    conversation: object({
      summary: string(),
      accomplishments: strings,
      next_steps: strings,
    }, "keep"),
    git_context: nullable(gitContext),
    todos: object({ active: array(todo), completed: array(todo) }, "strip"),
    version: string(),
    build: string(),
    project_path: string(),
    mpm: mpmInfo,
  }, "keep");
  // The same record as the schema's type; the test holds the two to each other.
  return snapshot as Check<unknown> as Check<Snapshot>;
}

/** Who wrote a snapshot's words; older snapshots say it through `summary_source`. */
export function writtenBy(snapshot: Snapshot): "person" | "mpm" {
  return snapshot.mpm.written_by ?? (snapshot.mpm.summary_source === "user" ? "person" : "mpm");
}

/**
 * Marks a snapshot read from disk whose seal (kernel/hashing/seal.ts, `mpm.seal`) does not show that
 * this machine wrote it: pulled from a teammate, committed into a cloned repository, written by
 * an older mpm or edited by hand (sessions/store/snapshots/store.ts sets it as it reads). A symbol, so
 * no rendering or serialisation carries it.
 */
export const WRITTEN_ELSEWHERE: unique symbol = Symbol("written elsewhere");

/** Whether a snapshot came from anywhere but this machine's own writes. */
export function writtenElsewhere(snapshot: Snapshot): boolean {
  return (snapshot as { [WRITTEN_ELSEWHERE]?: boolean })[WRITTEN_ELSEWHERE] === true;
}

/**
 * The key of the session a snapshot belongs to, as written: its `mpm.key`, else its own id (a
 * snapshot without a key is a session of its own). What a session is resumed, replayed and
 * recorded under (`threads/<key>/`).
 */
export function sessionKey(snapshot: Snapshot): string {
  const key = (snapshot.mpm as Record<string, unknown>).key;
  return typeof key === "string" && key !== "" ? key : snapshot.session_id;
}

/**
 * The session a snapshot counts in on this machine: its sessionKey, set apart
 * (`elsewhere:<key>`) when it was written elsewhere. Such a snapshot is never in one of this
 * machine's sessions, whatever key it carries: a teammate's words are not carried as the
 * person's, and a teammate's `cancelled` ends no work of theirs.
 */
export function localSessionKey(snapshot: Snapshot): string {
  const key = sessionKey(snapshot);
  return writtenElsewhere(snapshot) ? `elsewhere:${key}` : key;
}

/** The canonical bytes of a snapshot: 2-space JSON with a trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}
