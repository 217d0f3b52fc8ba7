import { assert, assertEquals } from "../../../tests/assert.ts";
import { gathered, jsonPieces } from "./json_pieces.ts";

const same = (value: unknown) =>
  assertEquals([...jsonPieces(value)].join(""), JSON.stringify(value, null, 2));

Deno.test("jsonPieces joined is JSON.stringify's text, for every kind of value", () => {
  for (
    const value of [
      null,
      1.5,
      'quote " and \n break',
      [],
      {},
      { a: undefined, b: () => 1 },
      { nested: { list: [1, { deep: ["x", []] }], empty: {}, none: null } },
      { date: new Date(0), bare: Object.assign(Object.create(null), { k: "v" }) },
      { "\u2028key": "\ud800 lone", n: NaN },
    ]
  ) same(value);
});

Deno.test("a long list is rendered a run at a time, the same text as one call", () => {
  const staged = Array.from({ length: 10_001 }, (_, i) => `vendor/pkg${i % 7}/f${i}.js`);
  const record = {
    status: { staged, odd: [...staged.slice(0, 5000), undefined, { a: [1, 2] }, () => 0] },
    mpm: { seal: "0".repeat(64) },
  };
  same(record);
  same(staged);
  const pieces = [...jsonPieces(record)];
  const longest = Math.max(...pieces.map((piece) => piece.length));
  assert(longest < pieces.join("").length / 3, `a piece of ${longest} characters`);
});

Deno.test("gathered joins small pieces into larger ones and keeps every character", () => {
  const pieces = Array.from({ length: 100 }, (_, i) => `${i},`);
  const out = [...gathered(pieces, 50)];
  assertEquals(out.join(""), pieces.join(""));
  assert(out.length < 10 && out.slice(0, -1).every((piece) => piece.length >= 50));
});
