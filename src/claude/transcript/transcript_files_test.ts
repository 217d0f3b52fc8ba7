import { join } from "node:path";
import { assertEquals } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { type LinesRead, wholeLines } from "./transcript_files.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What wholeLines yields of `text`: the lines' text, the last end, and how the read ended. */
async function linesOf(text: string, chunkBytes: number, maxLineBytes: number) {
  await using dir = await tempDir();
  const path = join(dir.path, "t.jsonl");
  await Deno.writeFile(path, encoder.encode(text));
  const read: LinesRead = { partial: 0, skippedLines: 0, error: null };
  let got = "";
  let end = 0;
  for await (const chunk of wholeLines(path, 0, { chunkBytes, maxLineBytes }, read)) {
    got += decoder.decode(chunk.bytes);
    end = chunk.end;
  }
  return { got, end, read };
}

Deno.test("a line over the limit is skipped, also when it ends in the read that passes the limit", async () => {
  const text = "ab\n" + "x".repeat(12) + "\ncd\n";
  for (const chunkBytes of [1, 3, 8, 64]) {
    const { got, end, read } = await linesOf(text, chunkBytes, 8);
    assertEquals([got, end, read], ["ab\ncd\n", text.length, {
      partial: 0,
      skippedLines: 1,
      error: null,
    }], `chunks of ${chunkBytes}`);
  }
});

Deno.test("a skipped last line is read past, so the next read does not count it again", async () => {
  const text = "ab\n" + "x".repeat(20) + "\n";
  for (const chunkBytes of [4, 8, 64]) {
    const { got, end, read } = await linesOf(text, chunkBytes, 8);
    assertEquals([got, end, read.skippedLines, read.partial], ["ab\n", text.length, 1, 0]);
  }
});

Deno.test("a long line not ended yet is left for the next read, counted as partial, not skipped", async () => {
  const text = "ab\n" + "x".repeat(20);
  for (const chunkBytes of [4, 64]) {
    const { got, end, read } = await linesOf(text, chunkBytes, 8);
    assertEquals([got, end, read.skippedLines, read.partial], ["ab\n", 3, 0, 20]);
  }
});

Deno.test("lines longer than a read and than the room past it come whole, in order", async () => {
  const long = (c: string, n: number) => `{"x":"${c.repeat(n)}"}\n`;
  const text = long("a", 10) + long("b", 200_000) + long("c", 5) + long("d", 300_000) + "tail";
  for (const chunkBytes of [4096, 65_536]) {
    const { got, end, read } = await linesOf(text, chunkBytes, 1 << 20);
    assertEquals(got, text.slice(0, -4), `chunks of ${chunkBytes}`);
    assertEquals([end, read], [text.length - 4, { partial: 4, skippedLines: 0, error: null }]);
  }
});
