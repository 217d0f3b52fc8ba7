import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import { buildSummary, LAYER_TITLES, renderSummary } from "./summary.ts";
import { summaryLine } from "./summarize.ts";
import type { TimelineEvent } from "./timeline.ts";

const anchor = new Date("2026-11-24T18:00:00Z");
const claude = { source: "claude" as const, claude_session: "c1", sidechain: false };

function snapshot(
  id: string,
  pausedAt: string,
  summary: string,
  source = "user",
  next: string[] = [],
) {
  return {
    schema_version: 1,
    session_id: id,
    paused_at: pausedAt,
    conversation: {
      summary,
      accomplishments: source === "user" ? [`Done: ${summary}`] : [],
      next_steps: next,
    },
    git_context: null,
    todos: { active: [], completed: [] },
    version: "0.1.0",
    build: "dev",
    project_path: "/p",
    mpm: {
      name: "payments",
      task: null,
      template: null,
      state: "paused",
      parent: null,
      depth: 0,
      claude_session_id: null,
      context_usage: null,
      summary_source: source,
      notes: [],
      key: "s-1",
    },
  } as unknown as Snapshot;
}

const events: TimelineEvent[] = [
  // Layer 1: the last hour.
  { ...claude, time: "2026-11-24T17:30:00Z", kind: "prompt", text: "Add refunds\nplease", cut: 0 },
  {
    ...claude,
    time: "2026-11-24T17:31:00Z",
    kind: "edit",
    tool: "Edit",
    path: "src/pay.ts",
    operation: "edit",
    added: 4,
    removed: 1,
    diff: "",
    diff_cut: 0,
    failed: false,
    error: null,
  },
  {
    ...claude,
    time: "2026-11-24T17:32:00Z",
    kind: "tool",
    tool: "Bash",
    summary: "npm test",
    input: {},
    result: { text: "1 failing", is_error: true, cut: 0 },
  },
  {
    ...claude,
    time: "2026-11-24T17:33:00Z",
    kind: "prompt",
    text: "subagent work",
    cut: 0,
    sidechain: true,
  },
  // Layer 2: one to four hours back.
  {
    ...claude,
    time: "2026-11-24T15:00:00Z",
    kind: "edit",
    tool: "Write",
    path: "src/pay.ts",
    operation: "create",
    added: 10,
    removed: 0,
    diff: "",
    diff_cut: 0,
    failed: false,
    error: null,
  },
  {
    ...claude,
    time: "2026-11-24T15:30:00Z",
    kind: "compact-summary",
    text: "Chose Stripe's PaymentIntents.",
    cut: 0,
  },
  {
    source: "git",
    claude_session: null,
    sidechain: false,
    time: "2026-11-24T16:00:00Z",
    kind: "commit",
    sha: "abcdef1234",
    subject: "Add charge()",
    author: "Dev",
    ref: "main",
    files: [],
  },
];

Deno.test("the four layers, counted back from the session's end", () => {
  const summary = buildSummary({
    session: { key: "s-1", name: "payments", task: "Stripe", active: false },
    anchor,
    events,
    snapshots: [
      snapshot("session-a", "2026-11-24T09:00:00Z", "Auth scaffolding"),
      snapshot("session-b", "2026-11-24T16:30:00Z", "Charges work", "user", ["Add refunds"]),
      snapshot("session-c", "2026-11-24T16:45:00Z", "Automatic pause", "auto"),
    ],
    finished: [
      {
        key: "s-0",
        session_id: "session-x",
        time: "2026-11-20T10:00:00Z",
        name: "auth",
        summary: "Auth done",
        state: "completed",
      },
    ],
    openTodos: ["write tests"],
    git: "main @ abcdef1 Add charge()",
  });
  assertEquals(summary.layer1.items.map((i) => `${i.kind}: ${i.text}`), [
    "prompt: Add refunds please",
    "edit: src/pay.ts (+4 −1)",
    "failure: Bash `npm test`: 1 failing",
  ]);
  assertEquals(summary.layer2.what_was_done, [
    "Edited src/pay.ts: 1 edit (+10 −0)",
    "Committed abcdef1 Add charge()",
    "Done: Charges work",
  ]);
  // The person's words and Claude's compaction summaries, in time order; automatic pauses are not decisions.
  assertEquals(summary.layer2.key_decisions, [
    "Claude's compaction summary: Chose Stripe's PaymentIntents.",
    'You, pausing: "Charges work". Next: Add refunds.',
  ]);
  assertEquals(summary.layer2.current_state, [
    "Paused at 2026-11-24T16:45:00Z: Automatic pause",
    "Git: main @ abcdef1 Add charge()",
    "Open todos: write tests",
  ]);
  assertEquals(summary.layer3, [{ time: "2026-11-24T09:00:00Z", text: "Auth scaffolding" }]);
  assertEquals(summary.layer4.map((s) => s.name), ["auth"]);

  const markdown = renderSummary(summary, { utc: true });
  let at = 0;
  for (const title of Object.values(LAYER_TITLES)) {
    const found = markdown.indexOf(`## ${title}`);
    assertEquals(found > at, true, `${title} in order`);
    at = found;
  }
  assertStringIncludes(markdown, "- 17:30 prompt: Add refunds please");
  assertStringIncludes(markdown, "- 2026-11-24 09:00: Auth scaffolding");
  assertStringIncludes(markdown, '- Session 2026-11-20: "auth": Auth done (completed)');
});

Deno.test("a summary skips, unparsed, the lines it never quotes", () => {
  const keep = summaryLine("2026-11-24T14:00:00.000Z");
  const line = (o: Record<string, unknown>) => JSON.stringify(o);
  const at = "2026-11-24T15:00:00.000Z";
  assertEquals(
    keep(line({ type: "user", timestamp: at, message: { content: "Add refunds" } })),
    true,
  );
  assertEquals(
    keep(
      line({ type: "user", timestamp: "2026-11-24T13:00:00.000Z", message: { content: "old" } }),
    ),
    false,
  );
  assertEquals(
    keep(
      line({
        type: "assistant",
        timestamp: at,
        message: { content: [{ type: "thinking", thinking: "…" }] },
      }),
    ),
    false,
  );
  assertEquals(
    keep(
      line({
        type: "assistant",
        timestamp: at,
        message: { content: [{ type: "tool_use", id: "t" }] },
      }),
    ),
    true,
  );
  assertEquals(
    keep(
      line({
        type: "user",
        timestamp: at,
        message: { content: [{ type: "tool_result", content: "ok" }] },
      }),
    ),
    false,
  );
  assertEquals(
    keep(
      line({
        type: "user",
        timestamp: at,
        message: { content: [{ type: "tool_result", content: "x", is_error: true }] },
      }),
    ),
    true,
  );
  // A line quoting other timestamps (a Read of a transcript) is not judged by them.
  const quoting = line({
    type: "user",
    message: { content: 'a "timestamp":"2020-01-01T00:00:00.000Z"' },
    timestamp: at,
  });
  assertEquals(keep(quoting), true);
});
