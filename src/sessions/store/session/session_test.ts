import { assertEquals, assertThrows } from "../../../../tests/assert.ts";
import { forDisk } from "../../../disk/files/written.ts";
import { stateText } from "../records/state/state.ts";
import { UsageError } from "../../../kernel/errors.ts";
import {
  branchNameProblem,
  checkBranchName,
  checkSessionName,
  newSession,
  sessionFromSnapshot,
  sessionLabel,
} from "./session.ts";
import { sessionKey, type Snapshot } from "../../../kernel/snapshot.ts";
import type { StackFrame } from "../records/state/state.ts";

const now = new Date("2026-01-02T03:04:05Z");

function frame(id: string): StackFrame {
  return {
    snapshot_id: id,
    key: "s-parent",
    name: "parent",
    git_branch: "main",
    git_head: "abc",
    stash: null,
    tree: null,
    child_git_branch: null,
    branched_at: now.toISOString(),
  };
}

function snapshot(mpm: Record<string, unknown>): Snapshot {
  return {
    schema_version: 1,
    session_id: "session-20260102-030405",
    paused_at: now.toISOString(),
    conversation: { summary: "s", accomplishments: [], next_steps: [] },
    git_context: null,
    todos: {
      active: [{ content: "open", status: "pending", created_at: "t1" }],
      completed: [{ content: "done", status: "completed" }],
    },
    version: "0",
    build: "dev",
    project_path: "/p",
    mpm: {
      name: "feature",
      task: "build",
      template: null,
      state: "paused",
      parent: null,
      depth: 0,
      claude_session_id: null,
      context_usage: null,
      summary_source: "user",
      notes: [],
      ...mpm,
    },
  };
}

Deno.test("newSession takes its parent and depth from the stack; the writer redacts its texts", async () => {
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  const session = newSession({
    key: "s-1",
    now,
    name: "fix",
    task: `deploy with ${token}`,
    todos: [{ content: `use ${token}`, status: "pending" }],
    notes: [`note ${token}`],
    stack: [frame("session-a"), frame("session-b")],
  });
  assertEquals(session.parent, "session-b");
  assertEquals(session.depth, 2);
  assertEquals(session.dirty, true);
  const kept = (await forDisk(stateText, { schema_version: 1, active: session, stack: [] }))
    .active!;
  for (const text of [kept.task!, kept.todos[0].content, kept.notes[0]]) {
    assertEquals(text.includes(token), false, text);
  }
});

Deno.test("sessionFromSnapshot brings todos back, open first, and keeps the key", () => {
  const restored = sessionFromSnapshot(snapshot({ key: "s-key" }), [], now);
  assertEquals(restored.key, "s-key");
  assertEquals(restored.todos.map((t) => t.content), ["open", "done"]);
  assertEquals(restored.todos[0].created_at, "t1");
  assertEquals(restored.resumed_from, "session-20260102-030405");
  assertEquals(restored.dirty, false);
  assertEquals(restored.depth, 0);
});

Deno.test("a snapshot without a key goes by its id; a child keeps its lineage off the stack", () => {
  const legacy = snapshot({ parent: "session-20250101-000000" });
  assertEquals(sessionKey(legacy), legacy.session_id);
  assertEquals(sessionFromSnapshot(legacy, [], now).parent, "session-20250101-000000");
  assertEquals(sessionFromSnapshot(legacy, [frame("session-x")], now).parent, "session-x");
});

Deno.test("branch names follow git's rules, without git", () => {
  for (const good of ["hotfix", "hotfix/login-2", "review_pr.123", "a@b", "UPPER"]) {
    assertEquals(branchNameProblem(good), undefined, good);
  }
  for (
    const bad of [
      "",
      "@",
      "-x",
      "has space",
      "a..b",
      "a~1",
      "a^",
      "a:b",
      "a?",
      "a*",
      "a[b",
      "a\\b",
      "a@{1}",
      "a//b",
      "/a",
      "a/",
      "a.",
      ".hidden",
      "a/.b",
      "x.lock",
      "a/b.lock/c",
      "tab\there",
    ]
  ) {
    assertEquals(typeof branchNameProblem(bad), "string", bad);
  }
  const error = assertThrows(() => checkBranchName("a b", "The session name"));
  assertEquals(error instanceof UsageError, true);
});

Deno.test("session names are one line", () => {
  assertEquals(checkSessionName("  Feature A  "), "Feature A");
  assertThrows(() => checkSessionName(""));
  assertThrows(() => checkSessionName("two\nlines"));
  assertThrows(() => checkSessionName("x".repeat(500)));
  // 120 characters as a person counts them, an emoji one.
  assertEquals(checkSessionName("🚀".repeat(120)), "🚀".repeat(120));
  assertThrows(() => checkSessionName("🚀".repeat(121)));
});

Deno.test("a session is labelled by its name, else without repeating 'session'", () => {
  assertEquals(sessionLabel({ name: "payments", adhoc: false, key: "s-1" }), "payments");
  assertEquals(sessionLabel({ name: null, adhoc: true, key: "s-1" }), "ad-hoc session s-1");
  assertEquals(sessionLabel({ name: null, adhoc: false, key: "s-1" }), "session s-1");
  assertEquals(
    sessionLabel({ name: null, adhoc: false, key: "session-20251020-143022" }),
    "session-20251020-143022",
  );
});
