import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { sessionStartFilePart } from "./inject.ts";

Deno.test("the SessionStart part: the file bounded, a refusal as a warning, never a throw", async () => {
  await using dir = await tempDir();
  const root = join(dir.path, "p");
  await Deno.mkdir(join(root, ".claude"), { recursive: true });
  assertEquals(await sessionStartFilePart(root, null, 10_000), { text: "", warning: null });

  const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${"y".repeat(30)}`).join("\n");
  await Deno.writeTextFile(join(root, ".claude/context.md"), lines);
  const part = await sessionStartFilePart(root, null, 2_000);
  assert(part.text.length <= 2_000);
  assertMatch(part.text, /\(truncated: \d+ more lines in \.claude\/context\.md\)$/);

  await Deno.writeFile(join(root, ".claude/context.md"), new Uint8Array([0, 1, 2]));
  const binary = await sessionStartFilePart(root, null, 2_000);
  assertEquals(binary.text, "");
  assertStringIncludes(binary.warning ?? "", "binary");

  const bad = await sessionStartFilePart(root, "../x", 2_000);
  assertStringIncludes(bad.warning ?? "", "not a partition name");
});
