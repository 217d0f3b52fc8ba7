/**
 * The session lifecycle: new → active ⇄ paused → completed | cancelled → archived, each move
 * recorded as `transition: {from, to}`. Pure.
 */
import { UsageError } from "../../../../kernel/errors.ts";
import type { SessionState, Snapshot } from "../../../../kernel/snapshot.ts";
import { localSessionKey } from "../../../../kernel/snapshot.ts";

export const LIFECYCLE_STATES = [
  "new",
  "active",
  "paused",
  "completed",
  "cancelled",
  "archived",
] as const;
export type LifecycleState = typeof LIFECYCLE_STATES[number];

export type Action = "start" | "pause" | "resume" | "done" | "cancel" | "reopen" | "archive";

/** Every allowed move: from a state, by an action, to a state. Anything else is refused. */
const MOVES: Readonly<Record<LifecycleState, Partial<Record<Action, LifecycleState>>>> = {
  new: { start: "active", pause: "paused", done: "completed", cancel: "cancelled" },
  active: { pause: "paused", done: "completed", cancel: "cancelled" },
  paused: {
    resume: "active",
    done: "completed",
    cancel: "cancelled",
    archive: "archived",
  },
  completed: { reopen: "active", archive: "archived" },
  cancelled: { reopen: "active", archive: "archived" },
  archived: {},
};

export interface Transition {
  from: LifecycleState;
  to: LifecycleState;
}

/** The state an action leads to, or undefined when the lifecycle does not allow it. */
export function nextState(from: LifecycleState, action: Action): LifecycleState | undefined {
  return MOVES[from][action];
}

const ADVICE: Partial<Record<Action, string>> = {
  done: "Only an active or paused session can be completed.",
  cancel: "Only an active or paused session can be cancelled.",
  resume: "`mpm resume ID --reopen` makes a completed or cancelled session active again.",
  reopen: "Only a completed or cancelled session needs --reopen.",
  archive: "Only paused, completed or cancelled sessions are archived.",
};

/** The move `action` makes from `from`; a move the lifecycle does not allow is one sentence (exit 2). */
export function transition(from: LifecycleState, action: Action, what: string): Transition {
  const to = nextState(from, action);
  if (to === undefined) {
    throw new UsageError(`${what} is ${from}, so it cannot be ${PAST[action]}.`, ADVICE[action]);
  }
  return { from, to };
}

const PAST: Record<Action, string> = {
  start: "started",
  pause: "paused",
  resume: "resumed",
  done: "completed",
  cancel: "cancelled",
  reopen: "reopened",
  archive: "archived",
};

/** Whether a snapshot's state ends its session: no plain `resume` picks it. */
export function isFinished(state: SessionState): boolean {
  return state === "completed" || state === "cancelled";
}

/** A snapshot's place in the lifecycle; `archived` when it lies in `sessions/archive/`. */
export function snapshotLifecycle(state: SessionState, archived = false): LifecycleState {
  if (archived) return "archived";
  if (state === "completed" || state === "cancelled") return state;
  // "paused"; "branched" (a parent put aside is paused until `return`); "active" (a record of
  // a session that went on: as a record, it waits to be resumed).
  return "paused";
}

/** Reads `--state STATE`; an unknown one is one sentence (exit 2). */
export function parseLifecycleState(raw: string): LifecycleState {
  const found = LIFECYCLE_STATES.find((s) => s === raw.trim().toLowerCase());
  if (found === undefined) {
    throw new UsageError(
      `${JSON.stringify(raw)} is not a session state: use one of ${LIFECYCLE_STATES.join(", ")}.`,
    );
  }
  return found;
}

/** The sessions whose newest snapshot is completed or cancelled, `newestFirst` as listed. */
export function finishedSessions(newestFirst: readonly Snapshot[]): Set<string> {
  const seen = new Set<string>();
  const finished = new Set<string>();
  for (const snapshot of newestFirst) {
    const session = localSessionKey(snapshot);
    if (seen.has(session)) continue;
    seen.add(session);
    if (isFinished(snapshot.mpm.state)) finished.add(session);
  }
  return finished;
}
