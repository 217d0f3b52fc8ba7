/**
 * `state.json`: the project's active session (its todos and notes) and the stack of parent
 * sessions that `mpm branch` pushed. Validated with zod on every read.
 */
import * as z from "../../../kernel/zod.ts";
import { todoSchema } from "../../../kernel/snapshot.ts";
import {
  array,
  boolean,
  type Check,
  int,
  nullable,
  object,
  oneOf,
  optional,
  string,
  withDefault,
} from "../../../kernel/check.ts";

export const STATE_VERSION = 1;

/**
 * The schemas, built on first use (src/kernel/zod.ts says why), with the snapshot's, whose todo
 * they extend.
 */
function buildSchemas() {
  const TodoSchema = todoSchema();

  const TodoItemSchema = z.extend(TodoSchema, {
    created_at: z.optional(z.string()),
    completed_at: z.optional(z.nullable(z.string())),
    /** The template phase ("Setup Phase") the item came from, if any. */
    phase: z.optional(z.nullable(z.string())),
    /**
     * The todo's number for its whole life (`mpm todo done 2`): never reused or shifted, done or
     * removed. Absent on todos of older mpm versions, which are numbered in order when first read.
     */
    number: z.optional(z.int().check(z.positive())),
  });

  const ActiveSessionSchema = z.looseObject({
    /** The session's key (`mpm.key` in its snapshots), kept across its pauses and resumes. */
    key: z.string(),
    name: z.nullable(z.string()),
    task: z.nullable(z.string()),
    template: z.nullable(z.string()),
    started_at: z.string(),
    /** Started implicitly (by `mpm todo add` with nothing active, say). */
    adhoc: z._default(z.boolean(), false),
    /** The snapshot this session was resumed from, if any. */
    resumed_from: z._default(z.nullable(z.string()), null),
    /** The parent's snapshot (the one `mpm branch` wrote), when this is a branched child. */
    parent: z._default(z.nullable(z.string()), null),
    depth: z._default(z.int().check(z.nonnegative()), 0),
    todos: z._default(z.array(TodoItemSchema), []),
    notes: z._default(z.array(z.string()), []),
    /**
     * True once the session holds something no snapshot has (it was started here, or its todos
     * changed since it was resumed): switching away from it then needs a pause first.
     */
    dirty: z._default(z.boolean(), false),
  });

  /** One path of the parent's uncommitted work, as `src/git/objects/tree_record.ts` reads it. */
  const PathRecordSchema = z.object({
    path: z.string(),
    head: z.nullable(z.string()),
    index: z.nullable(z.string()),
    mode: z.nullable(z.string()),
    work: z.nullable(z.string()),
    untracked: z.optional(z.boolean()),
    conflicted: z.optional(z.boolean()),
  });

  /**
   * What `mpm return` is about to do, recorded before it writes or changes anything, so a run
   * killed at any point is finished by the next one from here, the same way.
   */
  const ReturningSchema = z.looseObject({
    started_at: z.string(),
    /**
     * The id of the child's final snapshot: chosen here, written next (under this id, dated
     * `started_at`), so a second run writes it only if the first did not — never a second one.
     */
    completed: z.nullable(z.string()),
    /** The person's words for that snapshot (redacted), so a second run writes the same. */
    words: z.optional(z.looseObject({
      summary: z.nullable(z.string()),
      accomplishments: z.array(z.string()),
    })),
    /** The child session as it was (null when it had been paused). */
    child: z.nullable(ActiveSessionSchema),
    keep_branch: z.boolean(),
    /** Untracked paths present before anything was re-applied: not mpm's to undo. */
    untracked: z.array(z.string()),
  });

  const StackFrameSchema = z.looseObject({
    /**
     * The snapshot `mpm branch` wrote of the parent (state "branched"); null when nothing was
     * active: the child then has no parent session, and `mpm return` restores only git's side.
     */
    snapshot_id: z.nullable(z.string()),
    /** The parent's session key; null with `snapshot_id`. */
    key: z.nullable(z.string()),
    name: z.nullable(z.string()),
    /** The parent's git branch and commit at the moment of branching (null outside git). */
    git_branch: z.nullable(z.string()),
    git_head: z.nullable(z.string()),
    /**
     * The message of the stash holding the parent's uncommitted work. While `phase` is
     * "branching" it is the stash about to be made, which may or may not exist yet.
     */
    stash: z.nullable(z.string()),
    /** The git branch the child switched to, when `--git-branch` was given. */
    child_git_branch: z._default(z.nullable(z.string()), null),
    /** The child's name, for messages about an interrupted branch or return. */
    child_name: z.optional(z.nullable(z.string())),
    branched_at: z.string(),
    /**
     * "branching": recorded before `mpm branch` changed anything and not finished (a kill, a
     * crash): `mpm return` undoes it. "returning": `mpm return` began and did not finish: the next
     * `mpm return` finishes it. "ready" otherwise (and in files from before these phases).
     */
    phase: z.optional(z.enum(["branching", "ready", "returning"])),
    /**
     * The parent's uncommitted paths at the moment of branching (index and work tree, untracked
     * included): what `mpm return` must give back. Null outside git and in older files.
     */
    tree: z.optional(z.nullable(z.array(PathRecordSchema))),
    returning: z.optional(z.nullable(ReturningSchema)),
    /** The parent exactly as it was (todo order, notes), so `mpm return` restores it as it was. */
    session: z.optional(ActiveSessionSchema),
  });

  /** A stash `mpm return` kept because the work did not come back exactly (files named then). */
  const KeptStashSchema = z.looseObject({
    message: z.string(),
    /** "inexact" (applied, not exactly) or "conflict" (unmerged paths, or nothing applied). */
    status: z.string(),
    kept_at: z.string(),
  });

  const StateSchema = z.looseObject({
    schema_version: z.int().check(z.positive()),
    active: z.nullable(ActiveSessionSchema),
    /** Bottom first: the last frame is the direct parent of the active session. */
    stack: z.array(StackFrameSchema),
    /**
     * Stashes `mpm return` kept on purpose: not orphans, but not to be re-applied either (their
     * work was applied, inexactly). Entries whose stash is gone are dropped at the next return.
     */
    kept_stashes: z.optional(z.array(KeptStashSchema)),
  });

  return {
    TodoItemSchema,
    ActiveSessionSchema,
    PathRecordSchema,
    ReturningSchema,
    StackFrameSchema,
    KeptStashSchema,
    StateSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;

/** The schemas of state.json, built on the first call. */
export const stateSchemas: () => Schemas = z.builtOnce(buildSchemas);

export type TodoItem = z.infer<Schemas["TodoItemSchema"]>;
export type ActiveSession = z.infer<Schemas["ActiveSessionSchema"]>;
export type StackFrame = z.infer<Schemas["StackFrameSchema"]>;
export type KeptStash = z.infer<Schemas["KeptStashSchema"]>;
export type State = z.infer<Schemas["StateSchema"]>;

/** A todo as the state keeps it (`TodoItemSchema`), checked by hand as part of stateCheck. */
export const todoItemCheck: Check<TodoItem> = object({
  content: string(),
  status: oneOf(["pending", "in_progress", "completed"]),
  created_at: optional(string()),
  completed_at: optional(nullable(string())),
  phase: optional(nullable(string())),
  number: optional(int("positive")),
}, "keep") as Check<unknown> as Check<TodoItem>;

/**
 * state.json as `StateSchema` checks it, written by hand (kernel/check.ts): every command that
 * changes the state reads and writes it through this, and building the schema was most of that.
 * `tests/sessions/state_check_test.ts` holds it to the schema over every one-field variant.
 */
export const stateCheck: Check<State> = buildStateCheck();

function buildStateCheck(): Check<State> {
  const strings = array(string());
  const text = nullable(string());
  const todoItem = todoItemCheck;
  const activeSession = object({
    key: string(),
    name: text,
    task: text,
    template: text,
    started_at: string(),
    adhoc: withDefault(boolean, false),
    resumed_from: withDefault(text, null),
    parent: withDefault(text, null),
    depth: withDefault(int("nonnegative"), 0),
    todos: withDefault(array(todoItem), []),
    notes: withDefault(strings, []),
    dirty: withDefault(boolean, false),
  }, "keep");
  const pathRecord = object({
    path: string(),
    head: text,
    index: text,
    mode: text,
    work: text,
    untracked: optional(boolean),
    conflicted: optional(boolean),
  }, "strip");
  const returning = object({
    started_at: string(),
    completed: text,
    words: optional(object({ summary: text, accomplishments: strings }, "keep")),
    child: nullable(activeSession),
    keep_branch: boolean,
    untracked: strings,
  }, "keep");
  const stackFrame = object({
    snapshot_id: text,
    key: text,
    name: text,
    git_branch: text,
    git_head: text,
    stash: text,
    child_git_branch: withDefault(text, null),
    child_name: optional(text),
    branched_at: string(),
    phase: optional(oneOf(["branching", "ready", "returning"])),
    tree: optional(nullable(array(pathRecord))),
    returning: optional(nullable(returning)),
    session: optional(activeSession),
  }, "keep");
  const keptStash = object({ message: string(), status: string(), kept_at: string() }, "keep");
  const state = object({
    schema_version: int("positive"),
    active: nullable(activeSession),
    stack: array(stackFrame),
    kept_stashes: optional(array(keptStash)),
  }, "keep");
  // The same record as the schema's type; the test holds the two to each other.
  return state as Check<unknown> as Check<State>;
}

/** The field of the active session that names its context partition (`mpm context use`). */
export const PARTITION_FIELD = "context_partition";

/** The session's context partition; null: `.claude/context.md`. The one place that reads it. */
export function contextPartition(session: ActiveSession | null): string | null {
  const value = (session as Record<string, unknown> | null)?.[PARTITION_FIELD];
  return typeof value === "string" ? value : null;
}

export function emptyState(): State {
  return { schema_version: STATE_VERSION, active: null, stack: [] };
}

export function serializeState(state: State): string {
  return JSON.stringify(state, null, 2) + "\n";
}
