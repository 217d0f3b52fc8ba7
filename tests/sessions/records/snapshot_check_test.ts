/**
 * The snapshot's one declaration (`snapshotCheck`, src/kernel/snapshot.ts) as every read meets
 * it: a full record comes back as it was, an older one gains its defaults, unknown keys are kept
 * where the record is loose and dropped where it is not, and a bad field is named by its path in
 * zod's words, which a person reads in mpm's errors.
 */
import { assertEquals } from "../../assert.ts";
import { checkValue } from "../../../src/kernel/check.ts";
import { snapshotCheck } from "../../../src/kernel/snapshot.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A snapshot with every field mpm writes, optional ones included, and a key of a later mpm. */
const FULL: Json = {
  schema_version: 1,
  session_id: "session-20261124-003915-660jpm",
  paused_at: "2026-11-24T00:39:15.660Z",
  conversation: {
    summary: "Payments retry",
    accomplishments: ["wrote the backoff"],
    next_steps: ["test the jitter"],
    tone: "later mpm",
  },
  git_context: {
    branch: "main",
    commit: "1752eeadba190bf9bdb9716928ceb8371f220f08",
    commit_message: "init",
    detached: false,
    upstream: "origin/main",
    status: {
      modified: ["a.ts"],
      staged: ["b.ts"],
      untracked: ["c.ts"],
      deleted: ["d.ts"],
      renamed: [{ from: "e.ts", to: "f.ts" }],
      conflicted: [],
    },
    is_clean: false,
    ahead_behind: { ahead: 1, behind: 0 },
    blobs: { "a.ts": "0123456789abcdef0123456789abcdef01234567", "gone.ts": null },
  },
  todos: {
    active: [{ content: "retry", status: "in_progress" }],
    completed: [{ content: "plan", status: "completed", completed_at: "2026-11-24T00:00:00Z" }],
  },
  version: "0.1.0",
  build: "abc123",
  project_path: "/home/dev/payments",
  mpm: {
    name: "payments",
    task: "retry",
    template: null,
    state: "paused",
    parent: null,
    depth: 0,
    claude_session_id: "3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11",
    context_usage: {
      tokens: 120000,
      window: 200000,
      percent: 60.5,
      model: "claude-sonnet-4-5",
      window_source: "claude",
    },
    summary_source: "user",
    notes: ["pruned 1 worktree"],
    written_by: "person",
    auto: { trigger: "session-end", note: "Claude Code exited" },
    carried: { from: "session-20261123-120000-000abc", written_at: "2026-11-23T12:00:00Z" },
    context_file: { file: ".claude/context.md", sha256: "ab", text: "# Context" },
    reason: null,
    seal: "cd",
    key: "session-20261123-120000-000abc",
  },
};

const full = FULL as { [key: string]: Json } & {
  mpm: { [key: string]: Json };
  git_context: { [key: string]: Json };
};

function problem(value: unknown) {
  const checked = checkValue(snapshotCheck, value);
  return checked.ok ? undefined : checked.problem;
}

Deno.test("a full snapshot is accepted as it was, a later mpm's keys kept after the known ones", () => {
  const checked = checkValue(snapshotCheck, FULL);
  assertEquals(checked.ok, true);
  if (!checked.ok) return;
  assertEquals(JSON.stringify(checked.value), JSON.stringify(FULL));
  // Keys unknown to this mpm come after the known ones: a seal hashes the record as checked.
  const moved = checkValue(snapshotCheck, { zz_first: 1, ...FULL as object });
  assertEquals(moved.ok && Object.keys(moved.value).at(-1), "zz_first");
});

Deno.test("an older snapshot gains its defaults; todos and renames drop keys they do not know", () => {
  const checked = checkValue(snapshotCheck, {
    ...full,
    git_context: {
      branch: null,
      commit: null,
      commit_message: null,
      status: { modified: ["a.ts"], staged: [], untracked: [] },
      is_clean: true,
      ahead_behind: { ahead: 0, behind: 2, extra: true },
    },
    todos: { active: [], completed: [], later: [] },
    mpm: {},
  });
  assertEquals(checked.ok, true);
  if (!checked.ok) return;
  const snapshot = checked.value;
  assertEquals(snapshot.mpm, {
    name: null,
    task: null,
    template: null,
    state: "paused",
    parent: null,
    depth: 0,
    claude_session_id: null,
    context_usage: null,
    summary_source: "user",
    notes: [],
  });
  assertEquals(snapshot.git_context?.detached, false);
  assertEquals(snapshot.git_context?.upstream, null);
  assertEquals(snapshot.git_context?.status.deleted, []);
  assertEquals(snapshot.git_context?.status.renamed, []);
  assertEquals(snapshot.git_context?.ahead_behind, { ahead: 0, behind: 2 });
  assertEquals(Object.keys(snapshot.todos), ["active", "completed"]);
});

Deno.test("a snapshot outside git, with no usage, auto, carried or context file, is accepted", () => {
  const value = {
    ...full,
    git_context: null,
    mpm: { ...full.mpm, context_usage: null, auto: null, carried: null, context_file: null },
  };
  assertEquals(problem(value), undefined);
});

Deno.test("a bad field is named by its path, in the words a person reads", () => {
  const cases: [unknown, (string | number)[], string][] = [
    ["x", [], "Invalid input: expected object, received string"],
    [{ ...full, schema_version: 0 }, ["schema_version"], "Too small: expected number to be >0"],
    [
      { ...full, schema_version: 1.5 },
      ["schema_version"],
      "Invalid input: expected int, received number",
    ],
    [
      { ...full, session_id: undefined },
      ["session_id"],
      "Invalid input: expected string, received undefined",
    ],
    [
      { ...full, todos: { active: [{ content: "c", status: "later" }], completed: [] } },
      ["todos", "active", 0, "status"],
      'Invalid option: expected one of "pending"|"in_progress"|"completed"',
    ],
    [
      { ...full, git_context: { ...full.git_context, blobs: { "a.ts": 1 } } },
      ["git_context", "blobs", "a.ts"],
      "Invalid input: expected string, received number",
    ],
    [
      { ...full, mpm: { ...full.mpm, depth: -1 } },
      ["mpm", "depth"],
      "Too small: expected number to be >=0",
    ],
    [
      { ...full, mpm: { ...full.mpm, context_usage: { tokens: 1, window: 0, percent: null } } },
      ["mpm", "context_usage", "window"],
      "Too small: expected number to be >0",
    ],
    [
      { ...full, mpm: { ...full.mpm, written_by: "claude" } },
      ["mpm", "written_by"],
      'Invalid option: expected one of "person"|"mpm"',
    ],
    [
      { ...full, mpm: { ...full.mpm, notes: "one" } },
      ["mpm", "notes"],
      "Invalid input: expected array, received string",
    ],
  ];
  for (const [value, path, message] of cases) {
    assertEquals(problem(value), { path, message }, JSON.stringify(path));
  }
});
