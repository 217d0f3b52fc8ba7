import { assertEquals, assertThrows } from "../../../../../tests/assert.ts";
import { NothingToDo, UsageError } from "../../../../kernel/errors.ts";
import { newSession } from "../../session/session.ts";
import { style } from "../../../../kernel/format/style.ts";
import {
  addTodo,
  markTodo,
  removeTodo,
  renderTodos,
  todoCounts,
  todoNumber,
  todoRows,
  todosForSnapshot,
  todosFromSnapshot,
  todoText,
} from "./todos.ts";
import type { Snapshot } from "../../../../kernel/snapshot.ts";

const now = new Date("2026-01-02T03:04:05Z");
const later = new Date("2026-01-02T04:00:00Z");
const fresh = () => ({ ...newSession({ key: "s-1", now, stack: [] }), dirty: false });

Deno.test("todos are numbered from 1 as added and keep their numbers, done or after a removal", () => {
  let s = addTodo(addTodo(addTodo(fresh(), "one", now), "two", now), "three", now);
  assertEquals(s.dirty, true);
  const done = markTodo(s, 2, true, later);
  assertEquals(done.changed, true);
  assertEquals(done.todo.status, "completed");
  assertEquals(done.todo.completed_at, later.toISOString());
  s = done.session;
  assertEquals(markTodo(s, 2, true, later).changed, false);
  const undone = markTodo(s, 2, false, later);
  assertEquals(undone.todo.status, "pending");
  assertEquals(undone.todo.completed_at, null);
  s = removeTodo(s, 1).session;
  assertEquals(s.todos.map((t) => t.content), ["two", "three"]);
  assertEquals(todoCounts(s.todos), { open: 1, done: 1 });
  assertEquals(todoRows(s.todos).map((r) => r.index), [2, 3]);
  // A removed number is never given again, and `done 1` no longer hits anything.
  assertThrows(() => markTodo(s, 1, true, later));
  s = addTodo(s, "four", now);
  assertEquals(todoRows(s.todos).map((r) => `${r.index}:${r.content}`), [
    "2:two",
    "3:three",
    "4:four",
  ]);
});

Deno.test("a pause and resume brings todos back in number order, done ones keeping theirs", () => {
  let s = addTodo(addTodo(addTodo(fresh(), "one", now), "two", now), "three", now);
  s = markTodo(s, 1, true, later).session;
  const stored = todosForSnapshot(s);
  const snapshot = {
    todos: {
      active: stored.filter((t) => t.status !== "completed"),
      completed: stored.filter((t) => t.status === "completed"),
    },
  } as unknown as Snapshot;
  const back = todosFromSnapshot(snapshot);
  assertEquals(todoRows(back).map((r) => `${r.index}:${r.content}`), ["1:one", "2:two", "3:three"]);
  // Todos with no numbers (claude-mpm's, or a hand's): open ones first, then done ones, in order.
  const unnumbered = {
    todos: {
      active: [{ content: "b", status: "pending" }],
      completed: [{ content: "a", status: "completed" }],
    },
  } as unknown as Snapshot;
  assertEquals(todoRows(todosFromSnapshot(unnumbered)).map((r) => `${r.index}:${r.content}`), [
    "1:b",
    "2:a",
  ]);
});

Deno.test("an unknown todo number is exit 3, a malformed one exit 2", () => {
  const s = addTodo(fresh(), "only", now);
  const error = assertThrows(() => markTodo(s, 2, true, now));
  assertEquals(error instanceof NothingToDo, true);
  assertThrows(() => removeTodo(s, 5));
  for (const bad of ["0", "-1", "x", "1.5", ""]) {
    assertEquals(assertThrows(() => todoNumber(bad)) instanceof UsageError, true, bad);
  }
  assertEquals(todoNumber("12"), 12);
});

Deno.test("todo text is one line and not empty (the state's writer redacts it)", () => {
  assertEquals(todoText("  a\nb  "), "a b");
  assertThrows(() => todoText("   "));
});

Deno.test("todos from a template are listed under their phases", () => {
  let s = fresh();
  s = { ...s, todos: [{ content: "a", status: "pending", phase: "Setup" }] };
  s = addTodo(s, "mine", now);
  assertEquals(renderTodos(s.todos, style(false)), [
    "Setup",
    "  1. [ ] a",
    "Other",
    "  2. [ ] mine",
  ]);
  assertEquals(renderTodos(addTodo(fresh(), "x", now).todos, style(false)), ["  1. [ ] x"]);
});

Deno.test("a todo number that is not there names the numbers there, in ranges", () => {
  let s = fresh();
  for (const text of ["a", "b", "c", "d", "e", "f"]) s = addTodo(s, text, now);
  s = removeTodo(s, 4).session;
  const error = assertThrows(() => markTodo(s, 9, true, later));
  assertEquals(
    (error as NothingToDo).message,
    "There is no todo 9: the session has 5 todos, numbered 1 to 3, 5, 6.",
  );
});
