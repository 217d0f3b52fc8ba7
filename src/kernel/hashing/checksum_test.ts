import { assertEquals } from "../../../tests/assert.ts";
import {
  checksumLine,
  checksumLineAsync,
  parseChecksumLine,
  sha256Hex,
  sha256HexAsync,
} from "./checksum.ts";

Deno.test("sha256Hex matches the known digest of 'abc'", () => {
  assertEquals(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("checksumLine is in sha256sum -c format and parses back", () => {
  const line = checksumLine("abc", "session-20250101-000000.json");
  assertEquals(line.endsWith("  session-20250101-000000.json\n"), true);
  assertEquals(parseChecksumLine(line)?.name, "session-20250101-000000.json");
  assertEquals(parseChecksumLine("not a checksum"), undefined);
});

Deno.test("sha256Hex agrees with node:crypto at every padding boundary and on large input", async () => {
  const { createHash } = await import("node:crypto");
  const lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003];
  for (const length of lengths) {
    const bytes = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
    assertEquals(sha256Hex(bytes), createHash("sha256").update(bytes).digest("hex"), `${length}`);
  }
  const text = "snapshot ✓ — ünïcode\n".repeat(50);
  assertEquals(sha256Hex(text), createHash("sha256").update(text).digest("hex"));
});

Deno.test("Web Crypto's checksum is the plain TypeScript one, digest and line", async () => {
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
