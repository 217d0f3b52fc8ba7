import { assertEquals } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { fileStamp } from "../../../git/tree/stamp.ts";
import { inputStamps } from "./start_ready.ts";

Deno.test("an input not there is stamped by the nearest folder above it that is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "here.json"), "{}");
    const stamps = inputStamps([join(dir, "here.json"), join(dir, "a", "b", "missing.md")]);
    assertEquals(Object.keys(stamps), [join(dir, "here.json"), dir]);
    assertEquals(stamps[dir], fileStamp(dir));
    // Making the missing file changes the folder that stood for it.
    await Deno.mkdir(join(dir, "a"));
    const after = inputStamps([join(dir, "a", "b", "missing.md")]);
    assertEquals(Object.keys(after), [join(dir, "a")]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
