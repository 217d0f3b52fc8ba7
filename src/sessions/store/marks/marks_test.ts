import { assertEquals } from "../../../../tests/assert.ts";
import { keptAlready, keptLooked, MARKS_VERSION, type WorkMark, type WorkMarks } from "./marks.ts";

const H1 = "1".repeat(40);
const H2 = "2".repeat(40);
const T1 = "a".repeat(40);
const T2 = "b".repeat(40);

function mark(head: string, tree: string | null, commit: string | null): WorkMark {
  return {
    moment: "pause",
    at: "2026-11-23T10:00:00.000Z",
    head,
    tree,
    commit,
    left_out: [],
    dirty: 0,
  };
}

function record(...marks: WorkMark[]): WorkMarks {
  const key = "session-20261123-100000";
  return { schema_version: MARKS_VERSION, key, ref: `refs/mpm/marks/${key}`, marks };
}

Deno.test("keptAlready reuses the newest kept mark's commit only for the same HEAD and tree", () => {
  const kept = record(mark(H1, T1, "c".repeat(40)));
  assertEquals(keptAlready(kept, H1, T1), "c".repeat(40));
  assertEquals(keptAlready(kept, H2, T1), null);
  assertEquals(keptAlready(kept, H1, T2), null);
  assertEquals(keptAlready(null, H1, T1), null);
});

Deno.test("keptAlready looks past marks without a commit, but not past a newer kept one", () => {
  const older = record(mark(H1, T1, "c".repeat(40)), mark(H1, null, null));
  assertEquals(keptAlready(older, H1, T1), "c".repeat(40));
  const moved = record(mark(H1, T1, "c".repeat(40)), mark(H2, T2, "d".repeat(40)));
  assertEquals(keptAlready(moved, H1, T1), null);
});

Deno.test("keptLooked reuses the newest kept mark only when it was looked at alike", () => {
  const kept = record({ ...mark(H1, T1, "c".repeat(40)), looked: "f1" });
  assertEquals(keptLooked(kept, "f1"), { tree: T1, commit: "c".repeat(40) });
  assertEquals(keptLooked(kept, "f2"), null);
  // A mark kept before fingerprints, or a newer kept one looked at otherwise, is not reused.
  assertEquals(keptLooked(record(mark(H1, T1, "c".repeat(40))), "f1"), null);
  const moved = record(
    { ...mark(H1, T1, "c".repeat(40)), looked: "f1" },
    { ...mark(H1, T2, "d".repeat(40)), looked: "f2" },
  );
  assertEquals(keptLooked(moved, "f1"), null);
  // Past a mark without a commit (too many dirty paths) to the newest kept one.
  const uncaptured = record(
    { ...mark(H1, T1, "c".repeat(40)), looked: "f1" },
    mark(H1, null, null),
  );
  assertEquals(keptLooked(uncaptured, "f1"), { tree: T1, commit: "c".repeat(40) });
});
