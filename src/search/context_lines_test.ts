import { assertEquals } from "../../tests/assert.ts";
import { lineNumbers, shownLines } from "./context_lines.ts";

const KEY = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEpAIBAAKCAQEA7bq3zW1xQ2Lr9c0dHkGf5sYt8uVw3nPj6mXa4Ee2KoR1iTz",
  "Hq9Lm2Vx8sWc3Rt7Yb1Nf6Gd0Ka5Pj4Ue9Zo2Ci8Bw3Ex7Qv1My6Tn0Js5Dl4Fh2",
  "-----END RSA PRIVATE KEY-----",
];

Deno.test("shownLines: a private key block is redacted whole, not a body line left", () => {
  const text = ["# Context", "the deploy key:", ...KEY, "after the key", ""].join("\n");
  const lines = shownLines(text);
  assertEquals(lines, [
    { n: 1, text: "# Context" },
    { n: 2, text: "the deploy key:" },
    { n: 3, text: "[REDACTED:private-key]" },
    { n: 7, text: "after the key" },
    { n: 8, text: "" },
  ]);
});

Deno.test("shownLines: a YAML value on the line after its name is redacted", () => {
  const lines = shownLines("db:\n  password:\n    hunter2-staging\n  host: db.example.com");
  assertEquals(lines.map((l) => l.text), [
    "db:",
    "  password:",
    "    [REDACTED:secret]",
    "  host: db.example.com",
  ]);
  assertEquals(lines.map((l) => l.n), [1, 2, 3, 4]);
});

Deno.test("shownLines: a token is redacted whatever the line's length around it", () => {
  const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";
  const [line] = shownLines(`cutzebra1 ${"w".repeat(200)} ${token} tail`);
  assertEquals(line.text, `cutzebra1 ${"w".repeat(200)} [REDACTED:github-token] tail`);
});

Deno.test("lineNumbers: each key block's lines are told apart, the lines after them numbered as the file's", () => {
  const original = [
    "a",
    ...KEY,
    "between",
    `x ${KEY[0]}`,
    KEY[1],
    KEY[3],
    ...KEY,
    "",
    "end",
  ];
  const redacted = [
    "a",
    "[REDACTED:private-key]",
    "between",
    "x [REDACTED:private-key]",
    "[REDACTED:private-key]",
    "",
    "end",
  ];
  assertEquals(lineNumbers(original, redacted), [1, 2, 6, 7, 10, 14, 15]);
  // As redaction leaves them.
  assertEquals(shownLines(original.join("\n")).map((l) => [l.n, l.text]), [
    [1, "a"],
    [2, "[REDACTED:private-key]"],
    [6, "between"],
    [7, "x [REDACTED:private-key]"],
    [10, "[REDACTED:private-key]"],
    [14, ""],
    [15, "end"],
  ]);
});

Deno.test("lineNumbers: with nothing folded, each line is its own", () => {
  assertEquals(lineNumbers(["a", "b [REDACTED:secret]"], ["a", "b [REDACTED:secret]"]), [1, 2]);
});
