import { assert } from "../assert.ts";
import { type Json, sameAsZod } from "../zod_parity.ts";
import { stateCheck, stateSchemas, todoItemCheck } from "../../src/sessions/store/records/state.ts";
import { marksCheck, marksSchemas } from "../../src/sessions/store/marks/marks.ts";

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

Deno.test("state.json is checked by hand as its zod schema checks it", () => {
  const schema = stateSchemas().StateSchema;
  const count = sameAsZod("state", stateCheck, schema, FULL);
  // What older files hold: no defaults written, and the frame's optional fields absent.
  sameAsZod("state, older", stateCheck, schema, {
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
    }],
  });
  sameAsZod("state, nothing active", stateCheck, schema, {
    schema_version: 1,
    active: null,
    stack: [],
  });
  assert(count > 1000, `only ${count} variants`);
});

Deno.test("a snapshot's todo comes back into the state as TodoItemSchema checked it", () => {
  const schema = stateSchemas().TodoItemSchema;
  sameAsZod("todo item", todoItemCheck, schema, {
    content: "retry",
    status: "completed",
    created_at: "t",
    completed_at: null,
    phase: "Setup Phase",
    number: 3,
    later: true,
  });
  sameAsZod("todo item, older", todoItemCheck, schema, { content: "plan", status: "pending" });
});

Deno.test("a session's marks are checked by hand as their zod schema checks them", () => {
  const count = sameAsZod("marks", marksCheck, marksSchemas().MarksSchema, {
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
  });
  assert(count > 100, `only ${count} variants`);
});
