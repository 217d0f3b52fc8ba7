import { assert } from "../assert.ts";
import { type Json, sameAsZod } from "../zod_parity.ts";
import { snapshotCheck, snapshotSchemas } from "../../src/kernel/snapshot.ts";

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

Deno.test("a snapshot is checked by hand as its zod schema checks it", () => {
  const schema = snapshotSchemas().SnapshotSchema;
  const count = sameAsZod("snapshot", snapshotCheck, schema, FULL);
  // The defaults too: a record of an older mpm that has none of the optional fields.
  const mpm = FULL as { mpm: Record<string, Json>; git_context: Record<string, Json> };
  const { status } = mpm.git_context as { status: Record<string, Json> };
  sameAsZod("snapshot, older", snapshotCheck, schema, {
    ...FULL as Record<string, Json>,
    git_context: {
      branch: null,
      commit: null,
      commit_message: null,
      status: { modified: status.modified, staged: [], untracked: [] },
      is_clean: true,
      ahead_behind: null,
    },
    mpm: {},
  });
  sameAsZod("snapshot, outside git", snapshotCheck, schema, {
    ...FULL as Record<string, Json>,
    git_context: null,
    mpm: { ...mpm.mpm, context_usage: null, auto: null, carried: null, context_file: null },
  });
  // Every field was varied: a check that skipped one would meet a change it misses.
  assert(count > 1000, `only ${count} variants`);
});
