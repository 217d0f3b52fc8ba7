import { assert, assertEquals } from "../../../tests/assert.ts";
import { cQuoted, decodePaths, notUtf8 } from "./git_paths.ts";

const bytes = (...b: number[]) => new Uint8Array(b);

Deno.test("decodePaths keeps UTF-8 as it is and each other byte as its own escape", () => {
  assertEquals(decodePaths(new TextEncoder().encode("ünï\0a\nb\0")), "ünï\0a\nb\0");
  // 0xff 0xe9 (Latin-1 "ÿé"), a lone continuation byte, a cut sequence, an overlong one.
  assertEquals(decodePaths(bytes(0xff, 0xe9, 0)), "\udcff\udce9\0");
  assertEquals(decodePaths(bytes(0x61, 0x80, 0x62)), "a\udc80b");
  assertEquals(decodePaths(bytes(0xe2, 0x82)), "\udce2\udc82");
  assertEquals(decodePaths(bytes(0xc0, 0xaf)), "\udcc0\udcaf");
  // Encoded surrogates are not UTF-8; a four-byte sequence beside a bad byte is.
  assertEquals(decodePaths(bytes(0xed, 0xa0, 0x80)), "\udced\udca0\udc80");
  assertEquals(decodePaths(bytes(0xf0, 0x9f, 0x98, 0x80, 0xff)), "😀\udcff");
});

Deno.test("notUtf8 tells an escaped byte from the second half of a real pair", () => {
  assert(notUtf8("\udcff\udce9"));
  assert(!notUtf8("plain"));
  // U+10080 is written \ud800\udc80: a real character.
  assert(!notUtf8("\u{10080}"));
  assert(!notUtf8("😀"));
});

Deno.test("cQuoted quotes as git does, bytes that are not UTF-8 in octal", () => {
  assertEquals(cQuoted("plain.txt"), "plain.txt");
  assertEquals(cQuoted("ünï"), "ünï");
  assertEquals(cQuoted("a\nb"), '"a\\nb"');
  assertEquals(cQuoted('say "hi"\\'), '"say \\"hi\\"\\\\"');
  assertEquals(cQuoted("bell\x07\x1b[31m"), '"bell\\a\\033[31m"');
  assertEquals(cQuoted("\udcff\udce9"), '"\\377\\351"');
  assertEquals(cQuoted("plain.txt", true), '"plain.txt"');
});
