import { assert, assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
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
      ".claude-mpm/sessions/r.md. A good moment to finish the current step, run `mpm pause`, " +
      "and start a fresh session.",
  );
  assert(alertMessage(85, usage, null).startsWith("⚠ mpm:"));
  assert(alertMessage(95, usage, null).startsWith("‼ mpm: THE CONTEXT WINDOW IS 72% FULL"));
});

Deno.test("the resume file has claude-mpm's sections, redacted", () => {
  const text = renderResumeFile({
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
  });
  assert(text.startsWith("# Session Resume - 2025-11-09 14:30 UTC\n"));
  assertStringIncludes(text, "**Context**: 144,000 / 200,000 tokens (72%), model `m`");
  assertStringIncludes(text, "**mpm session**: shipping");
  assertStringIncludes(text, "## Completed Tasks\n- [x] Done thing");
  // A todo that is both Claude's task and the session's is listed once.
  assertEquals(text.split("Doing thing").length - 1, 2);
  assertStringIncludes(text, "**Modified files**:\n- `a.ts`");
  assertStringIncludes(text, "- `fffffff` - Last commit (Dana)");
  assertStringIncludes(
    text,
    "## Recommended Next Actions\n1. Finish: Doing thing\n2. Then: Next thing",
  );
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
});
