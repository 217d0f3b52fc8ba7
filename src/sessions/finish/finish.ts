/**
 * `mpm done` and `mpm cancel`: the active or a named paused session gets a final snapshot in its
 * end state, checked against the lifecycle. A child on the stack ends by `mpm return`.
 */
import { MpmError, NothingToDo, UsageError } from "../../kernel/errors.ts";
import { sessionKey, type Snapshot } from "../../kernel/snapshot.ts";
import type { SavedFiles } from "../store/snapshots/read_snapshot.ts";
import { sessionFromSnapshot, sessionLabel } from "../store/session/session.ts";
import type { ActiveSession, State } from "../store/records/state/state.ts";
import { changeState } from "../store/state/state_store.ts";
import { stateOptions } from "../store/session/active.ts";
import { newestOfSession, pickSession, type Project } from "../store/session/project.ts";
import { takeSnapshot } from "../store/session/take_snapshot.ts";
import type { PauseRequest } from "../store/records/snapshot/request.ts";
import {
  isFinished,
  snapshotLifecycle,
  type Transition,
  transition,
} from "../store/records/lifecycle/lifecycle.ts";
import type { Env } from "../../cli/env.ts";

export interface FinishRequest {
  action: "done" | "cancel";
  /** An id, a unique prefix or a `mpm list` index; absent: the active session. */
  selector?: string;
  summary?: string;
  accomplishments: string[];
  reason?: string;
}

export interface FinishOutcome {
  snapshot: Snapshot;
  files: SavedFiles;
  session: ActiveSession;
  transition: Transition;
}

/** The newest snapshot of the session a selector names: the session ends, not the snapshot. */
async function named(
  project: Project,
  selector: string,
  action: FinishRequest["action"],
): Promise<Snapshot> {
  const picked = await pickSession(project, selector);
  const newest = await newestOfSession(project, picked.snapshot);
  if (picked.entry.location !== "archive" || newest !== picked.snapshot) return newest;
  throw archivedRefusal(picked.snapshot, action);
}

/** Why an archived session is not ended, and that it needs no ending. Pure. */
export function archivedRefusal(snapshot: Snapshot, action: FinishRequest["action"]): UsageError {
  const id = snapshot.session_id;
  const state = snapshot.mpm.state;
  const was = isFinished(state)
    ? `It was ${state} before \`mpm prune\` archived it`
    : "A plain `mpm resume` no longer picks it, so it needs no ending";
  return new UsageError(
    `${id} is archived, so it cannot be ${action === "done" ? "completed" : "cancelled"}.`,
    `${was}; \`mpm show ${id}\` shows it.`,
  );
}

function refuseChildren(state: State, key: string, label: string): void {
  const top = state.stack.at(-1);
  if (state.active?.key === key && top) {
    throw new MpmError(
      `${label} is a child session branched from ${top.name ?? top.key ?? "the parent"}: ` +
        "`mpm return` completes it and goes back.",
    );
  }
  const frame = state.stack.findIndex((f) => f.key === key);
  if (frame >= 0) {
    const child = state.stack[frame + 1]?.child_name ?? state.stack[frame].child_name ??
      state.active?.name ?? "a child session";
    throw new MpmError(
      `${label} has a child session on the stack (${child}): finish it with \`mpm return\` first.`,
    );
  }
}

export async function finishSession(
  env: Env,
  project: Project,
  request: FinishRequest,
): Promise<FinishOutcome> {
  const target = request.selector === undefined
    ? undefined
    : await named(project, request.selector, request.action);
  const end = request.action === "done" ? "completed" : "cancelled";
  return await changeState(project.paths, request.action, async (state) => {
    const now = env.now();
    const active = state.active;
    const isActive = active !== null &&
      (target === undefined || sessionKey(target) === active.key);
    if (!isActive && target === undefined) {
      throw new NothingToDo(
        `No session is active to ${request.action === "done" ? "complete" : "cancel"}.`,
        `Name a paused one: \`mpm ${request.action} ID\` (ids from \`mpm list\`).`,
      );
    }
    const session = isActive ? active! : sessionFromSnapshot(target!, [], now);
    const label = sessionLabel(session);
    refuseChildren(state, session.key, label);
    const from = isActive
      ? (active!.resumed_from === null ? "new" : "active")
      : snapshotLifecycle(target!.mpm.state);
    const move = transition(from, request.action, label);
    const words: PauseRequest = {
      summary: request.summary,
      accomplishments: request.accomplishments,
      nextSteps: [],
      todos: [],
      trigger: request.action,
      reason: request.reason,
      ...(request.action === "cancel" && !request.summary
        ? {
          writtenBy: "mpm" as const,
          summary: request.reason?.trim() ? `Cancelled: ${request.reason.trim()}` : undefined,
        }
        : {}),
    };
    const saved = await takeSnapshot({
      root: project.root,
      paths: project.paths,
      now,
      session,
      state: end,
      request: words,
      // Only the active session's work ends now; a paused one's ended at its last pause.
      ...(isActive ? { mark: request.action } : {}),
    });
    return {
      state: { ...state, active: isActive ? null : active },
      result: { snapshot: saved.snapshot, files: saved.files, session, transition: move },
      event: {
        command: request.action,
        session: session.key,
        snapshot: saved.snapshot.session_id,
        transition: move,
      },
    };
  }, stateOptions(env));
}
