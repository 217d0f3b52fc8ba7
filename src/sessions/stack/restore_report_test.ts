import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import type { PathRecord } from "../../git/objects/tree_record.ts";
import { compareTrees, indexFixes, renderRestore, wasOf } from "./restore_report.ts";

const rec = (path: string, head: string | null, index: string | null, work: string | null) =>
  ({ path, head, index, mode: index ? "100644" : null, work }) as PathRecord;

Deno.test("wasOf tells staged, unstaged, both and untracked apart", () => {
  assertEquals(wasOf(rec("a", "h", "i", "i")), "staged");
  assertEquals(wasOf(rec("a", "h", "h", "w")), "unstaged");
  assertEquals(wasOf(rec("a", "h", "i", "w")), "staged+unstaged");
  assertEquals(wasOf({ ...rec("a", null, null, "w"), untracked: true }), "untracked");
});

Deno.test("compareTrees: exact when index and work match, whatever HEAD became", () => {
  const before = [rec("a", "h1", "i", "i")];
  const report = compareTrees(before, [rec("a", "h2", "i", "i")], {
    stashKept: null,
    shared: false,
  });
  assertEquals(report.exact, true);
  assertEquals(report.files, []);
});

Deno.test("compareTrees names a staged change that came back unstaged after the child's commit", () => {
  const before = [rec("app.txt", "h1", "i", "i"), rec("b.txt", "hb", "hb", "wb")];
  const now = [rec("app.txt", "h2", "h2", "merged"), rec("b.txt", "hb", "hb", "wb")];
  const report = compareTrees(before, now, { stashKept: "mpm: s-1", shared: false });
  assertEquals(report.exact, false);
  assertEquals(report.files.length, 1);
  assertEquals(report.files[0].now, "unstaged");
  assertEquals(report.files[0].child_committed, true);
  assertEquals(
    report.files[0].message,
    "app.txt: your staged change is in the work tree, unstaged — a commit since `mpm branch` " +
      "changed this file; stash kept as `mpm: s-1`",
  );
});

Deno.test("compareTrees: conflicts, missing files, and what the child left", () => {
  const before = [rec("a", "h", "i", "i"), rec("gone", "h", "h", "w")];
  const now = [
    { ...rec("a", "h2", null, "markers"), conflicted: true },
    rec("gone", "h", "h", null),
    { ...rec("left.txt", null, null, "x"), untracked: true },
    rec("README.md", "r", "r", "r2"),
  ];
  const report = compareTrees(before, now, { stashKept: null, shared: false });
  assertEquals(report.files.map((f) => f.now), ["conflict", "missing"]);
  assertEquals(report.untracked_left, ["left.txt"]);
  assertEquals(report.changed_left, ["README.md"]);
  const lines = renderRestore(report, "hotfix").join("\n");
  assertStringIncludes(lines, "Left by hotfix, untracked, still in the work tree: left.txt");
  assertStringIncludes(lines, "Changed by hotfix and not committed: README.md");
});

Deno.test("indexFixes re-stages only files the child left alone and that are back on disk", () => {
  const before = [
    rec("untouched", "h", "i", "w"), // staged i, then changed to w
    rec("committed", "h", "i", "i"),
    rec("unstaged", "h", "h", "w"),
    { ...rec("new", null, null, "n"), untracked: true },
  ];
  const now = [
    rec("untouched", "h", "h", "w"),
    rec("committed", "h2", "h2", "m"),
    rec("unstaged", "h", "w", "w"), // staged by git's conflict handling
    { ...rec("new", null, null, "n"), untracked: true },
  ];
  assertEquals(indexFixes(before, now), [
    { path: "untouched", oid: "i", mode: "100644" },
    { path: "unstaged", oid: "h", mode: "100644" },
  ]);
});

Deno.test("compareTrees: an untracked file a commit since now tracks is not called merged", () => {
  const before = [{ ...rec("notes.txt", null, null, "parent"), untracked: true }];
  const now = [rec("notes.txt", "child", "child", "child")];
  const report = compareTrees(before, now, { stashKept: "mpm: s-1", shared: false });
  assertEquals(report.files[0].now, "different");
  assertEquals(
    report.files[0].message,
    "notes.txt: your untracked file is not as you left it — a commit since `mpm branch` " +
      "changed this file; stash kept as `mpm: s-1`",
  );
});
