import { assert, assertEquals, assertRejects } from "../../tests/assert.ts";
import { gunzip, gunzipPieces, gzip, TooLargeError } from "./gzip.ts";

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
