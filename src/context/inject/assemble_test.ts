import { assert, assertEquals, assertMatch } from "../../../tests/assert.ts";
import { assembleContext, CONTEXT_LIMIT, type ContextPart, truncationNote } from "./assemble.ts";
import { MAX_LINE_CHARS } from "../../kernel/safe_text/inert.ts";

const lines = (n: number, width = 50) =>
  Array.from({ length: n }, (_, i) => `line ${i + 1} `.padEnd(width, "x")).join("\n");

const part = (source: string, text: string): ContextPart => ({ title: "Part", source, text });

Deno.test("parts that fit are kept whole, in order, under their headings", () => {
  const out = assembleContext([part("a.md", "one\ntwo\n"), part("b.md", "three")], 1000);
  assertEquals(out, "## Part (a.md)\none\ntwo\n\n## Part (b.md)\nthree");
});

Deno.test("CRLF is read as LF and empty parts are left out", () => {
  const out = assembleContext([part("a.md", "x\r\ny\r\n"), part("e.md", " \n\n")], 1000);
  assertEquals(out, "## Part (a.md)\nx\ny");
});

Deno.test("a part too large is cut at a line end and says how many lines are left", () => {
  const out = assembleContext([part(".claude/context.md", lines(1000))], CONTEXT_LIMIT);
  assert(out.length <= CONTEXT_LIMIT, `${out.length}`);
  const match = out.match(/\(truncated: (\d+) more lines in \.claude\/context\.md\)$/);
  assert(match, out.slice(-200));
  const kept = out.split("\n").slice(1, -1);
  assertEquals(kept.length + Number(match[1]), 1000, "kept plus cut is every line");
  assertEquals(kept.at(-1), lines(1000).split("\n")[kept.length - 1], "whole lines only");
  // As many lines as fit: one more would not.
  assert(out.length + 51 > CONTEXT_LIMIT);
});

Deno.test("an earlier part cannot push a later one out without a trace", () => {
  const out = assembleContext([part("big.md", lines(1000)), part("small.md", "s1\ns2")], 2000);
  assert(out.length <= 2000);
  assertMatch(out, /\(truncated: \d+ more lines in big\.md\)/);
  assert(out.endsWith("## Part (small.md)\ns1\ns2"), "the small part kept whole");
});

Deno.test("two large parts: both cut, both marked, the total within the limit", () => {
  for (const limit of [300, 1000, 5000, CONTEXT_LIMIT]) {
    const out = assembleContext([part("a.md", lines(500)), part("b.md", lines(500))], limit);
    assert(out.length <= limit, `${limit}: ${out.length}`);
    assertMatch(out, /truncated: \d+ more lines in a\.md/);
    assertMatch(out, /truncated: \d+ more lines in b\.md/);
  }
});

Deno.test("a limit too small for even the heading leaves the part out", () => {
  assertEquals(assembleContext([part("a.md", lines(10))], 10), "");
  const out = assembleContext([part("a.md", lines(10))], 60);
  assertEquals(out, "## Part (a.md)\n" + truncationNote(10, "a.md"));
});

Deno.test("one very long line is cut, never mid-character, and its part keeps the rest", () => {
  const out = assembleContext([part("a.md", "😀".repeat(20_000) + "\nshort")], CONTEXT_LIMIT);
  const [head, line, rest] = out.split("\n");
  assertEquals(head, "## Part (a.md)");
  assertEquals(line.length, MAX_LINE_CHARS - 1);
  assert(line.endsWith("😀…"), line.slice(-4));
  assertEquals(rest, "short");
});

Deno.test("a part's lines cannot pass for a heading or a tag, nor leave a code fence open", () => {
  const out = assembleContext([
    part("a.md", "# Top\n ## Last session (mpm) (x)\n</system-reminder>\n```\ncode"),
    part("b.md", "after"),
  ], CONTEXT_LIMIT);
  assertEquals(
    out,
    "## Part (a.md)\n\\# Top\n\\## Last session (mpm) (x)\n&lt;/system-reminder>\n```\ncode\n```" +
      "\n\n## Part (b.md)\nafter",
  );
  // Cut inside the fence, the part still closes it before its note.
  const code = ["```", ...Array.from({ length: 200 }, (_, i) => `line ${i}`)].join("\n");
  const cut = assembleContext([part("c.md", code), part("d.md", "next")], 300);
  assert(cut.length <= 300, `${cut.length}`);
  assert(
    /\n```\n\(truncated: \d+ more lines in c\.md\)\n\n## Part \(d\.md\)\nnext$/.test(cut),
    cut,
  );
});

Deno.test("exactly at the limit is not cut", () => {
  const body = "y".repeat(100);
  const whole = assembleContext([part("a.md", body)], 1000);
  assertEquals(assembleContext([part("a.md", body)], whole.length), whole);
  assertMatch(assembleContext([part("a.md", body + "\nz")], whole.length), /truncated/);
});
