/** `mpm todo`: the active session's todos. */
import { sessionLabel } from "../store/session/session.ts";
import type { ActiveSession, TodoItem } from "../store/records/state/state.ts";
import { style } from "../../kernel/format/style.ts";
import {
  markTodo,
  removeTodo,
  renderTodos,
  todoCounts,
  todoLine,
  todoNumber,
  todoRows,
} from "../store/records/state/todos.ts";
import { readState } from "../store/state/state_store.ts";
import { type Attached, attachedLine, attachNewestSession } from "../store/session/attach.ts";
import { openProject } from "../store/session/project.ts";
import { addTodoToWork, changeTodos } from "./todo_change.ts";
import { boolFlag, type Command, type Declared, type Parsed } from "../../cli/command.ts";
import type { Env } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { shownDeep } from "../../kernel/safe_text/shown.ts";
import { printable } from "../../kernel/format/text.ts";
import { pushAll } from "../../kernel/lists.ts";
import { unsealedWarning } from "../../disk/machine_key.ts";

const numberArg = [{ name: "N", description: "The todo's number, as `mpm todo list` shows it." }];

const jsonFlag = { name: "json", description: "Print the todos as JSON." };

/** `--json` of a change: the todo, the todos after, and how the session became active. */
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

const TODO_JSON =
  `- \`mpm todo add|done|undo|rm --json\`: \`{"session", "started", "attached", "todo", "todos"}\`: the
  session's key, whether \`add\` started an ad-hoc session, the snapshot id whose session was made
  active again because none was active (else \`null\`; \`add\` starts an ad-hoc session only when there
  is no open session), the todo acted on (a row as above; for \`rm\` the one removed) and the
  session's todos after the change.`;

const add: Command = {
  name: "add",
  summary: "Add a todo (to the newest paused work, or an ad-hoc session, when none is active).",
  json: TODO_JSON,
  args: [{ name: "TEXT", variadic: true, description: "The todo; several words are joined." }],
  flags: [jsonFlag],
  examples: ['mpm todo add "Handle refunds"'],
  run: async (env, parsed) => {
    const words = parsed.args.join(" ");
    const work = await addTodoToWork(env, words, "todo add");
    const unsealed = unsealedWarning();
    if (unsealed) env.warn(unsealed);
    // What was kept: a secret typed in the words is shown as it was stored, redacted.
    const { started, attached } = work;
    const session = shownDeep(work.session);
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
  json: TODO_JSON,
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
      `Removed: ${printable(removed.todo.content)}`,
    ]);
  },
};

/** The todos the other commands would change: the active session's, else the newest paused. */
async function runList(env: Env, parsed: Parsed) {
  const project = await openProject(env, { writes: true });
  const state = await readState(project.paths);
  const attached = state.active ? null : await attachNewestSession(project.paths, state, env.now());
  const active = state.active ?? attached?.session ?? null;
  if (boolFlag(parsed, "json")) return json(todoRows(active?.todos ?? []));
  if (!active) return text("No session to list: `mpm todo add TEXT` starts one.");
  const s = style(env.color);
  const { open, done } = todoCounts(active.todos);
  const lines = attached
    ? [
      "No session is active: these are the newest paused work's todos, which `mpm todo add` " +
      "and `done` go on with.",
      "",
    ]
    : [];
  lines.push(`${s.bold(sessionLabel(active))}: ${open} open, ${done} done`);
  pushAll(lines, active.todos.length ? renderTodos(active.todos, s) : ["  (no todos yet)"]);
  return text(lines);
}

const LIST_JSON = `- \`mpm todo list --json\` (and \`mpm todo --json\`):
  \`[{"index", "content", "status", "phase", "created_at", "completed_at"}]\`, \`index\` being the
  todo's lifelong number (what \`mpm todo done N\` takes; gaps where todos were removed): the active
  session's, else the newest paused work's (which \`add\` and \`done\` go on with; listing leaves it
  paused); \`[]\` with neither. \`created_at\`/\`completed_at\` are ISO 8601 UTC (todos from
  \`pause --todo\` are stamped too).`;

const list: Command = {
  name: "list",
  summary: "List the active session's todos, numbered.",
  json: LIST_JSON,
  flags: [jsonFlag],
  run: runList,
};

export const todoCommand: Declared = {
  json: LIST_JSON,
  details: `Numbers are those \`mpm todo list\` shows. \`mpm pause\` saves the todos in the
snapshot (todos.active and todos.completed); \`mpm resume\` brings them back.
Without a subcommand, lists them.`,
  flags: [jsonFlag],
  subcommands: [add, marker("done"), marker("undo"), rm, list],
  wordFor: "add",
  examples: ['mpm todo add "Write the migration"', "mpm todo done 2", "mpm todo list --json"],
  run: runList,
};
