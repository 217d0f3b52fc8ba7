import { assertEquals } from "../../../tests/assert.ts";
import { jsonHead } from "./json_head.ts";
import { safeCut } from "./safe_cut.ts";

const LIMITS = { maxString: 20, maxItems: 3, maxDepth: 4 };

Deno.test("jsonHead: a whole text is parsed as JSON.parse parses it", () => {
  const value = { a: "x\ny \u00e9", b: [1, 2.5, true, null], c: { d: "e" } };
  assertEquals(jsonHead(JSON.stringify(value, null, 2)), value);
});

Deno.test("jsonHead: a head keeps what it holds, its open containers closed", () => {
  const text = JSON.stringify({ id: "s1", at: "2025", list: ["a", "b", "c", "d"], more: 12345 });
  // Cut inside the number: the number is left out, what came before is kept.
  assertEquals(jsonHead(text.slice(0, text.length - 3), LIMITS), {
    id: "s1",
    at: "2025",
    list: ["a", "b", "c"],
  });
});

Deno.test("jsonHead: a string the head or the limit cuts drops the token the cut splits", () => {
  const secret = "ghp_" + "A".repeat(36);
  const text = `{"summary": "words before ${secret} after", "next": "n"}`;
  const head = text.slice(0, text.indexOf(secret) + 10);
  assertEquals(jsonHead(head, { ...LIMITS, maxString: 1000 }), { summary: "words before…" });
  // Cut by maxString inside the token: the same.
  assertEquals(jsonHead(text, LIMITS), { summary: "words before…", next: "n" });
});

Deno.test("jsonHead: bad text stops the read, never throws", () => {
  assertEquals(jsonHead(`{"a": 1, "b": ]`), { a: 1 });
  assertEquals(jsonHead(""), undefined);
});

Deno.test("safeCut: cut at whitespace keeps the words; inside a token drops it", () => {
  assertEquals(safeCut("one two three", 3), "one…");
  assertEquals(safeCut("one two three", 5), "one…");
  assertEquals(safeCut("one two", 50), "one two");
  assertEquals(safeCut("onetwothree", 5), "…");
});
