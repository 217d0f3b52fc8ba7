/**
 * state.json's and a session's marks' one declarations (`stateCheck`, `todoItemCheck`,
 * `marksCheck`) as every read meets them: a full record comes back as it was, an older one gains
 * its defaults, unknown keys are kept or dropped as declared, and a bad field is named by its
 * path in the words a person reads.
 */
import { assertEquals } from "../../assert.ts";
import { checkValue } from "../../../src/kernel/check.ts";
import { stateCheck, todoItemCheck } from "../../../src/sessions/store/records/state/state.ts";
import { marksCheck } from "../../../src/sessions/store/marks/marks.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SESSION: Json = {
  key: "s-0a1b2c3d",
  name: "payments",
  task: "retry",
  template: null,
  started_at: "2026-11-24T00:00:00Z",
  adhoc: false,
  resumed_from: "session-20261123-120000-000abc",
  parent: null,
  depth: 1,
  todos: [
    { content: "retry", status: "pending", created_at: "t", number: 1, later: "x" },
    { content: "plan", status: "completed", completed_at: "t", phase: "Setup Phase", number: 2 },
  ],
  notes: ["a note"],
  dirty: true,
  context_partition: "payments",
};

/** A state with every field mpm writes: an active child over a parent put aside mid-return. */
const FULL: Json = {
  schema_version: 1,
  active: SESSION,
  stack: [{
    snapshot_id: "session-20261123-120000-000abc",
    key: "s-99",
    name: "parent",
    git_branch: "main",
    git_head: "1752eeadba190bf9bdb9716928ceb8371f220f08",
    stash: "mpm branch s-99",
    child_git_branch: "fix",
    child_name: "urgent",
    branched_at: "2026-11-24T00:00:00Z",
    phase: "returning",
    tree: [{
      path: "a.ts",
      head: "ab",
      index: "ab",
      mode: "100644",
      work: null,
      untracked: false,
      conflicted: false,
    }],
    returning: {
      started_at: "t",
      completed: "session-20261124-000000-000aaa",
      words: { summary: "done", accomplishments: ["fixed"] },
      child: SESSION,
      keep_branch: false,
      untracked: ["new.ts"],
    },
    session: SESSION,
  }],
  kept_stashes: [{ message: "m", status: "inexact", kept_at: "t" }],
};

const MARKS = {
  schema_version: 1,
  key: "s-0a1b2c3d",
  ref: "refs/mpm/marks/s-0a1b2c3d",
  marks: [{
    moment: "resume",
    at: "2026-11-24T00:00:00Z",
    head: "1752eeadba190bf9bdb9716928ceb8371f220f08",
    tree: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    commit: null,
    left_out: ["big.bin"],
    dirty: 2,
    looked: "fingerprint",
  }],
};

Deno.test("a full state.json is accepted as it was", () => {
  const checked = checkValue(stateCheck, FULL);
  assertEquals(checked.ok && JSON.stringify(checked.value), JSON.stringify(FULL));
});

Deno.test("an older state.json gains its defaults; a frame's path records drop unknown keys", () => {
  const checked = checkValue(stateCheck, {
    schema_version: 1,
    active: { key: "k", name: null, task: null, template: null, started_at: "t" },
    stack: [{
      snapshot_id: null,
      key: null,
      name: null,
      git_branch: null,
      git_head: null,
      stash: null,
      branched_at: "t",
      tree: [{ path: "a", head: null, index: null, mode: null, work: null, later: 1 }],
    }],
  });
  assertEquals(checked.ok, true);
  if (!checked.ok) return;
  assertEquals(checked.value.active, {
    key: "k",
    name: null,
    task: null,
    template: null,
    started_at: "t",
    adhoc: false,
    resumed_from: null,
    parent: null,
    depth: 0,
    todos: [],
    notes: [],
    dirty: false,
  });
  assertEquals(checked.value.stack[0].child_git_branch, null);
  assertEquals(checked.value.stack[0].tree, [
    { path: "a", head: null, index: null, mode: null, work: null },
  ]);
  assertEquals(checkValue(stateCheck, { schema_version: 1, active: null, stack: [] }).ok, true);
});

Deno.test("a bad field of state.json is named by its path, in the words a person reads", () => {
  const full = FULL as { [key: string]: Json } & { stack: { [key: string]: Json }[] };
  const cases: [unknown, (string | number)[], string][] = [
    [{ ...full, stack: {} }, ["stack"], "Invalid input: expected array, received object"],
    [
      { ...full, active: { ...SESSION as object, todos: [{ content: "c", status: "done" }] } },
      ["active", "todos", 0, "status"],
      'Invalid option: expected one of "pending"|"in_progress"|"completed"',
    ],
    [
      { ...full, stack: [{ ...full.stack[0], phase: "paused" }] },
      ["stack", 0, "phase"],
      'Invalid option: expected one of "branching"|"ready"|"returning"',
    ],
    [
      { ...full, stack: [{ ...full.stack[0], branched_at: undefined }] },
      ["stack", 0, "branched_at"],
      "Invalid input: expected string, received undefined",
    ],
  ];
  for (const [value, path, message] of cases) {
    const checked = checkValue(stateCheck, value);
    assertEquals(checked.ok ? undefined : checked.problem, { path, message }, JSON.stringify(path));
  }
});

Deno.test("a state todo keeps the snapshot todo's fields first, and later keys after them", () => {
  const checked = checkValue(todoItemCheck, {
    later: true,
    status: "completed",
    content: "retry",
    number: 3,
    completed_at: null,
  });
  assertEquals(
    checked.ok && JSON.stringify(checked.value),
    JSON.stringify({
      content: "retry",
      status: "completed",
      completed_at: null,
      number: 3,
      later: true,
    }),
  );
  const zero = checkValue(todoItemCheck, { content: "plan", status: "pending", number: 0 });
  assertEquals(zero.ok ? undefined : zero.problem, {
    path: ["number"],
    message: "Too small: expected number to be >0",
  });
});

Deno.test("a session's marks are accepted as written, and an object id must be one", () => {
  const checked = checkValue(marksCheck, MARKS);
  assertEquals(checked.ok && JSON.stringify(checked.value), JSON.stringify(MARKS));
  const bad = checkValue(marksCheck, { ...MARKS, marks: [{ ...MARKS.marks[0], head: "abc" }] });
  assertEquals(bad.ok ? undefined : bad.problem, {
    path: ["marks", 0, "head"],
    message: "Invalid string: must match pattern /^[0-9a-f]{40}$|^[0-9a-f]{64}$/",
  });
  const moment = checkValue(marksCheck, { ...MARKS, marks: [{ ...MARKS.marks[0], moment: "x" }] });
  assertEquals(moment.ok ? undefined : moment.problem.path, ["marks", 0, "moment"]);
});
