import { assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import { buildSummary, isSlashCommand, LAYER_TITLES, renderSummary } from "./summary.ts";
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
  // The newest hour's edit counts as done too.
  assertEquals(summary.layer2.what_was_done, [
    "Edited src/pay.ts: 2 edits (+14 −1)",
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

Deno.test("a pause in the newest hour is a key decision: Layer 1 lists no pause words", () => {
  const summary = buildSummary({
    session: { key: "s-1", name: "payments", task: null, active: true },
    anchor,
    events: events.filter((e) => e.kind !== "compact-summary"),
    snapshots: [
      snapshot("session-b", "2026-11-24T17:55:00Z", "Token expiry is off by one", "user", [
        "Write the failing test",
      ]),
    ],
    finished: [],
    openTodos: [],
    git: null,
  });
  assertEquals(summary.layer2.key_decisions, [
    'You, pausing: "Token expiry is off by one". Next: Write the failing test.',
  ]);
  assertEquals(summary.layer1.items.some((i) => i.text.includes("Token expiry")), false);
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

Deno.test("a few minutes' session: its edits are what was done, its /exit no prompt", () => {
  const at = (minute: number) => `2026-11-24T17:${String(minute).padStart(2, "0")}:00Z`;
  const prompt = (minute: number, text: string): TimelineEvent => ({
    ...claude,
    time: at(minute),
    kind: "prompt",
    text,
    cut: 0,
  });
  const edit = (minute: number, tool: string, path: string): TimelineEvent => ({
    ...claude,
    time: at(minute),
    kind: "edit",
    tool,
    path,
    operation: "edit",
    added: 2,
    removed: 0,
    diff: "",
    diff_cut: 0,
    failed: false,
    error: null,
  });
  const summary = buildSummary({
    session: { key: "s-1", name: "payments", task: null, active: false },
    anchor,
    events: [
      prompt(50, "Add a refund helper"),
      edit(51, "Write", "src/refund.ts"),
      edit(52, "MultiEdit", "src/pay.ts"),
      edit(53, "NotebookEdit", "notes.ipynb"),
      prompt(54, "/clear"),
      prompt(55, "/etc/hosts is wrong, look"),
      prompt(56, "/exit"),
    ],
    snapshots: [snapshot("session-a", at(57), "Automatic pause", "auto")],
    finished: [],
    openTodos: [],
    git: null,
  });
  assertEquals(summary.layer1.items.filter((i) => i.kind === "prompt").map((i) => i.text), [
    "Add a refund helper",
    "/etc/hosts is wrong, look",
  ]);
  assertEquals(summary.layer2.what_was_done, [
    "Edited src/refund.ts: 1 edit (+2 −0)",
    "Edited src/pay.ts: 1 edit (+2 −0)",
    "Edited notes.ipynb: 1 edit (+2 −0)",
  ]);
  const markdown = renderSummary(summary, { utc: true });
  const done = markdown.slice(markdown.indexOf("### What was done"));
  assertStringIncludes(done, "- Edited src/refund.ts");
  assertEquals(markdown.includes("/exit"), false, markdown);
});

Deno.test("files a pause found changed since the pause before count as done", () => {
  const withBlobs = (s: Snapshot, blobs: Record<string, string | null>) =>
    ({
      ...s,
      git_context: {
        branch: "main",
        commit: "abc",
        commit_message: null,
        detached: false,
        upstream: null,
        status: {
          modified: Object.keys(blobs),
          staged: [],
          untracked: [],
          deleted: [],
          renamed: [],
          conflicted: [],
        },
        is_clean: false,
        ahead_behind: null,
        blobs,
      },
    }) as Snapshot;
  const summary = buildSummary({
    session: { key: "s-1", name: "payments", task: null, active: false },
    anchor,
    events: [],
    snapshots: [
      // Before the four hours: what was uncommitted then is not this window's work.
      withBlobs(snapshot("session-a", "2026-11-24T10:00:00Z", "Old", "auto"), {
        "old.ts": "b1",
        "same.ts": "b2",
      }),
      withBlobs(snapshot("session-b", "2026-11-24T17:40:00Z", "Auto", "auto"), {
        "old.ts": "b1",
        "same.ts": "b3",
        "new.ts": "b4",
      }),
    ],
    finished: [],
    openTodos: [],
    git: null,
  });
  assertEquals(summary.layer2.what_was_done, ["Changed, as a pause found: new.ts, same.ts"]);
});

Deno.test("isSlashCommand: a command's name, not a path", () => {
  for (const text of ["/exit", " /clear ", "/mpm-handoff now", "/plugin:cmd x", "/compact\nkeep"]) {
    assertEquals(isSlashCommand(text), true, text);
  }
  for (const text of ["/etc/hosts is wrong", "exit", "Use /exit", "/", "/1abc"]) {
    assertEquals(isSlashCommand(text), false, text);
  }
});
