import { assert, assertEquals } from "../../../../tests/assert.ts";
import { type Snapshot, snapshotCheck } from "../../../kernel/snapshot.ts";
import { mustCheck } from "../../../kernel/check.ts";
import { buildHandoff } from "./handoff.ts";
import { LISTED_PATHS, renderMarkdown } from "./render_md.ts";
import { thousands } from "../../../kernel/format/numbers.ts";

function snap(mpm: Record<string, unknown>): Snapshot {
  return mustCheck(snapshotCheck, {
    schema_version: 1,
    session_id: "session-20260101-000000",
    paused_at: "2026-01-01T00:00:00.000Z",
    conversation: { summary: "Payments half done", accomplishments: [], next_steps: [] },
    git_context: null,
    todos: { active: [], completed: [] },
    version: "0",
    build: "dev",
    project_path: "/p",
    mpm,
  });
}

const contextText = [
  "# Project context",
  "",
  "## Current Work",
  "Refunds, with ``` inside",
  ...Array.from({ length: 10 }, (_, i) => `line ${i}`),
].join("\n");

Deno.test("renderMarkdown: the context file as its path, short hash and first lines, fenced", () => {
  const md = renderMarkdown(snap({
    context_file: { file: ".claude/context.md", sha256: "ab".repeat(32), text: contextText },
  }));
  assert(md.includes("## Context file"), md);
  assert(md.includes("- **File:** `.claude/context.md`"), md);
  assert(md.includes("- **sha256:** `abababababab`"), md);
  // Its headings sit inside a fence longer than any backtick run it holds: they stay its own.
  assert(md.includes("````markdown\n# Project context\n"), md);
  assert(!md.includes("line 9"), "only the first lines are quoted");
  assert(md.includes("_(6 more lines in the snapshot's record)_"), md);
  // The section sits before Git, and the document still ends with how to resume.
  assert(md.indexOf("## Context file") < md.indexOf("## Git"), md);
  assert(md.trimEnd().endsWith("```"), md);
});

Deno.test("renderMarkdown: a context file too large to keep is a note; none is no section", () => {
  const large = renderMarkdown(snap({
    context_file: { file: ".claude/context/api.md", sha256: "cd".repeat(32), text: null },
  }));
  assert(large.includes("`.claude/context/api.md`"), large);
  assert(large.includes("only its hash is recorded"), large);
  assertEquals(renderMarkdown(snap({ context_file: null })).includes("## Context file"), false);
  assertEquals(renderMarkdown(snap({})).includes("## Handoff"), false);
});

Deno.test("renderMarkdown: the handoff a snapshot carries, in short", () => {
  const handoff = buildHandoff({
    from: "payments",
    to: "Backend agent",
    now: new Date("2026-01-02T03:04:05.000Z"),
    summary: "Refunds half done",
    accomplishments: ["Refund model"],
    doneTodos: [],
    openTodos: ["wire the webhook"],
    files: ["src/pay.ts", "src/refund.ts"],
    needs: ["GET /api/refunds/:id"],
    acceptance: ["404 on unknown ids"],
  });
  const md = renderMarkdown(snap({ handoff }));
  assert(md.includes("## Handoff"), md);
  assert(md.includes("- **To:** Backend agent"), md);
  assert(md.includes("- **Written:** 2026-01-02T03:04:05.000Z"), md);
  assert(md.includes("- **Files changed:** 2"), md);
  assert(md.includes("- GET /api/refunds/:id\n- wire the webhook"), md);
  assert(md.includes("- 404 on unknown ids"), md);
  // An invalid handoff (a hand-edited file) is left out rather than half shown.
  assertEquals(renderMarkdown(snap({ handoff: { from: 1 } })).includes("## Handoff"), false);
});

Deno.test("renderMarkdown: no control character or escape sequence, tabs and line breaks kept", () => {
  const snapshot = snap({ name: "W\u202e", context_file: null });
  snapshot.conversation.summary = "a\x1b[31mb\x1b]0;PWN\x07 c\r\n\tnext";
  snapshot.todos.active = [{ content: "do \x1b[2J it\x9b2J", status: "pending" }];
  const md = renderMarkdown(snapshot);
  // deno-lint-ignore no-control-regex
  assert(!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(md), JSON.stringify(md));
  assert(md.includes("\nab c\n\tnext\n"), md);
  assert(md.includes("- [ ] do  it\n"), md);
  assert(md.includes("- **Name:** W\n"), md);
});

Deno.test("renderMarkdown labels the snapshot's time by its state: a finished one has Ended", () => {
  const line = (state: string) =>
    renderMarkdown(snap({ state })).split("\n").find((l) => l.includes(snap({}).paused_at));
  assertEquals(line("paused"), "- **Paused:** 2026-01-01T00:00:00.000Z");
  assertEquals(line("branched"), "- **Paused:** 2026-01-01T00:00:00.000Z");
  assertEquals(line("completed"), "- **Ended:** 2026-01-01T00:00:00.000Z");
  assertEquals(line("cancelled"), "- **Ended:** 2026-01-01T00:00:00.000Z");
  assertEquals(line("active"), "- **Saved:** 2026-01-01T00:00:00.000Z");
});

Deno.test("renderMarkdown: a million changed paths list the first ones and how many more", () => {
  const many = Array.from({ length: 1_000_000 }, (_, i) => `vendor/lib/f${i}.js`);
  const snapshot = snap({});
  const md = renderMarkdown({
    ...snapshot,
    // The person's words and every path: rendering must not drop the one for the other.
    conversation: { ...snapshot.conversation, next_steps: many.slice(0, 3) },
    git_context: {
      branch: "main",
      commit: null,
      commit_message: null,
      detached: false,
      upstream: null,
      status: {
        staged: many,
        modified: ["src/pay.ts"],
        untracked: [],
        deleted: [],
        renamed: [],
        conflicted: [],
      },
      is_clean: false,
      ahead_behind: null,
    },
  });
  assert(md.includes("Payments half done"), "the person's words");
  assert(md.includes("- `vendor/lib/f0.js`"), md.slice(0, 2000));
  assert(md.includes(`- \`vendor/lib/f${LISTED_PATHS - 1}.js\``), "the first paths are listed");
  assert(!md.includes(`vendor/lib/f${LISTED_PATHS}.js`), "the rest are counted, not listed");
  assert(
    md.includes(`- _and ${thousands(1_000_000 - LISTED_PATHS)} more in the snapshot's record_`),
  );
  // A short group is listed whole, with no count.
  assert(md.includes("### Modified\n\n- `src/pay.ts`\n"), md.slice(-600));
  // Bounded: the first paths of each group, not the million.
  assert(md.length < 50_000, `${md.length} characters`);
});
