import { assertEquals } from "../../tests/assert.ts";
import { checksumLine, sha256Hex } from "../kernel/checksum.ts";
import { checksumLineAsync, sha256HexAsync } from "./checksum_async.ts";

Deno.test("Web Crypto's checksum is kernel/checksum.ts's, digest and line", async () => {
  const samples = ["", "abc", "é ✓ 𝄞\n", "x".repeat(70_000)];
  for (const text of samples) {
    assertEquals(await sha256HexAsync(text), sha256Hex(text));
    const bytes = new TextEncoder().encode(text);
    assertEquals(await sha256HexAsync(bytes), sha256Hex(bytes));
    assertEquals(await checksumLineAsync(text, "s.json"), checksumLine(text, "s.json"));
  }
  assertEquals(
    await sha256HexAsync("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
