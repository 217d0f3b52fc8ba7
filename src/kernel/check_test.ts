import { assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  asRecord,
  checkedJson,
  checkValue,
  int,
  jsonRecord,
  mustCheck,
  object,
  optional,
  string,
  time,
} from "./check.ts";
import { snapshotCheck } from "./snapshot.ts";

const point = { x: int(), label: optional(string()) };

Deno.test("an object strips, keeps or refuses keys it does not know, as declared", () => {
  const value = { y: 2, x: 1 };
  const strip = checkValue(object(point, "strip"), value);
  assertEquals(strip.ok && JSON.stringify(strip.value), '{"x":1}');
  const keep = checkValue(object(point, "keep"), value);
  assertEquals(keep.ok && JSON.stringify(keep.value), '{"x":1,"y":2}');
  const refuse = checkValue(object(point, "refuse"), { ...value, z: 3 });
  assertEquals(refuse.ok ? undefined : refuse.problem, {
    path: [],
    message: 'Unrecognized keys: "y", "z"',
  });
  const one = checkValue(object({ inner: object(point, "refuse") }, "strip"), {
    inner: { x: 1, y: 2 },
  });
  assertEquals(one.ok ? undefined : one.problem, {
    path: ["inner"],
    message: 'Unrecognized key: "y"',
  });
  // A known key's problem comes first.
  const both = checkValue(object(point, "refuse"), { x: "1", y: 2 });
  assertEquals(both.ok ? undefined : both.problem.path, ["x"]);
});

Deno.test("an object's check carries its shape, for a record that extends it", () => {
  const labelled = object({ ...object(point, "strip").shape, color: string() }, "strip");
  const checked = checkValue(labelled, { color: "red", x: 1 });
  assertEquals(checked.ok && JSON.stringify(checked.value), '{"x":1,"color":"red"}');
});

Deno.test("mustCheck returns the checked value, or throws naming the first problem", () => {
  assertEquals(mustCheck(object(point, "strip"), { x: 1, y: 2 }), { x: 1 });
  assertThrows(
    () => mustCheck(object(point, "strip"), { x: 1.5 }),
    /^x: Invalid input: expected int, received number$/,
  );
  assertThrows(() => mustCheck(int(), "1"), /^top level: Invalid input/);
});

Deno.test("a whole number's bounds are worded as zod's positive, nonnegative and minimum", () => {
  const problem = (check: ReturnType<typeof int>, value: unknown) => {
    const checked = checkValue(check, value);
    return checked.ok ? undefined : checked.problem.message;
  };
  assertEquals(problem(int("positive"), 0), "Too small: expected number to be >0");
  assertEquals(problem(int("nonnegative"), -1), "Too small: expected number to be >=0");
  assertEquals(problem(int({ min: 1 }), 0), "Too small: expected number to be >=1");
  assertEquals(problem(int({ min: 1 }), 1), undefined);
  assertEquals(problem(int({ min: 1 }), 0.5), "Invalid input: expected int, received number");
});

Deno.test("asRecord and jsonRecord take a plain object only", () => {
  assertEquals(asRecord({ a: 1 }), { a: 1 });
  for (const value of [null, [1], "x", 3, undefined]) assertEquals(asRecord(value), undefined);
  assertEquals(jsonRecord('{"a":1}'), { a: 1 });
  for (const text of ["[1]", "null", '"x"', "{cut", ""]) assertEquals(jsonRecord(text), undefined);
});

Deno.test("checkedJson: the checked value, else null for no text, bad JSON or a failed check", () => {
  const check = object({ name: string() }, "keep");
  assertEquals(checkedJson(check, '{"name": "a"}'), { name: "a" });
  assertEquals(checkedJson(check, undefined), null);
  assertEquals(checkedJson(check, "{"), null);
  assertEquals(checkedJson(check, '{"name": 1}'), null);
  assertEquals(checkedJson(check, "null"), null);
});

Deno.test("time: an ISO 8601 time passes; a string no calendar has is refused", () => {
  assertEquals(checkValue(time, "2026-11-29T10:00:00.000Z").ok, true);
  assertEquals(checkValue(time, "2026-11-29T10:00:00").ok, true);
  assertEquals(checkValue(time, "9999-99-99T99:99:99Z").ok, false);
  assertEquals(checkValue(time, "soon").ok, false);
  assertEquals(checkValue(time, 1).ok, false);
  // A teammate's record dated by no calendar once sorted first in every search.
  const snapshot = (paused_at: string) => ({
    schema_version: 1,
    session_id: "session-20260101-000000",
    paused_at,
    conversation: { summary: "Payments", accomplishments: [], next_steps: [] },
    git_context: null,
    todos: { active: [], completed: [] },
    version: "0",
    build: "dev",
    project_path: "/p",
    mpm: {},
  });
  assertEquals(checkValue(snapshotCheck, snapshot("2026-01-01T00:00:00.000Z")).ok, true);
  const refused = checkValue(snapshotCheck, snapshot("9999-99-99T99:99:99Z"));
  assertEquals(refused.ok ? null : refused.problem.path, ["paused_at"]);
});
