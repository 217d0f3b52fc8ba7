import { assertEquals } from "../../../tests/assert.ts";
import { sha256Hex } from "./checksum.ts";
import { hmacSha256Hex } from "./seal.ts";
import { HmacSha256, Sha256 } from "./sha256_stream.ts";

/** `text` cut into pieces of `size` characters. */
function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

Deno.test("Sha256 in pieces is sha256Hex of the whole, at every padding boundary and cut", () => {
  for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
    const text = "é".repeat(length / 2) + "x".repeat(length - Math.floor(length / 2));
    for (const size of [1, 3, 63, 64, 65, 4096]) {
      const hash = new Sha256();
      for (const piece of cut(text, size)) hash.update(piece);
      assertEquals(hash.hex(), sha256Hex(text), `${length} in pieces of ${size}`);
    }
  }
});

Deno.test("HmacSha256 in pieces is hmacSha256Hex of the whole, short and long keys", () => {
  const text = JSON.stringify({ paths: Array.from({ length: 3000 }, (_, i) => `p/${i}.js`) });
  for (const key of ["ab".repeat(32), "cd".repeat(100)]) {
    const mac = new HmacSha256(key);
    for (const piece of cut(text, 777)) mac.update(piece);
    assertEquals(mac.hex(), hmacSha256Hex(key, text));
  }
});
