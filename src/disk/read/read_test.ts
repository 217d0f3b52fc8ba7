import { join } from "node:path";
import { assertEquals } from "../../../tests/assert.ts";
import { letGo, readBytesIfExistsSync } from "./read.ts";

Deno.test("a file read whole is its own buffer, and letGo frees it at once; a part of one is left be", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mpm-read-" });
  try {
    const file = join(dir, "record.json");
    const text = "x".repeat(100_000);
    await Deno.writeTextFile(file, text);
    const bytes = readBytesIfExistsSync(file)!;
    assertEquals(new TextDecoder().decode(bytes), text);
    assertEquals(bytes.buffer.byteLength, text.length);
    // A view of part of a buffer is another's: never freed through it.
    const part = bytes.subarray(10);
    letGo(part);
    assertEquals(part.length, text.length - 10);
    letGo(bytes);
    assertEquals(bytes.length, 0);
    assertEquals(part.length, 0);
    // Twice is nothing.
    letGo(bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
