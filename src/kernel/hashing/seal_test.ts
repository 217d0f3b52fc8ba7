import { assert, assertEquals, assertRejects, assertThrows } from "../../../tests/assert.ts";
import {
  hmacSha256Hex,
  hmacSha256HexAsync,
  jsonSealVerifies,
  jsonSealVerifiesAsync,
  jsonSealVerifiesInPieces,
  jsonSealVerifiesOfBytes,
  SEAL_PLACEHOLDER,
  sealedText,
  sealJsonText,
  sealJsonTextAsync,
} from "./seal.ts";

Deno.test("hmacSha256Hex matches RFC 4231's test cases", () => {
  assertEquals(
    hmacSha256Hex("0b".repeat(20), "Hi There"),
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  );
  assertEquals(
    hmacSha256Hex("4a656665", "what do ya want for nothing?"),
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
  // A key longer than the block is hashed first.
  assertEquals(
    hmacSha256Hex("aa".repeat(131), "Test Using Larger Than Block-Size Key - Hash Key First"),
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
  );
});

Deno.test("hmacSha256HexAsync (Web Crypto) gives what hmacSha256Hex gives", async () => {
  for (const [key, text] of [["0b".repeat(20), "Hi There"], ["aa".repeat(131), "é ✓ long key"]]) {
    assertEquals(await hmacSha256HexAsync(key, text), hmacSha256Hex(key, text));
  }
});

const KEY = "11".repeat(32);
const OTHER = "22".repeat(32);

function record(summary: string): string {
  return JSON.stringify({ summary, mpm: { state: "paused", seal: SEAL_PLACEHOLDER } }, null, 2);
}

Deno.test("a sealed record checks out with its key only, and not once a byte changed", () => {
  const { text, seal } = sealJsonText(record("my words"), KEY);
  assertEquals(JSON.parse(text).mpm.seal, seal);
  assert(jsonSealVerifies(text, seal, KEY));
  assert(!jsonSealVerifies(text, seal, OTHER));
  assert(!jsonSealVerifies(text, seal, null));
  assert(!jsonSealVerifies(text.replace("my words", "my wordz"), seal, KEY));
  assert(!jsonSealVerifies(text.replace('"paused"', '"cancelled"'), seal, KEY));
  // A teammate's forgery: another key, or the placeholder, or no seal at all.
  const forged = sealJsonText(record("their words"), OTHER);
  assert(!jsonSealVerifies(forged.text, forged.seal, KEY));
  assert(!jsonSealVerifies(record("x"), SEAL_PLACEHOLDER, KEY));
  assert(!jsonSealVerifies(text, undefined, KEY));
  // Copying this machine's seal onto other words does not carry it.
  const copied = record("their words").replace(SEAL_PLACEHOLDER, seal);
  assert(!jsonSealVerifies(copied, seal, KEY));
  assertThrows(() => sealJsonText("{}", KEY));
});

Deno.test("sealJsonTextAsync (Web Crypto) seals exactly as sealJsonText does", async () => {
  assertEquals(
    await sealJsonTextAsync(record("my words"), KEY),
    sealJsonText(record("my words"), KEY),
  );
  await assertRejects(() => sealJsonTextAsync("{}", KEY));
});

Deno.test("Web Crypto's check agrees with the plain one", async () => {
  const { text, seal } = sealJsonText(record("my words"), KEY);
  assert(await jsonSealVerifiesAsync(text, seal, KEY));
  assert(!await jsonSealVerifiesAsync(text, seal, OTHER));
  assert(!await jsonSealVerifiesAsync(text.replace("my", "My"), seal, KEY));
  assert(!await jsonSealVerifiesAsync(text, "nope", KEY));
});

Deno.test("a seal member quoted inside a string value is never taken for the record's own", () => {
  // Written after the real one, as a value: JSON escapes its quotes, so it cannot match.
  const quoting = (hex: string) =>
    JSON.stringify(
      { mpm: { seal: SEAL_PLACEHOLDER }, z_note: `"seal": "${hex}"` },
      null,
      2,
    );
  const { text, seal } = sealJsonText(quoting(SEAL_PLACEHOLDER), KEY);
  assertEquals(JSON.parse(text).z_note, `"seal": "${SEAL_PLACEHOLDER}"`);
  assert(jsonSealVerifies(text, seal, KEY));
});

Deno.test("a large record's seal is checked in pieces, a pair cut by no piece", async () => {
  const key = "3c".repeat(32);
  // Emoji (surrogate pairs) everywhere, so that some fall across every piece's end.
  const words = Array.from({ length: 150_000 }, (_, i) => `p${i} 🙂é`);
  const text = JSON.stringify({ words, mpm: { seal: SEAL_PLACEHOLDER } }, null, 2);
  const { text: sealedText, seal } = sealJsonText(text, key);
  assert(jsonSealVerifiesInPieces(sealedText, seal, key));
  assert(await jsonSealVerifiesAsync(sealedText, seal, key));
  const changed = sealedText.replace("p7 ", "p8 ");
  assert(!jsonSealVerifiesInPieces(changed, seal, key));
  assert(!jsonSealVerifiesInPieces(sealedText, seal, "4d".repeat(32)));
  assert(!jsonSealVerifiesInPieces(sealedText, SEAL_PLACEHOLDER, key));
});

Deno.test("a record's seal is checked over its bytes as read, never decoded", () => {
  const { text, seal } = sealJsonText(record("mes mots été 🙂"), KEY);
  const bytes = new TextEncoder().encode(text);
  assert(jsonSealVerifiesOfBytes(bytes, seal, KEY));
  assert(!jsonSealVerifiesOfBytes(bytes, seal, OTHER));
  assert(!jsonSealVerifiesOfBytes(bytes, seal, null));
  assert(!jsonSealVerifiesOfBytes(bytes, SEAL_PLACEHOLDER, KEY));
  assert(!jsonSealVerifiesOfBytes(bytes, undefined, KEY));
  assert(!jsonSealVerifiesOfBytes(bytes.subarray(0, 10), seal, KEY));
  // One byte changed, or a byte the text's decoding would have taken for another character.
  const changed = bytes.slice();
  changed[changed.indexOf(0x6d)] = 0x4d;
  assert(!jsonSealVerifiesOfBytes(changed, seal, KEY));
  const invalid = bytes.slice();
  invalid[new TextEncoder().encode(text.slice(0, text.indexOf("é"))).length + 1] = 0xff;
  assert(!jsonSealVerifiesOfBytes(invalid, seal, KEY));
  // The seal quoted in a value after the record's own is not taken for it.
  const quoting = JSON.stringify(
    { mpm: { seal: SEAL_PLACEHOLDER }, z_note: `"seal": "${SEAL_PLACEHOLDER}"` },
    null,
    2,
  );
  const sealed = sealJsonText(quoting, KEY);
  assert(jsonSealVerifiesOfBytes(new TextEncoder().encode(sealed.text), sealed.seal, KEY));
});

Deno.test("sealedText: the old seal dropped, a new one last that verifies; plain without a key", async () => {
  const key = "ab".repeat(32);
  const record = { name: "a", seal: "cd".repeat(32), n: 1 };
  const text = await sealedText(record, key);
  assert(text.endsWith(`"seal": "${JSON.parse(text).seal}"\n}\n`));
  assert(jsonSealVerifies(text, JSON.parse(text).seal, key));
  assert(!text.includes("cd".repeat(32)));
  assertEquals(await sealedText(record, null), JSON.stringify({ name: "a", n: 1 }, null, 2) + "\n");
  const upper = (value: { name: string }) => JSON.stringify(value).toUpperCase();
  assertEquals(await sealedText({ name: "a" }, null, upper), '{"NAME":"A"}');
});
