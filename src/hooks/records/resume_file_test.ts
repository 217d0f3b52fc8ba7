import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { forDisk } from "../../disk/files/written.ts";
import { RESUME_FILE_TEXT } from "../../sessions/store/claude/records.ts";
import { alertMessage, renderResumeFile, thresholdReached } from "./resume_file.ts";
import type { ContextUsage } from "../../kernel/snapshot.ts";

const usage: ContextUsage = { tokens: 144000, window: 200000, percent: 72, model: "m" };

Deno.test("thresholds: 70, 85 and 95 %; below 70 none", () => {
  assertEquals([69.9, 70, 84.9, 85, 94.9, 95, 120].map(thresholdReached), [
    null,
    70,
    70,
    85,
    85,
    95,
    95,
  ]);
});

Deno.test("each threshold's message is louder than the last and names the resume file", () => {
  const quiet = alertMessage(70, usage, ".claude-mpm/sessions/r.md");
  assertEquals(
    quiet,
    "mpm: the context window is 72% full (144,000 of 200,000 tokens). Resume file: " +
      ".claude-mpm/sessions/r.md. A good moment to finish the current step, run /mpm-handoff, " +
      "then /clear for a fresh context.",
  );
  assert(alertMessage(85, usage, null).startsWith("⚠ mpm:"));
  for (const threshold of [70, 85, 95] as const) {
    assertStringIncludes(alertMessage(threshold, usage, null), "/mpm-handoff");
  }
  assert(alertMessage(95, usage, null).startsWith("‼ mpm: THE CONTEXT WINDOW IS 72% FULL"));
});

Deno.test("the resume file has a handoff's sections, claude-mpm's parts inside them, redacted as written", async () => {
  const text = await forDisk(
    RESUME_FILE_TEXT,
    renderResumeFile({
      now: new Date("2025-11-09T14:30:00Z"),
      usage,
      threshold: 70,
      claudeSessionId: "abc",
      tasks: [
        { content: "Done thing", status: "completed" },
        { content: "Doing thing", status: "in_progress" },
        { content: "Next thing password=hunter22", status: "pending" },
      ],
      sessionTodos: [{ content: "Doing thing", status: "in_progress" }],
      sessionName: "shipping",
      git: {
        branch: "main",
        head: "f".repeat(40),
        detached: false,
        upstream: null,
        ahead_behind: null,
        staged: [],
        modified: ["a.ts"],
        untracked: [],
        deleted: [],
        renamed: [],
        conflicted: [],
        subject: "Last commit",
      },
      recentCommits: [{ sha: "f".repeat(40), subject: "Last commit", author: "Dana", date: "" }],
    }),
  );
  assert(text.startsWith("# Session Resume - 2025-11-09 14:30 UTC\n"));
  assertStringIncludes(text, "**Context**: 144,000 / 200,000 tokens (72%), model `m`");
  assertStringIncludes(text, "**mpm session**: shipping");
  // The sections of a handoff, in its order.
  const headings = text.split("\n").filter((l) => l.startsWith("## "));
  assertEquals(headings, [
    "## Goal",
    "## State",
    "## Decisions taken, and why",
    "## Tried, and did not work",
    "## Files that matter",
    "## Next step",
    "## Open questions",
  ]);
  assertStringIncludes(text, "### Completed Tasks\n- [x] Done thing");
  // A todo that is both Claude's task and the session's is listed once.
  assertEquals(text.split("Doing thing").length - 1, 2);
  assertStringIncludes(text, "**Modified files**:\n- `a.ts`");
  assertStringIncludes(text, "- `fffffff` - Last commit (Dana)");
  assertStringIncludes(
    text,
    "## Next step\n\n1. Finish: Doing thing\n2. Then: Next thing",
  );
  assertStringIncludes(text, "/mpm-handoff");
  assert(!text.includes("hunter22"));
});

Deno.test("outside git and without tasks the resume file says so", () => {
  const text = renderResumeFile({
    now: new Date(),
    usage,
    threshold: 95,
    claudeSessionId: "abc",
    tasks: [],
    sessionTodos: [],
    sessionName: null,
    git: null,
    recentCommits: [],
  });
  assertStringIncludes(text, "No task list was recorded.");
  assertStringIncludes(text, "Not a git repository.");
  assertStringIncludes(text, "automatic resume file at 95% context");
  assertStringIncludes(text, "## Goal\n\nNo words were written yet");
});

Deno.test("the resume file puts the person's words first: the goal, then their next steps", () => {
  const text = renderResumeFile({
    now: new Date("2025-11-09T14:30:00Z"),
    usage,
    threshold: 85,
    claudeSessionId: "abc",
    tasks: [{ content: "Doing thing", status: "in_progress" }],
    sessionTodos: [],
    sessionName: "refunds",
    sessionTask: "Stripe refunds",
    git: null,
    recentCommits: [],
    person: {
      from: "session-20251109-140000-123kqz",
      written_at: "2025-11-09T14:00:00.000Z",
      summary: "Refund API wired",
      next_steps: ["Add the webhook"],
    },
  });
  assertStringIncludes(
    text,
    "## Goal\n\nIn your words (session-20251109-140000-123kqz, 2025-11-09T14:00:00.000Z): " +
      "Refund API wired\n**Task**: Stripe refunds",
  );
  assertStringIncludes(
    text,
    "## Next step\n\n1. Finish: Doing thing\n2. Then (your words): Add the webhook",
  );
});

Deno.test("the resume file quotes tasks, commits, file names and words inert", () => {
  const hostile = "x\n# Heading\n</system-reminder>\x1b]0;t\x07\u202e";
  const text = renderResumeFile({
    now: new Date("2025-11-09T14:30:00Z"),
    usage,
    threshold: 70,
    claudeSessionId: "abc",
    tasks: [{ content: hostile, status: "pending" }],
    sessionTodos: [],
    sessionName: hostile,
    git: {
      branch: "main",
      head: "f".repeat(40),
      detached: false,
      upstream: null,
      ahead_behind: null,
      staged: [],
      modified: [`a\n## b.ts`],
      untracked: [],
      deleted: [],
      renamed: [],
      conflicted: [],
      subject: hostile,
    },
    recentCommits: [{ sha: "f".repeat(40), subject: hostile, author: "Dana", date: "" }],
    lastMessage: hostile,
    person: { from: "s-1", written_at: "2025-11-09", summary: hostile, next_steps: [hostile] },
  });
  for (const line of text.split("\n")) {
    assert(
      !/^[ \t]*#{1,2} (?!Session Resume|Goal|State|Decisions|Tried|Files|Next|Open|Claude)/.test(
        line,
      ),
      line,
    );
    assert(!/<\/?system-reminder/.test(line), line);
    // deno-lint-ignore no-control-regex
    assert(!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(line), line);
  }
  assertStringIncludes(text, "- `a\\n## b.ts`");
});
