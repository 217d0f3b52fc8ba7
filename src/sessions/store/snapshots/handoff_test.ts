import { assertEquals, assertStringIncludes } from "../../../../tests/assert.ts";
import { buildHandoff, currentWork, handoffOf, renderHandoffMarkdown } from "./handoff.ts";

Deno.test("currentWork takes the section's body without mpm's markers", () => {
  const text = "# C\r\n\r\n## Current Work\r\nDoing X.\r\n<!-- mpm:begin status -->\r\n- " +
    "Status: active\r\n<!-- mpm:end -->\r\n\r\n## Architecture\r\nY\r\n";
  assertEquals(currentWork(text), "Doing X.\n- Status: active");
  assertEquals(currentWork("# C\n## Architecture\nY\n"), null);
  assertEquals(currentWork("## Current Work\n\n## Next\n"), null);
});

Deno.test("buildHandoff merges todos and dedupes files (the snapshot's writer redacts its text)", () => {
  const doc = buildHandoff({
    from: "ui",
    to: "  ",
    now: new Date("2026-11-23T05:00:00Z"),
    summary: "done with password=hunter2hunter2",
    accomplishments: ["A"],
    doneTodos: ["A", "B"],
    openTodos: ["C"],
    files: ["b.ts", "a.ts", "b.ts"],
    needs: ["N"],
    acceptance: ["ok"],
  });
  assertEquals(doc.to, null);
  assertEquals(doc.completed, ["A", "B"]);
  assertEquals(doc.files, ["a.ts", "b.ts"]);
  assertEquals(doc.needs, ["N", "C"]);
  assertEquals(handoffOf({ handoff: doc }), doc);
  assertEquals(handoffOf({ handoff: { from: 1 } }), null);
  const md = renderHandoffMarkdown(doc, "session-20260301-101010-abc123");
  assertStringIncludes(md, "## To: whoever picks this up");
  // The snapshot that keeps it, named: a plain resume takes the reader's own work first.
  assertStringIncludes(
    md,
    "Resume with: mpm resume session-20260301-101010-abc123 --from-teammate\n",
  );
  assertStringIncludes(md, "- N\n- C");
});
