/**
 * The active session: creating one, turning it into what a snapshot records, and bringing a
 * snapshot back as the active session. Pure: keys, times and git facts come in as arguments.
 */
import { UsageError } from "../../../kernel/errors.ts";
import { quoted } from "../../../kernel/format/text.ts";
import { type MpmInfo, sessionKey, type Snapshot } from "../../../kernel/snapshot.ts";
import type { ActiveSession, StackFrame, TodoItem } from "../records/state/state.ts";
import { todosFromSnapshot } from "../records/state/todos.ts";

export interface NewSession {
  key: string;
  now: Date;
  name?: string | null;
  task?: string | null;
  template?: string | null;
  todos?: TodoItem[];
  notes?: string[];
  adhoc?: boolean;
  /** The stack the session starts on top of: its parent is the last frame. */
  stack: readonly StackFrame[];
}

/** A fresh active session (the state's writer redacts its text). */
export function newSession(input: NewSession): ActiveSession {
  const top = input.stack.at(-1);
  return {
    key: input.key,
    name: input.name || null,
    task: input.task || null,
    template: input.template ?? null,
    started_at: input.now.toISOString(),
    adhoc: input.adhoc ?? false,
    resumed_from: null,
    parent: top?.snapshot_id ?? null,
    depth: input.stack.length,
    todos: [...(input.todos ?? [])],
    notes: [...(input.notes ?? [])],
    dirty: true,
  };
}

/** How a session is named to people: its name, else what it is. */
export function sessionLabel(session: Pick<ActiveSession, "name" | "adhoc" | "key">): string {
  if (session.name) return session.name;
  if (session.adhoc) return `ad-hoc session ${session.key}`;
  // A session resumed from a keyless snapshot goes by its id, which already says "session-".
  return session.key.startsWith("session-") ? session.key : `session ${session.key}`;
}

/** What a snapshot records about the session besides its todos. */
export function snapshotInfo(session: ActiveSession): Partial<MpmInfo> {
  return {
    name: session.name,
    task: session.task,
    template: session.template,
    parent: session.parent,
    depth: session.depth,
  };
}

/** A snapshot made active again, on top of the current stack. */
export function sessionFromSnapshot(
  snapshot: Snapshot,
  stack: readonly StackFrame[],
  now: Date,
): ActiveSession {
  const top = stack.at(-1);
  return {
    key: sessionKey(snapshot),
    name: snapshot.mpm.name,
    task: snapshot.mpm.task,
    template: snapshot.mpm.template,
    started_at: now.toISOString(),
    adhoc: false,
    resumed_from: snapshot.session_id,
    // A child resumed after its stack was unwound keeps its lineage.
    parent: top?.snapshot_id ?? snapshot.mpm.parent,
    depth: stack.length,
    todos: todosFromSnapshot(snapshot),
    notes: [],
    dirty: false,
  };
}

const MAX_NAME = 120;

/** A session name for `mpm start`: any one-line text. */
export function checkSessionName(name: string): string {
  const trimmed = name.trim();
  // Characters as a person counts them: an emoji is one, not its two UTF-16 units.
  const length = [...trimmed].length;
  // deno-lint-ignore no-control-regex
  if (trimmed === "" || /[\x00-\x1f\x7f]/.test(trimmed) || length > MAX_NAME) {
    throw new UsageError(
      `${quoted(name)} is not a usable session name.`,
      `Use one line of text of at most ${MAX_NAME} characters.`,
    );
  }
  return trimmed;
}

/** Why git would refuse `name` as a branch name (check-ref-format --branch), without git. */
export function branchNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name === "@") return 'it is "@"';
  if (name.startsWith("-")) return 'it starts with "-"';
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return "it contains a space, a control character or one of ~ ^ : ? * [ \\";
  }
  if (name.includes("..")) return 'it contains ".."';
  if (name.includes("@{")) return 'it contains "@{"';
  if (name.includes("//")) return 'it contains "//"';
  if (name.startsWith("/") || name.endsWith("/")) return 'it starts or ends with "/"';
  if (name.endsWith(".")) return 'it ends with "."';
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return 'a part of it starts with "."';
    if (part.endsWith(".lock")) return 'a part of it ends with ".lock"';
  }
  return undefined;
}

/** Refuses (exit 2) a name git would refuse as a branch; `what` names the argument. */
export function checkBranchName(name: string, what: string): string {
  const problem = branchNameProblem(name);
  if (problem) {
    throw new UsageError(
      `${what} ${quoted(name)} is not a name git accepts: ${problem}.`,
      'Use letters, digits and "-", "_", "/" or "." (e.g. hotfix-login).',
    );
  }
  return name;
}
