/** What the context commands know of the session, handed in by the registry (a floor above). */
import type { Env } from "../cli/env.ts";

/** The session a context file is written from. */
export interface SessionFacts {
  /** "active", else the newest snapshot's state; null when there is no session at all. */
  state: "active" | "paused" | "completed" | "cancelled" | null;
  name: string | null;
  task: string | null;
  /** Open todos, in order. */
  openTodos: string[];
  doneTodos: number;
  /** The next steps of the session's newest snapshot (none for a session never paused). */
  nextSteps: string[];
  /** The partition `mpm context use` chose for the active session, if any. */
  partition: string | null;
}

export const NO_SESSION: SessionFacts = {
  state: null,
  name: null,
  task: null,
  openTodos: [],
  doneTodos: 0,
  nextSteps: [],
  partition: null,
};

/** What the registry gives the context commands: reading the facts, recording a partition. */
export interface SessionService {
  facts: (env: Env, root: string) => Promise<SessionFacts>;
  /** Records `partition` (null: the main context file) on the active session; throws if none. */
  usePartition: (env: Env, root: string, partition: string | null) => Promise<void>;
  /** What the next SessionStart would inject (null: nothing), for `mpm context --preview`. */
  preview?: (env: Env, root: string) => Promise<string | null>;
}
