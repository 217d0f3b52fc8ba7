import { assertEquals } from "../../../../tests/assert.ts";
import type { WorkMark } from "./marks.ts";
import { canRecordFiles, MAX_WORK_FILES, workFilesField } from "./session_files.ts";

const TREE = "a".repeat(40);

function mark(moment: WorkMark["moment"], tree: string | null = TREE): WorkMark {
  return {
    moment,
    at: "2026-11-20T10:00:00.000Z",
    head: null,
    tree,
    commit: tree,
    left_out: [],
    dirty: 0,
  };
}

Deno.test("a snapshot records the work's files when its mark and an earlier one hold a tree", () => {
  assertEquals(canRecordFiles([]), false);
  // The first pause of a session: where its recorded work begins, nothing to compare yet.
  assertEquals(canRecordFiles([mark("pause")]), false);
  assertEquals(canRecordFiles([mark("start"), mark("pause")]), true);
  assertEquals(canRecordFiles([mark("start", null), mark("pause")]), false);
  assertEquals(canRecordFiles([mark("start"), mark("pause", null)]), false);
  assertEquals(
    canRecordFiles([mark("start"), mark("pause"), mark("resume", null), mark("pause")]),
    true,
  );
});

Deno.test("work_files: the session's paths in order, at most 500, with how many more", () => {
  const entry = { blob: "b".repeat(40), mode: "100644" };
  const files = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => ({ path: `f${String(i).padStart(4, "0")}`, start: null, end: entry }),
    );
  assertEquals(workFilesField({ files: files(2), unknown: ["big.bin"] }), {
    work_files: ["f0000", "f0001"],
  });
  assertEquals(workFilesField({ files: [], unknown: [] }), { work_files: [] });
  const cut = workFilesField({ files: files(MAX_WORK_FILES + 3), unknown: [] });
  assertEquals([cut.work_files.length, cut.work_files.at(-1), cut.work_files_more], [
    500,
    "f0499",
    3,
  ]);
});
