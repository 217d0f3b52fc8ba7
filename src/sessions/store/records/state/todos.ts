/**
 * The active session's todos, in order, each keeping its number for life (never reused; a pause
 * and resume brings them back in number order). Pure; the state's writer redacts their text.
 */
import { NothingToDo, UsageError } from "../../../../kernel/errors.ts";
import type { Snapshot, Todo } from "../../../../kernel/snapshot.ts";
import { type ActiveSession, type TodoItem, todoItemCheck } from "./state.ts";
import { checkValue } from "../../../../kernel/check.ts";
import type { Style } from "../../../../kernel/format/style.ts";
import { numberRanges } from "../../../../kernel/format/numbers.ts";
import { printable } from "../../../../kernel/format/text.ts";
import { largest } from "../../../../kernel/lists.ts";

const MAX_TODO = 2000;

/** The todo text as kept: one trimmed line (the state's writer redacts it). */
export function todoText(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (line === "") {
    throw new UsageError("A todo needs some text.", 'Example: mpm todo add "Add tests"');
  }
  if (line.length > MAX_TODO) {
    throw new UsageError(`A todo may have at most ${MAX_TODO} characters.`);
  }
  return line;
}

/** Parses the N of `mpm todo done N`. */
export function todoNumber(text: string): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) {
    throw new UsageError(
      `${JSON.stringify(text)} is not a todo number.`,
      "Use the number `mpm todo list` shows (1, 2, …).",
    );
  }
  return Number(text);
}

function numberOf(todo: Todo): number | undefined {
  const n = (todo as { number?: unknown }).number;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The todos with a number each: those without one get the next free ones, in order. */
export function numbered<T extends Todo>(todos: readonly T[]): (T & { number: number })[] {
  let next = largest(todos.map((t) => numberOf(t) ?? 0), 0) + 1;
  const seen = new Set<number>();
  return todos.map((todo) => {
    const own = numberOf(todo);
    // A number met twice (a hand-edited file) is renumbered rather than made ambiguous.
    const number = own !== undefined && !seen.has(own) ? own : next++;
    seen.add(number);
    return { ...todo, number };
  });
}

function at(session: ActiveSession, n: number): { todos: TodoItem[]; index: number } {
  const todos = numbered(session.todos);
  const index = todos.findIndex((t) => t.number === n);
  if (index === -1) {
    const count = todos.length;
    throw new NothingToDo(
      `There is no todo ${n}: the session has ${count} todo${count === 1 ? "" : "s"}` +
        (count ? `, numbered ${numberRanges(todos.map((t) => t.number))}.` : "."),
      "Run `mpm todo list` to see their numbers.",
    );
  }
  return { todos, index };
}

export function addTodo(session: ActiveSession, text: string, now: Date): ActiveSession {
  const todos = numbered(session.todos);
  const todo: TodoItem = {
    content: todoText(text),
    status: "pending",
    created_at: now.toISOString(),
    completed_at: null,
    number: numbered([...todos, { content: "", status: "pending" }]).at(-1)!.number,
  };
  return { ...session, todos: [...todos, todo], dirty: true };
}

/** Marks todo `n` done (or open again); returns the session and the todo as it is now. */
export function markTodo(
  session: ActiveSession,
  n: number,
  done: boolean,
  now: Date,
): { session: ActiveSession; todo: TodoItem; changed: boolean } {
  const { todos: all, index } = at(session, n);
  const old = all[index];
  const changed = (old.status === "completed") !== done;
  const todo: TodoItem = changed
    ? {
      ...old,
      status: done ? "completed" : "pending",
      completed_at: done ? now.toISOString() : null,
    }
    : old;
  const todos = all.with(index, todo);
  return { session: { ...session, todos, dirty: session.dirty || changed }, todo, changed };
}

export function removeTodo(
  session: ActiveSession,
  n: number,
): { session: ActiveSession; todo: TodoItem } {
  const { todos: all, index } = at(session, n);
  const todos = all.filter((_, i) => i !== index);
  return { session: { ...session, todos, dirty: true }, todo: all[index] };
}

/** What a snapshot stores: the todos in their order; the snapshot splits open from done. */
export function todosForSnapshot(session: ActiveSession | null): Todo[] {
  return session ? numbered(session.todos).map((t) => ({ ...t })) : [];
}

/** A snapshot's todos as the session keeps them, in number order; unnumbered ones numbered last. */
export function todosFromSnapshot(snapshot: Snapshot): TodoItem[] {
  const todos = numbered([...snapshot.todos.active, ...snapshot.todos.completed].map((t) => {
    const checked = checkValue(todoItemCheck, t);
    return checked.ok ? checked.value : { content: t.content, status: t.status };
  }));
  return todos.sort((a, b) => a.number - b.number);
}

export interface TodoRow {
  index: number;
  content: string;
  status: TodoItem["status"];
  phase: string | null;
  created_at: string | null;
  completed_at: string | null;
}

/** `mpm todo list --json`: each todo with the number the commands take. */
export function todoRows(todos: readonly TodoItem[]): TodoRow[] {
  return numbered(todos).map((t) => ({
    index: t.number,
    content: t.content,
    status: t.status,
    phase: t.phase ?? null,
    created_at: t.created_at ?? null,
    completed_at: t.completed_at ?? null,
  }));
}

export function todoLine(todo: TodoItem, n: number): string {
  const box = todo.status === "completed" ? "[x]" : "[ ]";
  const extra = todo.status === "in_progress" ? " (in progress)" : "";
  return `${String(n).padStart(3)}. ${box} ${printable(todo.content)}${extra}`;
}

/** The list, under its phase headings when it came from a template, numbered as the commands take them. */
export function renderTodos(todos: readonly TodoItem[], s: Style): string[] {
  const phased = todos.some((t) => t.phase);
  const lines: string[] = [];
  let current: string | null | undefined;
  numbered(todos).forEach((todo) => {
    const here = todo.phase ?? null;
    if (phased && here !== current) lines.push(s.bold(here === null ? "Other" : printable(here)));
    current = here;
    lines.push(todoLine(todo, todo.number));
  });
  return lines;
}

export function todoCounts(todos: readonly TodoItem[]): { open: number; done: number } {
  const done = todos.filter((t) => t.status === "completed").length;
  return { open: todos.length - done, done };
}
