import { assertEquals } from "../../../tests/assert.ts";
import { printable, printableDeep, quoted, shellQuote, typedWord } from "./text.ts";

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

Deno.test("printable removes the format characters that print as nothing, and keeps emoji whole", () => {
  // Zero-width space, non-joiner, marks, word joiner, invisible operators, BOM, soft hyphen.
  const hidden = "a\u200bb\u200cc\u200ed\u200fe\u061cf\u2060g\u2062h\ufeffi\u00adj";
  assertEquals(printable(hidden), "abcdefghij");
  // Tag characters spell text no one sees (ASCII smuggling).
  assertEquals(printable("ok\u{e0049}\u{e0047}\u{e004e}"), "ok");
  // A zero-width joiner that makes one emoji of two stays; one between letters goes.
  assertEquals(printable("👩‍💻 and 👨‍👩‍👧"), "👩‍💻 and 👨‍👩‍👧");
  assertEquals(printable("❤️‍🔥 👩🏽‍💻"), "❤️‍🔥 👩🏽‍💻");
  assertEquals(printable("ma\u200din"), "main");
});

Deno.test("quoted: outside text in a sentence, bounded, on one line, its unseen characters shown", () => {
  assertEquals(quoted("before deploy"), '"before deploy"');
  assertEquals(quoted('say "hi"'), String.raw`"say \"hi\""`);
  // Line breaks, escapes, direction overrides and zero-width characters are written out.
  assertEquals(
    quoted("a\nb\x1b[2J\u202ec\u200bd\u2028e\x9bf"),
    String.raw`"a\nb\u001b[2J\u202ec\u200bd\u2028e\u009bf"`,
  );
  assertEquals(quoted("x\u{e0041}"), String.raw`"x\u{e0041}"`);
  // At most `max` characters, a cut one ending in "…"; an emoji is never split.
  assertEquals(quoted("n".repeat(100_000)), `"${"n".repeat(59)}…"`);
  assertEquals(quoted("n".repeat(60)), `"${"n".repeat(60)}"`);
  assertEquals(quoted("😀".repeat(61), 4), '"😀😀😀…"');
  assertEquals(quoted("😀".repeat(4), 4), '"😀😀😀😀"');
});

Deno.test("typedWord: a short plain word as typed, anything else quoted", () => {
  assertEquals(typedWord("--frobnicate"), "--frobnicate");
  assertEquals(typedWord("--a b"), '"--a b"');
  assertEquals(typedWord(`--${"x".repeat(100)}`), `"--${"x".repeat(57)}…"`);
  assertEquals(typedWord("-\u202e"), String.raw`"-\u202e"`);
});
