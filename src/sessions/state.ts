/**
 * `state.json`: the project's active session (its todos and notes) and the stack of parent
 * sessions that `mpm branch` pushed. Validated with zod on every read.
 */
import { z } from "zod";
import { TodoSchema } from "../kernel/snapshot.ts";

export const STATE_VERSION = 1;

export const TodoItemSchema = TodoSchema.extend({
  created_at: z.string().optional(),
  completed_at: z.string().nullable().optional(),
  /** The template phase ("Setup Phase") the item came from, if any. */
  phase: z.string().nullable().optional(),
});
export type TodoItem = z.infer<typeof TodoItemSchema>;

export const ActiveSessionSchema = z.looseObject({
  /** A stable key for this piece of work, kept across its pauses and resumes. */
  key: z.string(),
  name: z.string().nullable(),
  task: z.string().nullable(),
  template: z.string().nullable(),
  started_at: z.string(),
  /** Started implicitly (by `mpm todo add` with nothing active, say). */
  adhoc: z.boolean().default(false),
  /** The snapshot this session was resumed from, if any. */
  resumed_from: z.string().nullable().default(null),
  /** The parent's snapshot (the one `mpm branch` wrote), when this is a branched child. */
  parent: z.string().nullable().default(null),
  depth: z.number().int().nonnegative().default(0),
  todos: z.array(TodoItemSchema).default([]),
  notes: z.array(z.string()).default([]),
  /**
   * True once the session holds something no snapshot has (it was started here, or its todos
   * changed since it was resumed): switching away from it then needs a pause first.
   */
  dirty: z.boolean().default(false),
});
export type ActiveSession = z.infer<typeof ActiveSessionSchema>;

export const StackFrameSchema = z.looseObject({
  /** The snapshot `mpm branch` wrote of the parent (state "branched"). */
  snapshot_id: z.string(),
  key: z.string(),
  name: z.string().nullable(),
  /** The parent's git branch and commit at the moment of branching (null outside git). */
  git_branch: z.string().nullable(),
  git_head: z.string().nullable(),
  /** The message of the stash holding the parent's uncommitted work, when `--stash` made one. */
  stash: z.string().nullable(),
  /** The git branch the child switched to, when `--git-branch` was given. */
  child_git_branch: z.string().nullable().default(null),
  branched_at: z.string(),
  /** The parent exactly as it was (todo order, notes), so `mpm return` restores it as it was. */
  session: ActiveSessionSchema.optional(),
});
export type StackFrame = z.infer<typeof StackFrameSchema>;

export const StateSchema = z.looseObject({
  schema_version: z.number().int().positive(),
  active: ActiveSessionSchema.nullable(),
  /** Bottom first: the last frame is the direct parent of the active session. */
  stack: z.array(StackFrameSchema),
});
export type State = z.infer<typeof StateSchema>;

export function emptyState(): State {
  return { schema_version: STATE_VERSION, active: null, stack: [] };
}

export function serializeState(state: State): string {
  return JSON.stringify(state, null, 2) + "\n";
}
