import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { NothingToDo, UsageError } from "../kernel/errors.ts";
import { newSession } from "./session.ts";
import { style } from "../kernel/style.ts";
import {
  addTodo,
  markTodo,
  removeTodo,
  renderTodos,
  todoCounts,
  todoNumber,
  todoRows,
  todoText,
} from "./todos.ts";

const now = new Date("2026-01-02T03:04:05Z");
const later = new Date("2026-01-02T04:00:00Z");
const fresh = () => ({ ...newSession({ key: "s-1", now, stack: [] }), dirty: false });

Deno.test("add, done, undo and rm number todos from 1 in the order they were added", () => {
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
  assertEquals(todoRows(s.todos).map((r) => r.index), [1, 2]);
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

Deno.test("todo text is one line, not empty, and redacted", () => {
  assertEquals(todoText("  a\nb  "), "a b");
  assertThrows(() => todoText("   "));
  assertEquals(todoText("password=hunter2hunter2").includes("hunter2"), false);
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
