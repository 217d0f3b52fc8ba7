import { assert, assertEquals } from "../../../tests/assert.ts";
// @ts-types="@types/js-yaml"
import { load } from "js-yaml";
import { parse } from "yaml";
import { yamlPieces, yamlText } from "./yaml.ts";

/**
 * What the readers make of `text`: js-yaml (YAML 1.2's core schema with 1.1's booleans), and
 * `yaml` as 1.1 and as 1.2; the last two are compared as one, after checking they agree.
 */
function readBack(text: string): [unknown, unknown] {
  const old = parse(text, { version: "1.1" });
  assertEquals(parse(text), old, `yaml 1.1 and 1.2 read ${text.slice(0, 200)} apart`);
  return [load(text), old];
}

/** Strings a YAML reader could take for something else, or not keep as they are. */
const AWKWARD = [
  "",
  " ",
  "yes",
  "No",
  "off",
  "y",
  "NULL",
  "~",
  "true",
  "1",
  "0x1F",
  "1_000",
  "1:20",
  "1e3",
  ".inf",
  ".NaN",
  "2025-01-01",
  "2025-01-01T00:00:00Z",
  "- item",
  "? key",
  "key: value",
  "a #comment",
  "#top",
  "&anchor",
  "*alias",
  "!tag",
  "|",
  ">",
  "'single'",
  '"double"',
  "%directive",
  "@at",
  "`tick`",
  "{flow}",
  "[flow]",
  "trailing ",
  " leading",
  "two  spaces",
  "line\nbreak",
  "tab\there",
  "crlf\r\n",
  "nel\u0085here",
  "ls\u2028ps\u2029",
  "bom\ufeff",
  "del\x7f",
  "c1\x9b[31m",
  "nul\0",
  "bell\x07",
  "esc\x1b[2J",
  "lone \ud800 high",
  "lone \udc00 low",
  "pair 😀",
  "中文 ünïcödé",
  "Façade 重构",
  "Ünïcødé paths",
  "nbsp\u00a0here",
  "ideographic\u3000space",
  "combining e\u0301",
  "² superscript",
  "back\\slash",
  "src/a b.ts",
  "<<",
  "=",
  "e5",
  "Infinity",
  "a".repeat(5000),
];

Deno.test("every awkward string reads back as itself, as a value and as a key", () => {
  for (const text of AWKWARD) {
    const value = { conversation: { summary: text, next_steps: [text, text] } };
    const keyed = { git_context: { blobs: { [text]: text } } };
    for (const record of [value, keyed]) {
      const [a, b] = readBack(yamlText(record));
      assertEquals(a, record, `js-yaml read ${JSON.stringify(text)} otherwise`);
      assertEquals(b, record, `yaml 1.1 read ${JSON.stringify(text)} otherwise`);
    }
  }
});

Deno.test("a snapshot's shapes read back whole: nesting, empties, numbers, nulls", () => {
  const record = {
    schema_version: 1,
    session_id: "session-20250101-000000-abc123",
    paused_at: "2025-01-01T00:00:00.000Z",
    conversation: { summary: "Payment integration", accomplishments: [], next_steps: ["Tests"] },
    git_context: {
      branch: "main",
      upstream: null,
      is_clean: false,
      ahead_behind: { ahead: 2, behind: 0 },
      status: { modified: ["a.ts"], staged: [] },
      blobs: {},
    },
    todos: {
      active: [{ text: "T1", priority: "high" }, { text: "T2" }],
      completed: [],
    },
    mpm: {
      context_usage: 0.42,
      depth: 0,
      nested: [[1, 2], [], [{ a: [] }], [[["deep"]]]],
      notes: [{}, { x: {} }],
    },
  };
  for (const read of readBack(yamlText(record))) assertEquals(read, record);
});

Deno.test("plain words stay bare and the layout is block style", () => {
  const text = yamlText({
    session_id: "session-1",
    name: "Façade 重构",
    conversation: { summary: "Payment integration", next_steps: ["Write tests"] },
    todos: { active: [{ text: "T1", done: false }], completed: [] },
    paused_at: "2025-01-01T00:00:00Z",
  });
  assertEquals(
    text,
    [
      "session_id: session-1",
      "name: Façade 重构",
      "conversation:",
      "  summary: Payment integration",
      "  next_steps:",
      "    - Write tests",
      "todos:",
      "  active:",
      "    - text: T1",
      "      done: false",
      "  completed: []",
      'paused_at: "2025-01-01T00:00:00Z"',
      "",
    ].join("\n"),
  );
});

Deno.test("fields JSON leaves out are left out; array holes are null, as in JSON", () => {
  const record = { a: undefined, b: [undefined, 1], c: { d: undefined } };
  const expected = JSON.parse(JSON.stringify(record));
  for (const read of readBack(yamlText(record))) assertEquals(read, expected);
});

Deno.test("a key longer than an implicit key may be is written as an explicit one", () => {
  const long = "dir/".repeat(400) + "file.ts";
  const record = { git_context: { blobs: { [long]: "abc", short: "def" } } };
  for (const read of readBack(yamlText(record))) assertEquals(read, record);
});

Deno.test("short strings of YAML's special characters read back as themselves (seeded)", () => {
  const alphabet = "aeEnNoOyYtf019._-+/@:#&*!|>'\"%`{}[],? \t\n\\~=<";
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 3000; i++) {
    let text = "";
    for (let n = 1 + Math.floor(next() * 6); n > 0; n--) {
      text += alphabet[Math.floor(next() * alphabet.length)];
    }
    const record = { summary: text, blobs: { [text]: 1 } };
    const [a, b] = readBack(yamlText(record));
    assertEquals(a, record, `js-yaml read ${JSON.stringify(text)} otherwise`);
    assertEquals(b, record, `yaml 1.1 read ${JSON.stringify(text)} otherwise`);
  }
});

Deno.test("yamlPieces joined is yamlText, a long list of scalars a run at a time", () => {
  const staged = Array.from({ length: 10_001 }, (_, i) => `vendor/pkg${i % 7}/f ${i}.js`);
  const values = [
    null,
    "text",
    [],
    {},
    [[1, [2]], { a: 1 }, [], {}],
    { a: undefined, b: {}, c: [], d: { e: [{ f: 1 }, "g"] } },
    { status: { staged, untracked: ["x"] }, blobs: { "a.js": "1", ["k".repeat(1200)]: "2" } },
    staged,
  ];
  for (const value of values) {
    const pieces = [...yamlPieces(value)];
    assertEquals(pieces.join(""), yamlText(value));
  }
  const longest = Math.max(...[...yamlPieces({ staged })].map((piece) => piece.length));
  assert(longest < yamlText(staged).length / 2, `a piece of ${longest} characters`);
  // A record of usual size is one piece: what a pull renders a hundred times.
  assertEquals([...yamlPieces(values[6] as object)].length > 1, true);
  assertEquals([...yamlPieces({ summary: "s", todos: [{ content: "t" }], git: { head: "h" } })], [
    "summary: s\ntodos:\n  - content: t\ngit:\n  head: h\n",
  ]);
});
