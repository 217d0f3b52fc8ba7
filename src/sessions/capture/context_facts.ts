/** What `mpm context` (a floor below) knows of the session: its facts, and the chosen partition. */
import { NothingToDo } from "../../kernel/errors.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import type { SessionFacts, SessionService } from "../../context/facts.ts";
import { NO_SESSION } from "../../context/facts.ts";
import { projectPaths } from "../../disk/paths.ts";
import type { Env } from "../../cli/env.ts";
import { listEntries } from "../store/listing/listing.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import { changeState, readState } from "../store/state/state_store.ts";
import { loadSnapshotById, stateOptions } from "../store/session/active.ts";
import { attachNewestSession } from "../store/session/attach.ts";
import {
  type ActiveSession,
  contextPartition,
  PARTITION_FIELD,
} from "../store/records/state/state.ts";

/** The active session's facts, else the newest snapshot's, else none. */
export async function sessionFacts(_env: Env, root: string): Promise<SessionFacts> {
  const paths = projectPaths(root);
  const state = await readState(paths);
  const active = state.active;
  if (active) {
    const from = active.resumed_from
      ? await loadSnapshotById(paths, active.resumed_from).catch(() => undefined)
      : undefined;
    return {
      state: "active",
      name: active.name,
      task: active.task,
      openTodos: active.todos.filter((t) => t.status !== "completed").map((t) => t.content),
      doneTodos: active.todos.filter((t) => t.status === "completed").length,
      nextSteps: from?.conversation.next_steps ?? [],
      partition: contextPartition(active),
    };
  }
  const newest = (await listEntries(paths, { locations: ["sessions", "pause"] }))[0];
  if (!newest) return NO_SESSION;
  const snapshot: Snapshot | undefined = await loadSnapshot(paths, newest).catch(() => undefined);
  if (!snapshot) return NO_SESSION;
  return {
    state: snapshot.mpm.state === "completed" || snapshot.mpm.state === "cancelled"
      ? snapshot.mpm.state
      : "paused",
    name: snapshot.mpm.name,
    task: snapshot.mpm.task,
    openTodos: snapshot.todos.active.map((t) => t.content),
    doneTodos: snapshot.todos.completed.length,
    nextSteps: snapshot.conversation.next_steps,
    partition: null,
  };
}

/** Records `partition` (null: the main file) on the active session, else on the newest. */
export async function usePartition(env: Env, root: string, partition: string | null) {
  const paths = projectPaths(root);
  await changeState(paths, "context use", async (state) => {
    const attached = state.active ? null : await attachNewestSession(paths, state, env.now());
    const session = state.active ?? attached?.session;
    if (!session) {
      throw new NothingToDo(
        "No session is active or paused, so there is none to give a context partition.",
        "Start one with `mpm start NAME`, then run `mpm context use` again.",
      );
    }
    const active: ActiveSession = { ...session, [PARTITION_FIELD]: partition };
    return {
      state: { ...state, active },
      result: undefined,
      event: {
        command: "context use",
        session: active.key,
        partition,
        ...(attached
          ? { attached: attached.snapshot.session_id, transition: attached.transition }
          : {}),
      },
    };
  }, stateOptions(env));
}

export const contextSessionService: SessionService = { facts: sessionFacts, usePartition };
