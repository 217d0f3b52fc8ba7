/** `mpm todo`: the active session's todos. */
import { NothingToDo } from "../../kernel/errors.ts";
import { newSession, sessionLabel } from "../store/state/session.ts";
import type { ActiveSession, State, TodoItem } from "../store/records/state.ts";
import { style } from "../../kernel/format/style.ts";
import {
  addTodo,
  markTodo,
  removeTodo,
  renderTodos,
  todoCounts,
  todoLine,
  todoNumber,
  todoRows,
} from "../store/records/todos.ts";
import { changeState, readState } from "../store/state/state_store.ts";
import { newSessionKey, stateOptions } from "../store/state/active.ts";
import {
  type Attached,
  attachedEvent,
  attachedLine,
  attachNewestSession,
} from "../store/state/attach.ts";
import { openProject } from "../store/state/project.ts";
import { boolFlag, type Command, type Parsed } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { recordMark } from "../store/marks/record_mark.ts";

function noActive(): NothingToDo {
  return new NothingToDo(
    "No session is active and none is paused, so there are no todos.",
    "`mpm todo add TEXT` starts one; `mpm start NAME` begins a named one.",
  );
}

/**
 * Runs one change of the active session's todos under the lock. With nothing active, the newest
 * session is made active again first (store/state/attach.ts), so a `mpm todo done 2` after Claude
 * Code ended a session means the todo the person saw.
 */
async function changeTodos<T>(
  env: Env,
  command: string,
  fn: (active: ActiveSession, state: State) => { session: ActiveSession; result: T },
): Promise<{ result: T; attached: Attached | null }> {
  const project = await openProject(env, { writes: true });
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

const numberArg = [{ name: "N", description: "The todo's number, as `mpm todo list` shows it." }];

const jsonFlag = { name: "json", description: "Print the todos as JSON." };

/**
 * `--json` of a change: the todo it was about, the session's todos after it, and how the session
 * came to be active when none was (`started` ad-hoc, or `attached` to the snapshot it continues).
 */
function changed(
  session: ActiveSession,
  todo: TodoItem,
  n: number,
  how: { started?: boolean; attached?: Attached | null } = {},
) {
  const [row] = todoRows([{ ...todo, number: n }]);
  return json({
    session: session.key,
    started: how.started ?? false,
    attached: how.attached?.snapshot.session_id ?? null,
    todo: row,
    todos: todoRows(session.todos),
  });
}

const add: Command = {
  name: "add",
  summary: "Add a todo (to the newest paused work, or an ad-hoc session, when none is active).",
  args: [{ name: "TEXT", variadic: true, description: "The todo; several words are joined." }],
  flags: [jsonFlag],
  examples: ['mpm todo add "Handle refunds"'],
  run: async (env, parsed) => {
    const words = parsed.args.join(" ");
    const project = await openProject(env, { writes: true });
    const key = newSessionKey();
    const { session, started, attached } = await changeState(project.paths, "todo add", async (
      state,
    ) => {
      // With nothing active, the todo joins the newest session (store/state/attach.ts); only
      // without one does an ad-hoc session start.
      const attached = state.active
        ? null
        : await attachNewestSession(project.paths, state, env.now());
      const started = state.active === null && attached === null;
      const base = state.active ?? attached?.session ??
        newSession({ key, now: env.now(), adhoc: true, stack: state.stack });
      const session = addTodo(base, words, env.now());
      // A session that begins (or one that comes back) here: the work tree as it
      // does, for `mpm diff`.
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
          command: "todo add",
          session: session.key,
          ...(started ? { adhoc_started: true } : {}),
          ...attachedEvent(attached),
        },
      };
    }, stateOptions(env));
    const added = session.todos[session.todos.length - 1];
    if (boolFlag(parsed, "json")) {
      return changed(session, added, added.number ?? session.todos.length, { started, attached });
    }
    const lines = [];
    if (started) lines.push(`Started an ad-hoc session (${session.key}): no session was active.`);
    if (attached) lines.push(attachedLine(attached));
    lines.push(`Added: ${todoLine(added, added.number ?? session.todos.length).trim()}`);
    return text(lines);
  },
};

function marker(name: "done" | "undo"): Command {
  const done = name === "done";
  return {
    name,
    summary: done ? "Mark todo N done." : "Mark todo N open again.",
    args: numberArg,
    flags: [jsonFlag],
    run: async (env, parsed) => {
      const n = todoNumber(parsed.args[0]);
      const { result: marked, attached } = await changeTodos(env, `todo ${name}`, (active) => {
        const marked = markTodo(active, n, done, env.now());
        return { session: marked.session, result: marked };
      });
      const { todo } = marked;
      if (boolFlag(parsed, "json")) return changed(marked.session, todo, n, { attached });
      const what = marked.changed
        ? (done ? "Done" : "Open again")
        : (done ? "Already done" : "Already open");
      return text([
        ...(attached ? [attachedLine(attached)] : []),
        `${what}: ${todoLine(todo, n).trim()}`,
      ]);
    },
  };
}

const rm: Command = {
  name: "rm",
  summary: "Remove todo N (the others keep their numbers).",
  args: numberArg,
  flags: [jsonFlag],
  run: async (env, parsed) => {
    const n = todoNumber(parsed.args[0]);
    const { result: removed, attached } = await changeTodos(env, "todo rm", (active) => {
      const removed = removeTodo(active, n);
      return { session: removed.session, result: removed };
    });
    if (boolFlag(parsed, "json")) return changed(removed.session, removed.todo, n, { attached });
    return text([
      ...(attached ? [attachedLine(attached)] : []),
      `Removed: ${removed.todo.content}`,
    ]);
  },
};

async function runList(env: Env, parsed: Parsed) {
  const project = await openProject(env, { writes: true });
  const { active } = await readState(project.paths);
  if (boolFlag(parsed, "json")) return json(todoRows(active?.todos ?? []));
  if (!active) return text("No active session. `mpm todo add TEXT` starts one.");
  const s = style(env.color);
  const { open, done } = todoCounts(active.todos);
  const lines = [`${s.bold(sessionLabel(active))}: ${open} open, ${done} done`];
  lines.push(...(active.todos.length ? renderTodos(active.todos, s) : ["  (no todos yet)"]));
  return text(lines);
}

const list: Command = {
  name: "list",
  summary: "List the active session's todos, numbered.",
  flags: [jsonFlag],
  run: runList,
};

export const todoCommand: Command = {
  name: "todo",
  summary: "The active session's todos: add, done, undo, rm, list.",
  details: `Numbers are those \`mpm todo list\` shows. \`mpm pause\` saves the todos in the
snapshot (todos.active and todos.completed); \`mpm resume\` brings them back.
Without a subcommand, lists them.`,
  flags: [jsonFlag],
  subcommands: [add, marker("done"), marker("undo"), rm, list],
  examples: ['mpm todo add "Write the migration"', "mpm todo done 2", "mpm todo list --json"],
  run: runList,
};
