/** `todo_add` and `todo_done`: through the store under mpm's lock, released before the answer. */
import * as z from "../../kernel/zod.ts";
import { UsageError } from "../../kernel/errors.ts";
import { sessionLabel } from "../../sessions/store/session/session.ts";
import { markTodo } from "../../sessions/store/records/state/todos.ts";
import { addTodoToWork, changeTodos } from "../../sessions/todo/todo_change.ts";
import type { Attached } from "../../sessions/store/session/attach.ts";
import { shownLine } from "./render.ts";
import { described, tool } from "./tool.ts";

/** A todo's words kept as `mpm todo add` keeps them. */
function todoWords(text: string): string {
  if (text.trim() === "") throw new UsageError("The todo's text is empty.");
  return text;
}

/** What an answer adds when no session was active, as `mpm todo` says it. */
function howTold(change: { started?: boolean; attached: Attached | null }): string {
  if (change.started) return " (no session was active: an ad-hoc one started)";
  return change.attached ? " (no session was active: the newest paused work continues)" : "";
}

export const todoAddTool = tool({
  name: "todo_add",
  title: "Add a todo",
  description:
    "Add a todo to the person's current work (the active session; with none active, the " +
    "newest paused work is continued, else an ad-hoc session starts, as `mpm todo add` does). " +
    "Only when the person asks for it or agrees. Says which session it joined and its number.",
  input: z.object({
    text: described(
      z.string().check(z.minLength(1), z.maxLength(500)),
      "The todo, one line (several lines are joined into one, as `mpm todo add` does).",
    ),
  }),
  readOnly: false,
  run: async (env, args) => {
    const out = await addTodoToWork(env, todoWords(args.text), "mcp todo_add");
    const added = out.session.todos[out.session.todos.length - 1];
    return shownLine(
      `Added todo ${added.number ?? out.session.todos.length} to ${sessionLabel(out.session)}${
        howTold(out)
      }: ${added.content}`,
    );
  },
});

export const todoDoneTool = tool({
  name: "todo_done",
  title: "Complete a todo",
  description:
    "Mark one of the current work's todos done, by the number current_work shows. Only when " +
    "the work it names is finished. Says which todo it changed, or that it was already done.",
  input: z.object({
    number: described(z.int().check(z.minimum(1), z.maximum(1_000_000)), "The todo's number."),
  }),
  readOnly: false,
  run: async (env, args) => {
    const { result: out, attached } = await changeTodos(env, "mcp todo_done", (active) => {
      const marked = markTodo(active, args.number, true, env.now());
      return { session: marked.session, result: marked };
    });
    const what = out.changed ? "Marked done" : "Already done";
    return shownLine(
      `${what}: todo ${args.number} of ${sessionLabel(out.session)}${howTold({ attached })}: ` +
        out.todo.content,
    );
  },
});
