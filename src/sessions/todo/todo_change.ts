/**
 * Changing the person's todos (`mpm todo`, the MCP todo tools) under the lock; with nothing
 * active the newest session comes back first. A `state.json` git tracks that this machine did
 * not write is never replaced for a todo: the person is told to start their own session.
 */
import { MpmError, NothingToDo } from "../../kernel/errors.ts";
import { newSession } from "../store/session/session.ts";
import type { ActiveSession, State } from "../store/records/state/state.ts";
import { addTodo } from "../store/records/state/todos.ts";
import { changeState, stateCameWithRepository } from "../store/state/state_store.ts";
import { newSessionKey, stateOptions } from "../store/session/active.ts";
import { type Attached, attachedEvent, attachNewestSession } from "../store/session/attach.ts";
import { openProject, type Project } from "../store/session/project.ts";
import type { Env } from "../../cli/env.ts";
import { recordMark } from "../store/marks/record_mark.ts";

function noActive(): NothingToDo {
  return new NothingToDo(
    "No session is active and none is paused, so there are no todos.",
    "`mpm todo add TEXT` starts one; `mpm start NAME` begins a named one.",
  );
}

/** Refuses to change a `state.json` git tracks that this machine did not write. */
async function refuseCommittedState(project: Project): Promise<void> {
  if (!project.inGit || !(await stateCameWithRepository(project.root, project.paths))) return;
  throw new MpmError(
    ".claude-mpm/state.json came with the repository (git tracks it) and is not your session, " +
      "so mpm leaves it unchanged and changes no todo.",
    "Start a session of your own with `mpm start NAME`, then add the todo.",
  );
}

/** One change of the active session's todos (`fn`), under the lock. */
export async function changeTodos<T>(
  env: Env,
  command: string,
  fn: (active: ActiveSession, state: State) => { session: ActiveSession; result: T },
): Promise<{ result: T; attached: Attached | null }> {
  const project = await openProject(env, { writes: true });
  await refuseCommittedState(project);
  return await changeState(project.paths, command, async (state) => {
    const attached = state.active
      ? null
      : await attachNewestSession(project.paths, state, env.now());
    const active = state.active ?? attached?.session;
    if (!active) throw noActive();
    const { session, result } = fn(active, state);
    return {
      state: { ...state, active: session },
      result: { result, attached },
      event: { command, session: session.key, ...attachedEvent(attached) },
    };
  }, stateOptions(env));
}

export interface TodoAdded {
  session: ActiveSession;
  /** No session was active or paused: an ad-hoc one started. */
  started: boolean;
  /** No session was active: the newest paused one continues. */
  attached: Attached | null;
}

/** Adds a todo to the active session, else the newest paused one, else a new ad-hoc one. */
export async function addTodoToWork(env: Env, words: string, command: string): Promise<TodoAdded> {
  const project = await openProject(env, { writes: true });
  await refuseCommittedState(project);
  const key = newSessionKey();
  return await changeState(project.paths, command, async (state) => {
    const attached = state.active
      ? null
      : await attachNewestSession(project.paths, state, env.now());
    const started = state.active === null && attached === null;
    const base = state.active ?? attached?.session ??
      newSession({ key, now: env.now(), adhoc: true, stack: state.stack });
    const session = addTodo(base, words, env.now());
    if (started || attached) {
      await recordMark(
        project.root,
        project.paths,
        session.key,
        started ? "start" : "resume",
        env.now(),
      );
    }
    return {
      state: { ...state, active: session },
      result: { session, started, attached },
      event: {
        command,
        session: session.key,
        ...(started ? { adhoc_started: true } : {}),
        ...attachedEvent(attached),
      },
    };
  }, stateOptions(env));
}
