import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import {
  gunzip,
  gunzipLines,
  gunzipPieces,
  gzip,
  ShortMemberError,
  TooLargeError,
} from "./gzip.ts";

const text = Array.from({ length: 200_000 }, (_, i) => `{"line":${i},"x":"retry queue"}\n`).join(
  "",
);

Deno.test("gunzipPieces gives a member's content in pieces far smaller than the whole", async () => {
  const member = await gzip(text);
  const pieces: Uint8Array[] = [];
  for await (const piece of gunzipPieces(member, text.length)) pieces.push(piece);
  assert(pieces.length > 10, `${pieces.length} pieces`);
  assert(Math.max(...pieces.map((p) => p.length)) < text.length / 10);
  const joined = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  assertEquals(new TextDecoder().decode(joined), text);
  assertEquals(new TextDecoder().decode(await gunzip(member, text.length)), text);
});

Deno.test("gunzipPieces stops at the limit, and refuses what is not gzip", async () => {
  const member = await gzip(text);
  const error = await assertRejects(async () => {
    for await (const _ of gunzipPieces(member, 1000)) { /* read on */ }
  }, /more than 1000 bytes/);
  assert(error instanceof TooLargeError);
  await assertRejects(async () => {
    for await (const _ of gunzipPieces(new TextEncoder().encode("not gzip at all"))) { /* */ }
  });
});

Deno.test("gunzipLines: whole lines, pieces of at least the size asked, the size checked", async () => {
  const member = await gzip(text);
  const pieces: string[] = [];
  for await (const piece of gunzipLines(member, text.length, 100_000)) pieces.push(piece);
  assertEquals(pieces.join(""), text);
  assert(pieces.length > 10 && pieces.length < text.length / 100_000 + 2, `${pieces.length}`);
  for (const piece of pieces) assert(piece.endsWith("\n"));
  for (const piece of pieces.slice(0, -1)) assert(piece.length >= 100_000, `${piece.length}`);
  // A line longer than the piece asked for goes whole; text without a last line break ends it.
  const long = "a".repeat(300_000) + "\nb\nc";
  const parts: string[] = [];
  for await (const piece of gunzipLines(await gzip(long), long.length, 1000)) parts.push(piece);
  assert(parts[0].startsWith("a".repeat(300_000) + "\n"));
  assertEquals(parts.at(-1), "c");
  assertEquals(parts.join(""), long);
  const error = await assertRejects(async () => {
    for await (const _ of gunzipLines(member, text.length + 1)) { /* read on */ }
  });
  assert(error instanceof ShortMemberError);
});

Deno.test("gzip of a view compresses the view only, as the same bytes as a copy of it", async () => {
  const whole = new TextEncoder().encode("before|" + text + "|after");
  const view = whole.subarray(7, 7 + text.length);
  const member = await gzip(view);
  assertEquals(new TextDecoder().decode(await gunzip(member)), text);
  assertEquals(member, await gzip(view.slice()));
});
