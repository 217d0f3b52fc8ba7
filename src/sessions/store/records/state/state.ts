/** `state.json`: the active session and the stack of parents `mpm branch` pushed, as checked. */
import { todoCheck } from "../../../../kernel/snapshot.ts";
import { joined, type TextFields, within } from "../../../../kernel/safe_text/text_fields.ts";
import {
  array,
  boolean,
  int,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
  withDefault,
} from "../../../../kernel/check.ts";

export const STATE_VERSION = 1;

const strings = array(string());
const text = nullable(string());

/** A todo as the state keeps it: a snapshot's todo (`todoCheck`) and what the state adds. */
export const todoItemCheck = object({
  ...todoCheck.shape,
  created_at: optional(string()),
  /** When it was done; null while open. */
  completed_at: optional(nullable(string())),
  /** The template phase ("Setup Phase") the item came from, if any. */
  phase: optional(nullable(string())),
  /** Its number for life (`mpm todo done 2`), never reused; given in order when missing. */
  number: optional(int("positive")),
}, "keep");
export type TodoItem = Out<typeof todoItemCheck>;

export const activeSessionCheck = object({
  /** The session's key (`mpm.key` in its snapshots), kept across its pauses and resumes. */
  key: string(),
  /** The session's name (`mpm start NAME`). */
  name: text,
  /** What it is for (`--task`). */
  task: text,
  /** The template it was started from. */
  template: text,
  started_at: string(),
  /** Started implicitly (by `mpm todo add` with nothing active, say). */
  adhoc: withDefault(boolean, false),
  /** The snapshot this session was resumed from, if any. */
  resumed_from: withDefault(text, null),
  /** The parent's snapshot (the one `mpm branch` wrote), when this is a branched child. */
  parent: withDefault(text, null),
  /** How deep on the branch stack (0: no parent). */
  depth: withDefault(int("nonnegative"), 0),
  /** Its todos, in the order `mpm todo list` shows. */
  todos: withDefault(array(todoItemCheck), []),
  /** Notes a command recorded for the next pause. */
  notes: withDefault(strings, []),
  /** Holds what no snapshot has (started here, or todos changed): switching away pauses first. */
  dirty: withDefault(boolean, false),
}, "keep");
export type ActiveSession = Out<typeof activeSessionCheck>;

/** One path of the parent's uncommitted work, as `src/git/objects/tree_record.ts` reads it. */
const pathRecordCheck = object({
  /** The path, from the repository's top. */
  path: string(),
  /** Its blob in HEAD; null when absent. */
  head: text,
  /** Its blob in the index; null when absent. */
  index: text,
  /** Its mode in the index (`100644`). */
  mode: text,
  /** git's blob id of the raw bytes on disk; `dir` for a nested repository; null when absent. */
  work: text,
  /** True for an untracked file (absent otherwise). */
  untracked: optional(boolean),
  /** True for an unmerged path (absent otherwise). */
  conflicted: optional(boolean),
}, "strip");

/** What `mpm return` is about to do, recorded first so a killed run is finished the same way. */
const returningCheck = object({
  /** When the return began; the child's final snapshot is dated so. */
  started_at: string(),
  /** The child's final snapshot's id, chosen before it is written so a rerun never writes two. */
  completed: text,
  /** The person's words for that snapshot (redacted), so a second run writes the same. */
  words: object({ summary: text, accomplishments: strings }, "keep"),
  /** The child session as it was (null when it had been paused). */
  child: nullable(activeSessionCheck),
  /** `--keep-branch`: the child's git branch stays (a later run that finishes it may set it). */
  keep_branch: boolean,
  /** Untracked paths present before anything was re-applied: not mpm's to undo. */
  untracked: strings,
}, "keep");

export const stackFrameCheck = object({
  /** The parent's snapshot from `mpm branch`; null when nothing was active (git's side only). */
  snapshot_id: text,
  /** The parent's session key; null with `snapshot_id`. */
  key: text,
  name: text,
  /** The parent's git branch at the moment of branching (null outside git or detached). */
  git_branch: text,
  /** The parent's commit at the moment of branching (null outside git). */
  git_head: text,
  /** The stash holding the parent's work ("branching": maybe not made yet). */
  stash: text,
  /** That stash's commit once made: git keeps it after a drop, so `mpm return` can name it. */
  stash_commit: optional(text),
  /** The git branch the child switched to, when `--git-branch` was given. */
  child_git_branch: withDefault(text, null),
  /** The child's name, for messages about an interrupted branch or return. */
  child_name: optional(text),
  branched_at: string(),
  /** "branching" or "returning": interrupted, undone or finished by the next `mpm return`. */
  phase: optional(oneOf(["branching", "ready", "returning"])),
  /** The parent's uncommitted paths when branching (untracked too); null outside git. */
  tree: nullable(array(pathRecordCheck)),
  /** What a `mpm return` under way is about to do (while `phase` is "returning"). */
  returning: optional(nullable(returningCheck)),
  /** The parent exactly as it was (todo order, notes), so `mpm return` restores it as it was. */
  session: optional(activeSessionCheck),
}, "keep");
export type StackFrame = Out<typeof stackFrameCheck>;

/** A stash `mpm return` kept because the work did not come back exactly (files named then). */
const keptStashCheck = object({
  message: string(),
  /** "inexact" (applied, not exactly) or "conflict" (unmerged paths, or nothing applied). */
  status: string(),
  kept_at: string(),
}, "keep");
export type KeptStash = Out<typeof keptStashCheck>;

export const stateCheck = object({
  /** The record's version: 1. A newer one is refused (upgrade mpm). */
  schema_version: int("positive"),
  /** The active session; null when none is. */
  active: nullable(activeSessionCheck),
  /** Bottom first: the last frame is the direct parent of the active session. */
  stack: array(stackFrameCheck),
  /** Stashes `mpm return` kept on purpose (applied inexactly); dropped once gone. */
  kept_stashes: optional(array(keptStashCheck)),
  /** This machine's HMAC of the text (state_seal.ts), read and written by the store only. */
  seal: optional(string()),
}, "keep");
export type State = Out<typeof stateCheck>;

/** An active session's strings: its words, and the keys, times and names mpm matches exactly. */
export const activeText: TextFields = {
  free: ["name", "task", "template", "notes", "todos.content", "todos.phase"],
  exact: [
    "key",
    "started_at",
    "resumed_from",
    "parent",
    "context_partition",
    "todos.status",
    "todos.created_at",
    "todos.completed_at",
  ],
};

/** Free text, redacted as written, and exact strings (keys, ids, times, what return gives git). */
export const stateText: TextFields = joined(
  {
    free: [
      "stack.name",
      "stack.child_name",
      "stack.returning.words",
      "worktrees.kept",
    ],
    exact: [
      "seal",
      "stack.snapshot_id",
      "stack.key",
      "stack.git_branch",
      "stack.git_head",
      "stack.stash",
      "stack.stash_commit",
      "stack.child_git_branch",
      "stack.branched_at",
      "stack.phase",
      "stack.tree",
      "stack.worktree",
      "stack.returning.started_at",
      "stack.returning.completed",
      "stack.returning.untracked",
      "kept_stashes",
      "worktrees.name",
      "worktrees.path",
      "worktrees.branch",
      "worktrees.session",
      "worktrees.created_at",
    ],
  },
  within("active", activeText),
  within("stack.session", activeText),
  within("stack.returning.child", activeText),
);

/** Marks the empty state read for a `state.json` not written here (a symbol: never saved). */
const FOREIGN: unique symbol = Symbol("state.json not this machine's");

/** The empty state that stands for a `state.json` this machine did not write. */
export function foreignStand(): State {
  return Object.assign(emptyState(), { [FOREIGN]: true });
}

/** Whether `state` stands for a `state.json` this machine did not write (foreignStand). */
export function foreignState(state: State): boolean {
  return (state as { [FOREIGN]?: boolean })[FOREIGN] === true;
}

/** The session keys a state names: active, stacked parents, and its worktrees' sessions. */
export function namedSessionKeys(state: State): Set<string> {
  const keys = new Set<string>();
  if (state.active) keys.add(state.active.key);
  for (const frame of state.stack) if (frame.key) keys.add(frame.key);
  const worktrees = (state as Record<string, unknown>).worktrees;
  if (Array.isArray(worktrees)) {
    for (const w of worktrees) {
      const session = (w as { session?: unknown } | null)?.session;
      if (typeof session === "string" && session !== "") keys.add(session);
    }
  }
  return keys;
}

/** Whether a state holds nothing of a session: no active one, no stack, no worktree. */
export function holdsNoSession(state: State): boolean {
  return state.active === null && state.stack.length === 0 && namedSessionKeys(state).size === 0;
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
