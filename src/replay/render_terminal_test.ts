import { assertEquals } from "../../tests/assert.ts";
import { style } from "../kernel/format/style.ts";
import { renderEvent, renderHeader, type TerminalOptions } from "./render_terminal.ts";
import type { TimelineEvent } from "./timeline.ts";

const options: TerminalOptions = { style: style(false), utc: true };
const common = { source: "claude" as const, claude_session: "c1", sidechain: false };

function render(events: TimelineEvent[], opts = options): string[] {
  const state = { day: null };
  return events.flatMap((event) => renderEvent(event, opts, state));
}

Deno.test("one line per event, details indented beneath and cut with a count", () => {
  const diff = [
    "@@ -1,3 +1,14 @@",
    ...Array.from({ length: 12 }, (_, i) => `+line ${i}`),
    "-old",
    "-older",
    " same",
  ]
    .join("\n") + "\n";
  const lines = render([
    {
      ...common,
      time: "2026-11-24T14:02:05Z",
      kind: "prompt",
      text: "Add refunds\nand tests",
      cut: 0,
    },
    {
      ...common,
      time: "2026-11-24T14:02:11Z",
      kind: "edit",
      tool: "Edit",
      path: "src/pay.ts",
      operation: "edit",
      added: 12,
      removed: 3,
      diff,
      diff_cut: 40,
      failed: false,
      error: null,
    },
    {
      ...common,
      time: "2026-11-24T14:03:00Z",
      sidechain: true,
      kind: "tool",
      tool: "Bash",
      summary: "npm test",
      input: { command: "npm test" },
      result: { text: "FAIL pay.test.ts\n  expected 2", is_error: true, cut: 1200 },
    },
  ], { ...options, detailLines: 4 });
  assertEquals(lines, [
    "── 2026-11-24 ──",
    "[14:02:05] prompt  Add refunds",
    "           and tests",
    "[14:02:11] edit src/pay.ts (+12 −3)",
    "           @@ -1,3 +1,14 @@",
    "           +line 0",
    "           +line 1",
    "           +line 2",
    "           +line 3",
    "           +line 4",
    "           +line 5",
    "           +line 6",
    "           … 48 more diff lines",
    "[14:03:00] (subagent) tool Bash failed  npm test",
    "           → FAIL pay.test.ts",
    "             expected 2",
    "           … 1,200 more characters",
  ]);
});

Deno.test("mpm's records, commits and a new day", () => {
  const lines = render([
    {
      source: "mpm",
      claude_session: null,
      sidechain: false,
      time: "2026-11-24T23:59:00Z",
      kind: "checkpoint",
      name: "before-refunds",
      note: "tests green",
      branch: "main",
      head: "abc1234def",
    },
    {
      source: "git",
      claude_session: null,
      sidechain: false,
      time: "2026-11-25T00:01:00Z",
      kind: "commit",
      sha: "0123456789abcdef",
      subject: "Add refunds",
      author: "Dev",
      ref: "main",
      files: [{ path: "src/pay.ts", added: 4, removed: 0 }, {
        path: "logo.png",
        added: null,
        removed: null,
      }],
    },
  ]);
  assertEquals(lines, [
    "── 2026-11-24 ──",
    '[23:59:00] checkpoint before-refunds  "tests green" (main @ abc1234)',
    "── 2026-11-25 ──",
    "[00:01:00] commit 0123456  Add refunds (Dev, main)",
    "           src/pay.ts +4 −0",
    "           logo.png (binary)",
  ]);
});

Deno.test("colour only when asked", () => {
  const event: TimelineEvent = {
    ...common,
    time: "2026-11-24T14:02:05Z",
    kind: "text",
    text: "hi",
    cut: 0,
  };
  assertEquals(render([event]).join("").includes("\x1b["), false);
  assertEquals(
    render([event], { ...options, style: style(true) }).join("").includes("\x1b["),
    true,
  );
});

Deno.test("the header names the session, its span and its Claude sessions", () => {
  assertEquals(
    renderHeader({
      key: "s-1",
      name: "payments",
      task: "Stripe",
      span: { start: "2026-11-24T09:00:00Z", end: "2026-11-24T12:00:00Z" },
      active: false,
      claudeSessions: 2,
    }, options),
    [
      'Replay of "payments" (s-1)',
      "Task: Stripe",
      "2026-11-24 09:00:00 UTC → 2026-11-24 12:00:00 UTC · 2 Claude sessions",
    ],
  );
});
