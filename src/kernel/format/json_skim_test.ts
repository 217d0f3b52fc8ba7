import { assert, assertEquals } from "../../../tests/assert.ts";
import { JsonSkim, SKIM_STRING_BYTES } from "./json_skim.ts";
import { jsonHead } from "./json_head.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The skim of `text` fed in pieces of `size` bytes. */
function skim(text: string, limit: number, stringBytes: number, size = 1 << 16): Uint8Array {
  const bytes = encode(text);
  const skim = new JsonSkim(limit, stringBytes);
  for (let at = 0; at < bytes.length; at += size) {
    if (!skim.push(bytes.subarray(at, at + size))) break;
  }
  return skim.bytes();
}

Deno.test("a text with no long string is kept byte for byte", () => {
  const text = JSON.stringify({ a: "short", b: [1, 2, { c: 'é"\\\u0001' }], d: null });
  assertEquals(decode(skim(text, 1024, 64)), text);
});

Deno.test("a megabyte string is cut short and the fields after it are still in the head", () => {
  const text = JSON.stringify({
    conversation: { summary: "word ".repeat(200_000) },
    git_context: { status: { modified: ["src/ledger.ts"] } },
  });
  const kept = skim(text, 64 * 1024, SKIM_STRING_BYTES);
  assert(kept.length < 32 * 1024, `${kept.length} bytes kept`);
  const head = jsonHead(decode(kept)) as {
    conversation: { summary: string };
    git_context: { status: { modified: string[] } };
  };
  assertEquals(head.git_context.status.modified, ["src/ledger.ts"]);
  assert(head.conversation.summary.startsWith("word word"));
  assert(head.conversation.summary.endsWith("…"), head.conversation.summary.slice(-20));
});

Deno.test("a cut never splits an escape or a character, whatever the pieces", () => {
  const parts = ['\\"', "\\\\", "\u00e9", "\u4e2d", "\u{1F600}", "\n", "\u0007", "a", '"'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 200; round++) {
    const strings = Array.from({ length: 3 }, () => {
      let s = "";
      const n = Math.floor(next() * 60);
      for (let i = 0; i < n; i++) s += parts[Math.floor(next() * parts.length)];
      return s;
    });
    const text = JSON.stringify({ s: strings, after: "end" });
    const stringBytes = 6 + Math.floor(next() * 20); // "after" stays whole
    const kept = JSON.parse(decode(skim(text, 1 << 20, stringBytes, 1 + Math.floor(next() * 9))));
    assertEquals(kept.after, "end");
    kept.s.forEach((s: string, i: number) =>
      assert(strings[i].startsWith(s), `${s} of ${strings[i]}`)
    );
  }
});

Deno.test("the skim stops once its limit is kept", () => {
  const skimmer = new JsonSkim(10, 4);
  assertEquals(skimmer.push(encode('{"a":[1,2,3,4,5,6,7,8]}')), false);
  assertEquals(decode(skimmer.bytes()), '{"a":[1,2,');
});
