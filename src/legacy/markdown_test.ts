import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { IntegrityError } from "../kernel/errors.ts";
import { normalizeSnapshot } from "./normalize.ts";
import { parseMarkdownSession } from "./markdown.ts";
import { snapshotCheck } from "../kernel/snapshot.ts";
import { mustCheck } from "../kernel/check.ts";

const FIXTURES = new URL("../../tests/fixtures/claude-mpm/sessions/", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, FIXTURES));
const context = (fileName: string) => ({ fileName, projectPath: "/home/dev/elsewhere" });

function md(path: string, text = read(path)) {
  const snapshot = parseMarkdownSession(text, context(path.split("/").pop()!));
  assertEquals(mustCheck(snapshotCheck, snapshot), snapshot);
  return snapshot;
}

Deno.test("the pause document gives what its .json gives, minus what it never printed", () => {
  for (
    const id of [
      "pause/session-20251107-182249",
      "session-20260305-141503",
      "session-20260612-091245",
    ]
  ) {
    const fromMd = md(`${id}.md`);
    const fromJson =
      normalizeSnapshot(JSON.parse(read(`${id}.json`)), context(`${id}.json`)).snapshot;
    for (const key of ["session_id", "paused_at", "version", "project_path"] as const) {
      assertEquals(fromMd[key], fromJson[key], `${id} ${key}`);
    }
    assertEquals(fromMd.conversation.summary, fromJson.conversation.summary);
    assertEquals(fromMd.conversation.accomplishments, fromJson.conversation.accomplishments);
    assertEquals(fromMd.mpm.task, fromJson.mpm.task);
    const [a, b] = [fromMd.git_context!, fromJson.git_context!];
    for (const key of ["branch", "commit", "commit_message", "detached", "is_clean"] as const) {
      assertEquals(a[key], b[key], `${id} git ${key}`);
    }
    assertEquals(a.status.modified, b.status.modified);
    assertEquals(a.status.renamed, b.status.renamed);
    assertEquals(fromMd.mpm.legacy, {
      ...fromJson.mpm.legacy as object,
      layout: "claude-mpm-md",
      file: `${id.split("/").pop()}.md`,
    });
  }
});

Deno.test("a .md-only pause document: multi-line summary, numbered next steps, details skipped", () => {
  const snapshot = md("session-20260115-103000.md");
  assertEquals(snapshot.session_id, "session-20260115-103000");
  assertEquals(snapshot.paused_at, "2026-01-15T10:30:00.918Z");
  assertEquals(
    snapshot.conversation.summary,
    "Gift cards: balance endpoint works,\nredeem flow still stubbed",
  );
  assertEquals(snapshot.conversation.next_steps, [
    "Redeem flow (Priority: high)",
    "Write migration for gift_cards table",
  ]);
  assertEquals(snapshot.conversation.accomplishments, [
    "Balance endpoint",
    "Card model with expiry",
  ]);
  assertEquals(snapshot.git_context?.status.modified, [
    "src/giftcards/api.py",
    "src/giftcards/models.py",
  ]);
  assertEquals(snapshot.git_context?.commit, "ab12cd3");
  assertEquals(snapshot.version, "5.6.12");
  // The resume instructions' "1." lines and the fenced commands are not next steps.
  assert(!snapshot.conversation.next_steps.some((s) => s.includes("git status")));
});

Deno.test("an agent-written .md: local time with an offset, nested sections, checkboxes, commits", () => {
  const snapshot = md("session-20251209-154500.md");
  assertEquals(snapshot.session_id, "session-20251209-204500");
  assertEquals(snapshot.paused_at, "2025-12-09T20:45:00.000Z");
  // Its heading only says what the file is: not a summary.
  assertEquals(snapshot.conversation.summary, "");
  assertEquals(snapshot.mpm.summary_source, "default");
  assertEquals(snapshot.conversation.accomplishments.length, 4);
  assertEquals(
    snapshot.conversation.accomplishments[0],
    "Added an append-only `points_ledger` table",
  );
  assertEquals(snapshot.conversation.next_steps, [
    "Decide whether refunds claw back points",
    "Load-test the ledger query on 1M rows",
  ]);
  assertEquals(snapshot.todos.active.map((t) => t.content), [
    "Expire points after 12 months",
    "Admin page to adjust a balance",
  ]);
  assertEquals(snapshot.todos.completed, [{ content: "Ledger migration", status: "completed" }]);
  const git = snapshot.git_context!;
  assertEquals(git.branch, "feature/loyalty-points");
  assertEquals(git.commit, null, "a session's own commit list is not ordered newest first");
  assertEquals((git.recent_commits as { sha: string }[]).map((c) => c.sha), [
    "5e8d1c2",
    "a03b9f7",
    "77c4e10",
  ]);
  assertEquals(snapshot.project_path, "/home/dev/elsewhere");
  assertEquals(snapshot.mpm.legacy, {
    tool: "claude-mpm",
    layout: "claude-mpm-md",
    session_id: "session-20251209-154500",
    paused_at: "2025-12-09T15:45:00-05:00",
    file: "session-20251209-154500.md",
  });
});

Deno.test("a session-resume file at 70%: id from its name, todos by section, context usage", () => {
  const snapshot = md("session-resume-2025-11-09-143000.md");
  assertEquals(snapshot.session_id, "session-20251109-143000");
  assertEquals(snapshot.paused_at, "2025-11-09T14:30:00.000Z");
  assertEquals(snapshot.todos.active.map((t) => [t.content, t.status]), [
    ["Cache carrier quotes for 10 minutes", "in_progress"],
    ["Remove the old rates table", "pending"],
    ["Document the feature flag in README", "pending"],
  ]);
  assertEquals(snapshot.todos.completed.length, 2);
  assertEquals(snapshot.conversation.next_steps[0], "Finish the quote cache and its expiry test");
  assertEquals(snapshot.mpm.context_usage, {
    tokens: 141200,
    window: 200000,
    percent: 70.6,
    model: null,
  });
  assertEquals(snapshot.mpm.summary_source, "auto");
  assertEquals(snapshot.git_context?.commit, "f41d2aa");
  assertEquals(snapshot.git_context?.status.modified, ["src/shipping/quotes.py"]);
});

Deno.test("an auto-pause document keeps its UTC id despite its late paused_at", () => {
  const snapshot = md("session-20260518-221510.md");
  assertEquals(snapshot.session_id, "session-20260518-221510");
  assertEquals(snapshot.mpm.summary_source, "auto");
  assertEquals(snapshot.mpm.notes, ["Auto-pause triggered at 90% context"]);
});

Deno.test("tolerant: CRLF, **Key:** spelling, no git repository, nothing but an id", () => {
  const text = [
    "# Claude MPM Session Pause Document",
    "",
    "**Session ID:** `session-20251110-081500`",
    "**Paused At:** 2025-11-10T08:15:00.5+00:00",
    "",
    "## Git Context",
    "",
    "*Not a git repository*",
    "",
    "## Next Steps",
    "- [ ] Write the README",
    "  - with an install section",
    "",
  ].join("\r\n");
  const snapshot = md("renamed.md", text);
  assertEquals(snapshot.session_id, "session-20251110-081500");
  assertEquals(snapshot.paused_at, "2025-11-10T08:15:00.500Z");
  assertEquals(snapshot.git_context, null);
  assertEquals(snapshot.conversation.next_steps, ["Write the README"]);
  assertEquals(snapshot.todos.active, [{ content: "Write the README", status: "pending" }]);
  assertEquals(snapshot.conversation.summary, "");
  assertEquals(snapshot.mpm.summary_source, "default");

  const bare = md("session-20251110-081500.md", "");
  assertEquals(bare.session_id, "session-20251110-081500");
  assertEquals(bare.paused_at, "2025-11-10T08:15:00.000Z");
  assertEquals(bare.todos, { active: [], completed: [] });
});

Deno.test("markdown naming no session id is refused naming the file", () => {
  const error = assertThrows(
    () => parseMarkdownSession("# Notes\n\n- buy milk\n", context("notes.md")),
    /notes\.md names no session id/,
  );
  assert(error instanceof IntegrityError);
});

Deno.test("a heading is the summary only when it says something beyond 'session pause' and a date", () => {
  const at = "**Paused**: 2025-12-09T15:45:00Z\n";
  for (
    const title of ["Session Pause - 2025-12-09", "Session session-20251209-154500", "Pause notes"]
  ) {
    assertEquals(md("session-20251209-154500.md", `# ${title}\n\n${at}`).conversation.summary, "");
  }
  assertEquals(
    md("session-20251209-154500.md", `# Loyalty points ledger\n\n${at}`).conversation.summary,
    "Loyalty points ledger",
  );
});
