/**
 * The snapshot: one immutable record of a paused session. Field names follow claude-mpm's
 * documented format; `schema_version` and the `mpm` object are mpm's own additions.
 * docs/format.md describes every field; keep the two in step.
 */
import { z } from "zod";

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
});
export type GitContext = z.infer<typeof GitContextSchema>;

export const SessionStateSchema = z.enum(["paused", "branched", "completed", "active"]);
export type SessionState = z.infer<typeof SessionStateSchema>;

export const ContextUsageSchema = z.object({
  tokens: z.number().int().nonnegative(),
  window: z.number().int().positive(),
  percent: z.number().nonnegative(),
  model: z.string().nullable().default(null),
});
export type ContextUsage = z.infer<typeof ContextUsageSchema>;

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

/** The canonical bytes of a snapshot: 2-space JSON with a trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return JSON.stringify(snapshot, null, 2) + "\n";
}
