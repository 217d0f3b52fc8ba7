import { assertEquals } from "../../../../tests/assert.ts";
import type { ActiveSession } from "../records/state/state.ts";
import { buildSnapshot, type SnapshotFacts } from "./build_snapshot.ts";
import type { SessionHistory } from "../snapshots/session_history.ts";

const SECRET = "ghp_R8vX2mQ7tL4kP9wN3cB6zH1jD5fG0sYaBild";

const FACTS: SnapshotFacts = {
  id: "session-20260301-100000-123abc",
  now: new Date("2026-03-01T10:00:00.123Z"),
  git: {
    branch: "main",
    head: "3f2a9c1e7b4d4e2a9c1f2b7e8d9a0c11deadbeef",
    detached: false,
    upstream: null,
    ahead_behind: null,
    staged: [],
    modified: ["a.ts"],
    untracked: [],
    deleted: [],
    renamed: [],
    conflicted: [],
    subject: `Rotate ${SECRET}`,
  },
  projectPath: "/home/dev/shop",
  version: "0.1.0",
  build: "dev",
};

const SESSION = {
  key: "s-1a2b",
  name: "payments",
  task: null,
  template: null,
  started_at: "2026-03-01T09:00:00.000Z",
  adhoc: false,
  resumed_from: null,
  parent: null,
  depth: 0,
  todos: [{ content: "Refunds", status: "pending", number: 1 }],
  notes: [],
  dirty: true,
} as ActiveSession;

const HISTORY: SessionHistory = {
  key: "s-1a2b",
  last: null,
  words: {
    from: "session-20260301-090000-000def",
    written_at: "2026-03-01T09:00:00.000Z",
    summary: "Card payments",
    accomplishments: ["Stripe client"],
    next_steps: ["Refunds"],
    name: "payments",
    task: null,
    template: null,
    todos: [],
  },
};

Deno.test("buildSnapshot keeps a person's words as given: redacting is the writer's (save_snapshot.ts)", () => {
  const snapshot = buildSnapshot({
    summary: `  Deploy with ${SECRET} `,
    accomplishments: [],
    nextSteps: [],
    todos: [],
  }, { ...FACTS, session: SESSION, history: HISTORY });
  assertEquals(snapshot.conversation.summary, `Deploy with ${SECRET}`);
  assertEquals(snapshot.git_context?.commit_message, `Rotate ${SECRET}`);
  assertEquals(snapshot.mpm.written_by, "person");
  // A person's words are their own: nothing is carried, whatever history is passed.
  assertEquals(snapshot.mpm.carried, undefined);
  assertEquals(snapshot.mpm.key, "s-1a2b");
  assertEquals(snapshot.todos.active.map((t) => t.content), ["Refunds"]);
});

Deno.test("buildSnapshot: mpm's own snapshot carries the person's last words, its own as a note", () => {
  const snapshot = buildSnapshot({
    summary: "Auto-saved when the Claude session ended.",
    accomplishments: [],
    nextSteps: [],
    todos: [],
    summarySource: "auto",
    trigger: "session-end",
    claudeTasks: [{ content: "Run the tests", status: "pending" }],
  }, { ...FACTS, history: HISTORY, contextFile: null });
  assertEquals(snapshot.conversation, {
    summary: "Card payments",
    accomplishments: ["Stripe client"],
    next_steps: ["Refunds"],
  });
  assertEquals(snapshot.mpm.written_by, "mpm");
  assertEquals(snapshot.mpm.auto, {
    trigger: "session-end",
    note: "Auto-saved when the Claude session ended.",
  });
  assertEquals(snapshot.mpm.carried, {
    from: HISTORY.words!.from,
    written_at: "2026-03-01T09:00:00.000Z",
  });
  assertEquals([snapshot.mpm.name, snapshot.mpm.summary_source], ["payments", "auto"]);
  assertEquals(snapshot.mpm.key, "s-1a2b");
  assertEquals(snapshot.mpm.context_file, null);
  assertEquals(snapshot.mpm.claude_tasks, [{ content: "Run the tests", status: "pending" }]);
});

Deno.test("buildSnapshot without words names the last commit, as given", () => {
  const snapshot = buildSnapshot(
    { accomplishments: [], nextSteps: [], todos: [], writtenBy: "person" },
    FACTS,
  );
  assertEquals(
    snapshot.conversation.summary,
    `No summary given (paused on main; last commit: "Rotate ${SECRET}").`,
  );
  assertEquals(snapshot.mpm.summary_source, "default");
  assertEquals("context_file" in snapshot.mpm, false);
});

Deno.test("buildSnapshot names the agent of another agent's work, and only that", () => {
  const request = { accomplishments: [], nextSteps: [], todos: [], claudeSessionId: "c-1" };
  const codex = buildSnapshot({ ...request, agent: "codex" }, FACTS);
  assertEquals(codex.mpm.agent, "codex");
  assertEquals(codex.mpm.claude_session_id, "c-1");
  // Claude Code's records stay as they were: no field, which reads as Claude Code's.
  assertEquals("agent" in buildSnapshot({ ...request, agent: "claude-code" }, FACTS).mpm, false);
  assertEquals("agent" in buildSnapshot(request, FACTS).mpm, false);
  // A queued pause read back from disk names no agent this mpm does not know.
  const odd = { ...request, agent: "other" as unknown as "codex" };
  assertEquals("agent" in buildSnapshot(odd, FACTS).mpm, false);
});
