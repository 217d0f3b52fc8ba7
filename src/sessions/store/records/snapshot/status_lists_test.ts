import { assert, assertEquals } from "../../../../../tests/assert.ts";
import { cutStatusLists, cutStatusListsOfBytes, listMark, statusListMark } from "./status_lists.ts";

function record(staged: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      schema_version: 1,
      conversation: { summary: 'the "words" [kept]', staged: ["not", "git's"] },
      git_context: {
        branch: "main",
        status: { modified: [], staged, untracked: ["a.txt"], renamed: [{ from: "x", to: "y" }] },
      },
      mpm: { seal: "0".repeat(64), ...extra },
    },
    null,
    2,
  );
}

Deno.test("a long status list is cut to its first paths, its count and mark kept", () => {
  const staged = Array.from({ length: 1000 }, (_, i) => `vendor/p${i}/f "q\\${i}].js`);
  const cut = cutStatusLists(record(staged), 3, true);
  assert(cut !== null);
  const raw = JSON.parse(cut.text);
  assertEquals(raw.git_context.status.staged, staged.slice(0, 3));
  assertEquals(cut.cut.staged, { count: 1000, mark: listMark(staged) });
  // Short lists, lists of objects and lists outside git_context.status are left whole.
  assertEquals(raw.git_context.status.untracked, ["a.txt"]);
  assertEquals(raw.git_context.status.renamed, [{ from: "x", to: "y" }]);
  assertEquals(raw.conversation, { summary: 'the "words" [kept]', staged: ["not", "git's"] });
  assertEquals(raw.mpm.seal, "0".repeat(64));
  assertEquals(Object.keys(cut.cut), ["staged"]);
});

Deno.test("a cut list's mark is the whole list's, and tells a changed path", () => {
  const staged = Array.from({ length: 50 }, (_, i) => `src/f${i}.ts`);
  const cut = cutStatusLists(record(staged), 0, true)!;
  const read = JSON.parse(cut.text).git_context.status;
  assertEquals(read.staged, []);
  const whole = { staged };
  assertEquals(statusListMark(read, cut.cut, "staged"), statusListMark(whole, undefined, "staged"));
  const changed = { staged: [...staged.slice(0, 49), "src/other.ts"] };
  assert(statusListMark(read, cut.cut, "staged") !== statusListMark(changed, undefined, "staged"));
  assertEquals(statusListMark(read, cut.cut, "conflicted"), "none");
  // Cut without a mark: never the same as the list in memory.
  const unmarked = cutStatusLists(record(staged), 0)!;
  assertEquals(unmarked.cut.staged, { count: 50 });
  assert(
    statusListMark(read, unmarked.cut, "staged") !== statusListMark(whole, undefined, "staged"),
  );
});

Deno.test("nothing to cut, or no JSON object: null, and the text is parsed as it is", () => {
  assertEquals(cutStatusLists(record(["a", "b"]), 5), null);
  assertEquals(cutStatusLists("[1, 2]", 0), null);
  assertEquals(cutStatusLists('{"git_context": {"status": {"staged": ["a"', 0), null);
});

Deno.test("a record's bytes are cut as its text is, its other characters whole", () => {
  // Paths past ASCII, escapes, a byte-order mark inside a string: the pieces kept decode as the
  // whole text did.
  const staged = ["caf\u00e9/\u00fc.txt", 'q"uote\\d', "\ufeffbom", "\u{1f600}.js", "z"];
  const text = record([...staged, ...staged], { note: "\u00e9t\u00e9 \u{1f600}" });
  const bytes = new TextEncoder().encode(text);
  for (const mark of [false, true]) {
    const fromBytes = cutStatusListsOfBytes(bytes, 3, mark);
    assertEquals(fromBytes, cutStatusLists(text, 3, mark));
    assertEquals(JSON.parse(fromBytes!.text).mpm.note, "\u00e9t\u00e9 \u{1f600}");
    assertEquals(JSON.parse(fromBytes!.text).git_context.status.staged, staged.slice(0, 3));
  }
  // Nothing to cut, not an object, or a byte-order mark first (decoding the whole drops it).
  assertEquals(cutStatusListsOfBytes(bytes, 100), null);
  assertEquals(cutStatusListsOfBytes(new TextEncoder().encode("[1, 2]"), 0), null);
  assertEquals(
    cutStatusListsOfBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]), 3),
    null,
  );
});
