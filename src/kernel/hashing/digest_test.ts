import { assertEquals } from "../../../tests/assert.ts";
import {
  digestHex,
  digestHexSync,
  gitBlobBytes,
  sha1Hex,
  sha256Base64,
  WEB_CRYPTO_FROM,
} from "./digest.ts";

Deno.test("sha1Hex matches the known digests of '' and 'abc'", () => {
  assertEquals(sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  assertEquals(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
});

Deno.test("sha1Hex agrees with node:crypto at every padding boundary", async () => {
  const { createHash } = await import("node:crypto");
  for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003]) {
    const bytes = new Uint8Array(length).map((_, i) => (i * 131 + length) & 0xff);
    assertEquals(sha1Hex(bytes), createHash("sha1").update(bytes).digest("hex"), `${length}`);
  }
});

Deno.test("digestHex gives the same digest on both sides of the Web Crypto threshold", async () => {
  const { createHash } = await import("node:crypto");
  for (const length of [10, WEB_CRYPTO_FROM - 1, WEB_CRYPTO_FROM, WEB_CRYPTO_FROM + 5]) {
    const bytes = new Uint8Array(length).map((_, i) => (i * 7) & 0xff);
    for (const algorithm of ["sha1", "sha256"] as const) {
      const want = createHash(algorithm).update(bytes).digest("hex");
      assertEquals(await digestHex(algorithm, bytes), want, `${algorithm} ${length}`);
      assertEquals(digestHexSync(algorithm, bytes), want, `${algorithm} ${length} sync`);
    }
  }
});

Deno.test("a blob id is what `git hash-object` prints", async () => {
  const text = "hello\nworld ✓\n";
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/f`, text);
    const out = await new Deno.Command("git", {
      args: ["hash-object", "--no-filters", `${dir}/f`],
      stdout: "piped",
    }).output();
    const want = new TextDecoder().decode(out.stdout).trim();
    assertEquals(sha1Hex(gitBlobBytes(new TextEncoder().encode(text))), want);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256Base64 is the base64 form of the digest (a CSP hash)", async () => {
  const { createHash } = await import("node:crypto");
  assertEquals(sha256Base64("x"), createHash("sha256").update("x").digest("base64"));
});
