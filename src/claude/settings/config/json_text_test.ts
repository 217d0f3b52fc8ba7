import { assert, assertEquals, assertMatch } from "../../../../tests/assert.ts";
import { lineColumn, parseJsonText, stringsIn, withoutComments } from "./json_text.ts";

Deno.test("parseJsonText keeps the span of every member and item", () => {
  const text = '{ "a": [1, "x\\n", {"b": null}], "c": true }';
  const parsed = parseJsonText(text);
  assert(parsed.ok && parsed.root.kind === "object");
  const [a, c] = parsed.root.members;
  assertEquals([a.key, text.slice(a.start, a.end)], ["a", '"a": [1, "x\\n", {"b": null}]']);
  assertEquals([c.key, text.slice(c.start, c.end)], ["c", '"c": true']);
  assert(a.value.kind === "array");
  assertEquals(a.value.items.map((item) => text.slice(item.start, item.end)), [
    "1",
    '"x\\n"',
    '{"b": null}',
  ]);
  assertEquals(a.value.items[1].kind === "scalar" && a.value.items[1].value, "x\n");
});

Deno.test("parseJsonText accepts and rejects exactly what JSON.parse does", () => {
  const inputs = [
    "{}",
    "[]",
    '"\\u00e9\\/"',
    "-0.5e+10",
    ' \n\t{"a" : [ ] }\r\n',
    '{"a":1,"a":2}',
    "",
    "   ",
    "{,}",
    "[1,]",
    '{"a":1,}',
    "{'a':1}",
    '{"a" 1}',
    '{"a":1 "b":2}',
    "[1 2]",
    "01",
    "1.",
    ".5",
    "+1",
    "NaN",
    "tru",
    '"tab\there"',
    '"\\x41"',
    '"\\u12"',
    '"open',
    "{} {}",
    "// comment\n{}",
    '{"a":1}/* c */',
    "[1]x",
  ];
  for (const input of inputs) {
    let expected = true;
    try {
      JSON.parse(input);
    } catch {
      expected = false;
    }
    assertEquals(parseJsonText(input).ok, expected, JSON.stringify(input));
  }
});

Deno.test("errors carry a line and a column", () => {
  const cases: [string, number, number, RegExp][] = [
    ['{\n  "a": 1,\n}', 2, 9, /trailing comma before '}'/],
    ["[\n  1,\n  2,\n]", 3, 4, /trailing comma before '\]'/],
    ['{\n  "a" 1\n}', 2, 7, /expected ':'/],
    ['{\n  "a": "b\n"}', 2, 10, /control character/],
    ['{"a": tru}', 1, 7, /unexpected 't'/],
    ['{"a": 1', 1, 8, /found the end of the file/],
    ["", 1, 1, /unexpected end of file/],
    ['{"a": "open', 1, 7, /unterminated string/],
  ];
  for (const [text, line, column, message] of cases) {
    const parsed = parseJsonText(text);
    assert(!parsed.ok, text);
    assertEquals([parsed.error.line, parsed.error.column], [line, column], text);
    assertMatch(parsed.error.message, message);
  }
});

Deno.test("deep nesting is an error, not a crash", () => {
  const parsed = parseJsonText("[".repeat(100_000) + "]".repeat(100_000));
  assert(!parsed.ok);
  assertMatch(parsed.error.message, /nested too deeply/);
});

Deno.test("a byte-order mark at the start is allowed", () => {
  assert(parseJsonText('\ufeff{"a": 1}').ok);
  assert(!parseJsonText('{"a": \ufeff1}').ok);
});

Deno.test("lineColumn counts from 1 and treats CRLF as one line break", () => {
  assertEquals(lineColumn("ab\r\ncd", 4), { line: 2, column: 1 });
  assertEquals(lineColumn("abc", 0), { line: 1, column: 1 });
  assertEquals(lineColumn("a\nb\nc", 5), { line: 3, column: 2 });
});

Deno.test("stringsIn reads the strings of a text that is not JSON, skipping comments", () => {
  const text =
    '{\n  // "commented": "out"\n  "a": "x\\"y", /* "b" */ "url": "https://e.org//p",\n}';
  assert(!parseJsonText(text).ok);
  assertEquals(stringsIn(text), ["a", 'x"y', "url", "https://e.org//p"]);
  assertEquals(stringsIn('{"cut": "off'), ["cut"]);
  assertEquals(stringsIn('["bad \\q escape", "ok"]'), ["ok"]);
});

Deno.test("withoutComments blanks comments outside strings and keeps every offset", () => {
  const text = '{\n  // a "note"\n  "a": "x // not a comment", /* b */ "b": "/* nor this */"\r\n}';
  const plain = withoutComments(text);
  assertEquals(plain.length, text.length);
  assertEquals(JSON.parse(plain), { a: "x // not a comment", b: "/* nor this */" });
  assertEquals(plain.indexOf('"a"'), text.indexOf('"a"'));
  // Line breaks stay where they were (a line comment ends at its \n, CRLF kept).
  assertEquals([...plain].filter((c) => c === "\n" || c === "\r").join(""), "\n\n\r\n");
  assertEquals(withoutComments('{"a": 1} /* open'), '{"a": 1}        ');
  assertEquals(withoutComments('{"a": "\\"//"}'), '{"a": "\\"//"}');
  assertEquals(withoutComments('{"a": 1}'), '{"a": 1}');
});
