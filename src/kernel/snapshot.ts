/**
 * The snapshot: one immutable record of a paused session. Field names follow claude-mpm's
 * documented format; `schema_version` and the `mpm` object are mpm's own additions.
 * docs/format.md describes every field; keep the two in step.
 */
import * as z from "./zod.ts";

export const SCHEMA_VERSION = 1;

export const TodoSchema = z.looseObject({
  content: z.string(),
  status: z.enum(["pending", "in_progress", "completed"]),
});
export type Todo = z.infer<typeof TodoSchema>;

export const AheadBehindSchema = z.object({ ahead: z.number().int(), behind: z.number().int() });
export type AheadBehind = z.infer<typeof AheadBehindSchema>;

export const RenameSchema = z.object({ from: z.string(), to: z.string() });

export const GitContextSchema = z.looseObject({
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  commit_message: z.string().nullable(),
  detached: z.boolean().default(false),
  upstream: z.string().nullable().default(null),
  status: z.looseObject({
    modified: z.array(z.string()),
    staged: z.array(z.string()),
    untracked: z.array(z.string()),
    deleted: z.array(z.string()).default([]),
    renamed: z.array(RenameSchema).default([]),
    conflicted: z.array(z.string()).default([]),
  }),
  is_clean: z.boolean(),
  ahead_behind: AheadBehindSchema.nullable(),
  /**
   * What each path with uncommitted work held at pause, as the git object id `git add` would
   * have stored (null: the path did not exist). Paths left out are unknown. Lets `resume` tell
   * work later committed as it was from a real collision.
   */
  blobs: z.record(z.string(), z.string().nullable()).optional(),
});
export type GitContext = z.infer<typeof GitContextSchema>;

/** "cancelled": ended by `mpm cancel` (sessions/lifecycle.ts has the whole lifecycle). */
export const SessionStateSchema = z.enum([
  "paused",
  "branched",
  "completed",
  "cancelled",
  "active",
]);
export type SessionState = z.infer<typeof SessionStateSchema>;

export const ContextUsageSchema = z.looseObject({
  tokens: z.number().int().nonnegative(),
  /** Null when Claude Code did not say how large the window is (mpm no longer guesses). */
  window: z.number().int().positive().nullable(),
  percent: z.number().nonnegative().nullable(),
  model: z.string().nullable().default(null),
  /** Where the window came from: `override` (MPM_CONTEXT_WINDOW), `claude` (reported), `model` ([1m] id), `size` (a request over 200,000 tokens). */
  window_source: z.enum(["override", "claude", "model", "size"]).optional(),
});
export type ContextUsage = z.infer<typeof ContextUsageSchema>;

/**
 * The project's context file as a snapshot or checkpoint saw it (src/context/record.ts): which
 * file, the sha256 of its bytes, and its text redacted (null when it was larger than a record
 * keeps: then only the hash tells a change).
 */
export const ContextRecordSchema = z.looseObject({
  file: z.string(),
  sha256: z.string(),
  text: z.string().nullable(),
});
export type ContextRecord = z.infer<typeof ContextRecordSchema>;

export const MpmInfoSchema = z.looseObject({
  name: z.string().nullable().default(null),
  task: z.string().nullable().default(null),
  template: z.string().nullable().default(null),
  state: SessionStateSchema.default("paused"),
  parent: z.string().nullable().default(null),
  depth: z.number().int().nonnegative().default(0),
  claude_session_id: z.string().nullable().default(null),
  context_usage: ContextUsageSchema.nullable().default(null),
  /** Whether the summary was given by the user, written by mpm, or made by a hook. */
  summary_source: z.enum(["user", "default", "auto"]).default("user"),
  /** Anything else a pause recorded (worktree pruning, the automatic-pause reason). */
  notes: z.array(z.string()).default([]),
  /**
   * Who wrote the words: a person (`pause` or `return` with words) or mpm (a hook, `branch`, a
   * bare `pause`). Absent on snapshots of older mpm versions: see `writtenBy()`.
   */
  written_by: z.enum(["person", "mpm"]).optional(),
  /** What mpm saved on its own, for a snapshot mpm wrote: why, and its own words about it. */
  auto: z.looseObject({ trigger: z.string(), note: z.string() }).nullable().optional(),
  /**
   * The words (summary, accomplishments, next steps, name, todos) were carried forward from the
   * snapshot a person wrote, `from`, at `written_at`.
   */
  carried: z.looseObject({ from: z.string(), written_at: z.string() }).nullable().optional(),
  /** The context file at the time; null: there was none; absent: an mpm before these records. */
  context_file: ContextRecordSchema.nullable().optional(),
  /** Why the session was cancelled (`mpm cancel --reason`), redacted. */
  reason: z.string().nullable().optional(),
});
export type MpmInfo = z.infer<typeof MpmInfoSchema>;

export const SnapshotSchema = z.looseObject({
  schema_version: z.number().int().positive(),
  session_id: z.string(),
  paused_at: z.string(),
  conversation: z.looseObject({
    summary: z.string(),
    accomplishments: z.array(z.string()),
    next_steps: z.array(z.string()),
  }),
  git_context: GitContextSchema.nullable(),
  todos: z.object({ active: z.array(TodoSchema), completed: z.array(TodoSchema) }),
  version: z.string(),
  build: z.string(),
  project_path: z.string(),
  mpm: MpmInfoSchema,
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** Who wrote a snapshot's words; older snapshots say it through `summary_source`. */
export function writtenBy(snapshot: Snapshot): "person" | "mpm" {
  return snapshot.mpm.written_by ?? (snapshot.mpm.summary_source === "user" ? "person" : "mpm");
}

/** The line of work a snapshot belongs to: its session key, else its own id. */
export function lineOf(snapshot: Snapshot): string {
  const key = (snapshot.mpm as Record<string, unknown>).key;
  return typeof key === "string" && key !== "" ? key : snapshot.session_id;
}

/** The canonical bytes of a snapshot: 2-space JSON with a trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}
