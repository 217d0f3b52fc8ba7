import { assertEquals } from "../../../tests/assert.ts";
import { printable, printableDeep, shellQuote } from "./text.ts";

Deno.test("printable removes escape sequences whole and keeps tabs, newlines and unicode", () => {
  assertEquals(printable("plain — text ✓\n\tindented"), "plain — text ✓\n\tindented");
  assertEquals(printable("a\x1b]0;pwned\x07b"), "ab"); // window title (OSC, BEL)
  assertEquals(printable("a\x1b]2;pwned\x1b\\b"), "ab"); // window title (OSC, ST)
  assertEquals(printable("x\x1b[2J\x1b[Hy"), "xy"); // clear screen, cursor home
  assertEquals(printable("\x1b[8mhidden\x1b[0m"), "hidden"); // conceal
  assertEquals(printable("a\x1bcb"), "ab"); // full reset
  assertEquals(printable("a\x9b2Jb"), "ab"); // 8-bit CSI
  assertEquals(printable("over\rwrite\x00\x07\x7f"), "overwrite");
  assertEquals(printable("abc\u202edcba"), "abcdcba");
  assertEquals(printable("trailing\x1b"), "trailing");
});

Deno.test("printableDeep cleans every string of a record and leaves other values", () => {
  assertEquals(
    printableDeep<unknown>({ a: "x\x1b[31my", b: [1, "\x07z", null], c: { "k\x1b[1m": true } }),
    { a: "xy", b: [1, "z", null], c: { k: true } },
  );
});

Deno.test("shellQuote leaves plain paths alone and quotes spaces, quotes and unicode", () => {
  assertEquals(shellQuote("/tmp/a-b/c.json"), "/tmp/a-b/c.json");
  assertEquals(shellQuote("/tmp/my proj/x"), "'/tmp/my proj/x'");
  assertEquals(shellQuote("it's"), `'it'\\''s'`);
  assertEquals(shellQuote("/tmp/ünï"), "'/tmp/ünï'");
});
