import { assert, assertEquals } from "../../../tests/assert.ts";
import {
  emptyStatus,
  type FileStatus,
  type GitStatus,
  isMpmPath,
  parseCatFileBatch,
  porcelainReader,
} from "./porcelain.ts";

/** `git status --porcelain=v2 --branch -z`'s whole output, read in one piece. */
function parsePorcelainV2(output: string): GitStatus {
  const reader = porcelainReader();
  reader.push(new TextEncoder().encode(output));
  return reader.end();
}

/** Whether nothing is staged, changed, untracked or conflicted. */
function isClean(s: FileStatus): boolean {
  return [s.staged, s.modified, s.untracked, s.deleted, s.renamed, s.conflicted]
    .every((list) => list.length === 0);
}

const SHA = "1234567890abcdef1234567890abcdef12345678";
const Z = "0000000000000000000000000000000000000000";

/** Records as `git status --porcelain=v2 --branch -z` prints them: each NUL-terminated. */
function z(...records: string[]): string {
  return records.map((record) => `${record}\0`).join("");
}

/** An ordinary change entry ("1") with code XY. */
function one(xy: string, path: string): string {
  return `1 ${xy} N... 100644 100644 100644 ${SHA} ${SHA} ${path}`;
}

Deno.test("parsePorcelainV2 reads branch, HEAD, upstream and ahead/behind headers", () => {
  const status = parsePorcelainV2(z(
    `# branch.oid ${SHA}`,
    "# branch.head feature/x",
    "# branch.upstream origin/feature/x",
    "# branch.ab +2 -1",
  ));
  assertEquals(status.head, SHA);
  assertEquals(status.branch, "feature/x");
  assertEquals(status.detached, false);
  assertEquals(status.upstream, "origin/feature/x");
  assertEquals(status.ahead_behind, { ahead: 2, behind: 1 });
  assert(isClean(status));
});

Deno.test("parsePorcelainV2 reads a repository with no commit yet", () => {
  const status = parsePorcelainV2(z("# branch.oid (initial)", "# branch.head main", "? a.txt"));
  assertEquals(status.head, null);
  assertEquals(status.branch, "main");
  assertEquals(status.untracked, ["a.txt"]);
  assertEquals(status.ahead_behind, null);
});

Deno.test("parsePorcelainV2 reads a detached HEAD", () => {
  const status = parsePorcelainV2(z(`# branch.oid ${SHA}`, "# branch.head (detached)"));
  assertEquals(status.branch, null);
  assertEquals(status.detached, true);
  assertEquals(status.head, SHA);
});

Deno.test("parsePorcelainV2 keeps an upstream that is gone without ahead/behind", () => {
  const status = parsePorcelainV2(
    z(`# branch.oid ${SHA}`, "# branch.head main", "# branch.upstream origin/gone"),
  );
  assertEquals(status.upstream, "origin/gone");
  assertEquals(status.ahead_behind, null);
});

Deno.test("parsePorcelainV2 keeps staged, modified, deleted and untracked apart", () => {
  const status = parsePorcelainV2(z(
    "# branch.oid " + SHA,
    "# branch.head main",
    one("M.", "staged.txt"),
    one(".M", "modified.txt"),
    one("MM", "both.txt"),
    one("A.", "added.txt"),
    one("AM", "added-then-changed.txt"),
    one(".D", "gone.txt"),
    `1 D. N... 100644 000000 000000 ${SHA} ${Z} removed.txt`,
    one(".T", "type-changed"),
    "? new.txt",
    "? newdir/",
    "! ignored.log",
  ));
  assertEquals(status.staged, [
    "staged.txt",
    "both.txt",
    "added.txt",
    "added-then-changed.txt",
    "removed.txt",
  ]);
  assertEquals(status.modified, [
    "modified.txt",
    "both.txt",
    "added-then-changed.txt",
    "type-changed",
  ]);
  assertEquals(status.deleted, ["gone.txt", "removed.txt"]);
  assertEquals(status.untracked, ["new.txt", "newdir/"]);
  assertEquals(status.renamed, []);
  assertEquals(status.conflicted, []);
  assert(!isClean(status));
});

Deno.test("parsePorcelainV2 reads a rename with its original path in the next record", () => {
  const status = parsePorcelainV2(z(
    `2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 new name.txt`,
    "old name.txt",
    `2 RM N... 100644 100644 100644 ${SHA} ${SHA} R87 b/moved`,
    "a/moved",
    `2 C. N... 100644 100644 100644 ${SHA} ${SHA} C75 copy`,
    "original",
    "? after.txt",
  ));
  assertEquals(status.staged, ["new name.txt", "b/moved", "copy"]);
  assertEquals(status.modified, ["b/moved"]);
  assertEquals(status.renamed, [
    { from: "old name.txt", to: "new name.txt" },
    { from: "a/moved", to: "b/moved" },
  ]);
  assertEquals(status.untracked, ["after.txt"], "the original path is not read as an entry");
});

Deno.test("parsePorcelainV2 lists unmerged entries as conflicted only", () => {
  const u = (xy: string, path: string) =>
    `u ${xy} N... 100644 100644 100644 100644 ${SHA} ${SHA} ${SHA} ${path}`;
  const status = parsePorcelainV2(
    z(u("UU", "both modified.txt"), u("DU", "deleted by us"), u("AA", "both added")),
  );
  assertEquals(status.conflicted, ["both modified.txt", "deleted by us", "both added"]);
  assertEquals(status.staged, []);
  assertEquals(status.modified, []);
  assertEquals(status.deleted, []);
});

Deno.test("parsePorcelainV2 keeps paths with spaces, newlines and unicode whole", () => {
  const odd = ["two  spaces .txt", "line\nbreak.txt", "ünïcødé/日本語 ✓.md", " leading"];
  const status = parsePorcelainV2(z(
    ...odd.map((path) => one(".M", path)),
    `2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 to\nnew`,
    "from\nold",
    "? unt racked\nfile ✓",
  ));
  assertEquals(status.modified, odd);
  assertEquals(status.renamed, [{ from: "from\nold", to: "to\nnew" }]);
  assertEquals(status.untracked, ["unt racked\nfile ✓"]);
});

Deno.test("parsePorcelainV2 leaves out everything under .claude-mpm/", () => {
  const status = parsePorcelainV2(z(
    "? .claude-mpm/",
    "? .claude-mpm/sessions/session-1.json",
    one(".M", ".claude-mpm/LATEST-SESSION.txt"),
    one("A.", ".claude-mpm"),
    `2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 .claude-mpm/moved`,
    "outside",
    one(".M", ".claude-mpm-notes.txt"),
    one(".M", "sub/.claude-mpm/x"),
    "? .claude-mpmx",
  ));
  assertEquals(status.modified, [".claude-mpm-notes.txt", "sub/.claude-mpm/x"]);
  assertEquals(status.staged, []);
  assertEquals(status.renamed, []);
  assertEquals(status.untracked, [".claude-mpmx"]);
});

Deno.test("parsePorcelainV2 of empty output is an empty status", () => {
  assertEquals(parsePorcelainV2(""), emptyStatus());
});

Deno.test("parsePorcelainV2 skips records it does not know", () => {
  const status = parsePorcelainV2(z("# stash 3", "# branch.future x", "X something", "? a"));
  assertEquals(status.untracked, ["a"]);
});

Deno.test("isMpmPath matches the folder and what is inside, nothing else", () => {
  assert(isMpmPath(".claude-mpm"));
  assert(isMpmPath(".claude-mpm/"));
  assert(isMpmPath(".claude-mpm/state.json"));
  assert(!isMpmPath(".claude-mpm2/state.json"));
  assert(!isMpmPath("a/.claude-mpm/state.json"));
});

Deno.test("parseCatFileBatch reads each object's bytes and leaves out missing ones", () => {
  const out = new TextEncoder().encode(
    "aaa blob 5\nhello\nbbb missing\nccc blob 0\n\nddd blob 3\na\nb\n",
  );
  const objects = parseCatFileBatch(out);
  const text = (oid: string) => new TextDecoder().decode(objects.get(oid));
  assertEquals([...objects.keys()], ["aaa", "ccc", "ddd"]);
  assertEquals([text("aaa"), text("ccc"), text("ddd")], ["hello", "", "a\nb"]);
});

Deno.test("porcelainReader reads the output a pipe's read at a time, cut anywhere", () => {
  const output = z(
    `# branch.oid ${SHA}`,
    "# branch.head main",
    one("A.", "vendor/ünï code.js"),
    `2 R. N... 100644 100644 100644 ${SHA} ${SHA} R100 new name.txt`,
    "old name.txt",
    one(".M", "src/a.ts"),
    "? notes.txt",
    `u UU N... 100644 100644 100644 100644 ${SHA} ${SHA} ${SHA} both.txt`,
  );
  const bytes = new TextEncoder().encode(output);
  const whole = parsePorcelainV2(output);
  assertEquals(whole.staged, ["vendor/ünï code.js", "new name.txt"]);
  assertEquals(whole.renamed, [{ from: "old name.txt", to: "new name.txt" }]);
  // Every cut, even inside a record, a NUL or a character of two bytes, reads the same.
  for (let cut = 0; cut <= bytes.length; cut++) {
    const reader = porcelainReader();
    reader.push(bytes.subarray(0, cut));
    reader.push(bytes.subarray(cut));
    assertEquals(reader.end(), whole, `cut at ${cut}`);
  }
  // One byte at a time.
  const reader = porcelainReader();
  for (let at = 0; at < bytes.length; at++) reader.push(bytes.subarray(at, at + 1));
  assertEquals(reader.end(), whole);
});
