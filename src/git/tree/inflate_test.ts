import { assert, assertEquals, assertThrows } from "../../../tests/assert.ts";
import { adler32, InflateError, unzlib } from "./inflate.ts";

/** zlib's own deflate, by the runtime: what unzlib must undo. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Deterministic bytes: `n` of them from a small generator, over `alphabet` symbols. */
function noise(n: number, alphabet: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) % alphabet;
  }
  return out;
}

Deno.test("unzlib undoes zlib's deflate: text, repeats, noise and nothing", async () => {
  const text = new TextEncoder().encode(
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b.c> 1 +0000\n\nFix refunds ✓\n",
  );
  const cases = [
    text,
    new Uint8Array(0),
    new TextEncoder().encode("ab".repeat(40_000)), // long matches, distant copies
    noise(70_000, 256), // incompressible: stored blocks
    noise(50_000, 12), // dynamic codes over a few symbols
    noise(3, 256),
  ];
  for (const bytes of cases) assertEquals(unzlib(await deflate(bytes)), bytes);
});

Deno.test("unzlib reads a fixed-code stream, and stops at its checksum whatever follows", () => {
  // zlib.compress(b"hello hello hello", level 1): one block of fixed codes.
  const stream = Uint8Array.from([
    120,
    1,
    203,
    72,
    205,
    201,
    201,
    87,
    200,
    64,
    144,
    0,
    58,
    46,
    6,
    125,
  ]);
  const hello = new TextEncoder().encode("hello hello hello");
  assertEquals(unzlib(stream), hello);
  // A pack's next object after it is not read.
  assertEquals(unzlib(Uint8Array.from([...stream, 0x95, 0x0a, 0x78])), hello);
});

Deno.test("unzlib refuses what is not a whole, unchanged stream", async () => {
  const good = await deflate(new TextEncoder().encode("tree abc\n\nsubject\n".repeat(20)));
  const bad = (change: (bytes: Uint8Array) => Uint8Array) => {
    assert(assertThrows(() => unzlib(change(good.slice()))) instanceof InflateError);
  };
  bad((b) => b.subarray(0, b.length - 5)); // cut short
  bad((b) => b.subarray(0, b.length - 1)); // its checksum cut
  bad((b) => (b[b.length - 1] ^= 1, b)); // a checksum that does not match
  bad((b) => (b[0] = 0x79, b)); // not deflate
  bad((b) => (b[1] |= 0x20, b)); // a preset dictionary
  bad((b) => (b[2] |= 0x06, b)); // a block of type 3
  assert(assertThrows(() => unzlib(new Uint8Array(3))) instanceof InflateError);
});

Deno.test("unzlib gives up past its limit instead of growing without end", async () => {
  const big = await deflate(new Uint8Array(100_000));
  assertThrows(() => unzlib(big, 4_096), /larger than allowed/);
  assertEquals(unzlib(big, 100_000).length, 100_000);
});

Deno.test("adler32 matches zlib's for the known strings", () => {
  assertEquals(adler32(new Uint8Array(0)), 1);
  assertEquals(adler32(new TextEncoder().encode("Wikipedia")), 0x11e60398);
  // Past zlib's NMAX, where the sums are reduced.
  assertEquals(
    adler32(new Uint8Array(100_000).fill(255)),
    adler32Plain(new Uint8Array(100_000).fill(255)),
  );
});

function adler32Plain(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
