import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { style } from "../../kernel/format/style.ts";
import type { Changes } from "../store/records/snapshot/changes.ts";
import { renderChanges, renderContext } from "./render_report.ts";
import { mustCheck } from "../../kernel/check.ts";
import { snapshotCheck } from "../../kernel/snapshot.ts";

function switched(from: string): Changes {
  return {
    paused_commit: "0123456789abcdef0123456789abcdef01234567",
    current_commit: "89abcdef0123456789abcdef0123456789abcdef",
    paused_commit_state: "on_paused_branch",
    branch: { from, to: "main" },
    new_commits: [],
    replayed_commits: [],
    files: [],
    conflicts: [],
    committed_as_paused: [],
    missing_files: [],
    paused_elsewhere: null,
    working_tree: { modified: [], staged: [], untracked: [], deleted: [], conflicted: [] },
    edited_since_pause: null,
    undone_since_pause: null,
    ahead_behind: null,
    history_rewritten: false,
  };
}

Deno.test("a switch away from the paused branch says how to go back, with a name safe to paste", () => {
  const plain = renderChanges(switched("feature/refunds"), new Date(), style(false)).join("\n");
  assertStringIncludes(plain, "Branch: feature/refunds → main");
  assertStringIncludes(plain, "`git switch feature/refunds` goes back to it");
  // A name a shell would read as more than a name (git allows `;` and `$` in one): no command.
  const odd = renderChanges(switched("x;rm-rf$HOME"), new Date(), style(false));
  assertEquals(odd.filter((line) => line.includes("git switch")), []);
  assertStringIncludes(odd.join("\n"), "is on the branch it was paused on");
  // What a forged snapshot names is printed without its control characters.
  const forged = renderChanges(switched("a\u001b[31mb"), new Date(), style(false)).join("\n");
  assertEquals(forged.includes("\u001b"), false);
});

Deno.test("the uncommitted files changed since the pause are named; nothing is said of the rest", () => {
  const tree = {
    modified: ["a.ts", "b.ts"],
    staged: [],
    untracked: [],
    deleted: [],
    conflicted: [],
  };
  const changes = { ...switched("main"), working_tree: tree };
  const edited = renderChanges(
    { ...changes, edited_since_pause: ["b.ts"] },
    new Date(),
    style(false),
  );
  assertStringIncludes(edited.join("\n"), "Modified (2): a.ts, b.ts");
  assertStringIncludes(edited.join("\n"), "Changed since the pause (1): b.ts");
  for (const none of [[], null]) {
    const lines = renderChanges({ ...changes, edited_since_pause: none }, new Date(), style(false));
    assertEquals(lines.filter((line) => line.includes("since the pause")), []);
  }
});

Deno.test("the report labels the snapshot's time by its state: a finished one has Ended", () => {
  const report = (state: string) =>
    renderContext(
      mustCheck(snapshotCheck, {
        schema_version: 1,
        session_id: "session-20260101-000000",
        paused_at: "2026-01-01T00:00:00.000Z",
        conversation: { summary: "Payments", accomplishments: [], next_steps: [] },
        git_context: null,
        todos: { active: [], completed: [] },
        version: "0",
        build: "dev",
        project_path: "/p",
        mpm: { state },
      }),
      new Date("2026-01-01T02:00:00.000Z"),
      style(false),
    )[1];
  assertEquals(report("paused"), "Paused: 2026-01-01 00:00:00 UTC (2 hours ago)");
  assertEquals(report("completed"), "Ended: 2026-01-01 00:00:00 UTC (2 hours ago)");
  assertEquals(report("cancelled"), "Ended: 2026-01-01 00:00:00 UTC (2 hours ago)");
});
