/**
 * The bundle's last step (scripts/bundle.ts, `mergeChunks`): esbuild's chunks regrouped by rollup,
 * the entry's `import.meta.main` spelled out, and every top-level function made one V8 compiles
 * with its chunk (scripts/eager_functions.ts), without changing what the code does.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "../assert.ts";
import { tempDir } from "../helpers.ts";
import { mergeChunks } from "../../scripts/bundle.ts";
import { importCycle } from "../../scripts/eager_functions.ts";

Deno.test("merged chunks run as esbuild's did, their functions in parentheses", async () => {
  await using split = await tempDir("mpm-split-");
  await Deno.writeTextFile(
    join(split.path, "main.js"),
    [
      'import { twice } from "./chunk-a.js";',
      // Called above its declaration, as a declaration allows: the rewrite must keep that working.
      "export const early = answer();",
      "function answer() { return twice(21); }",
      "export const arrow = (n) => n + 1;",
      "export const named = function named() { return named.name; };",
      "export async function later() { return await Promise.resolve(early); }",
      "globalThis.mpmMergeTestMain = import.meta.main;",
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(
    join(split.path, "chunk-a.js"),
    "export function twice(n) { return n * 2; }\n",
  );
  const files = await mergeChunks(split.path);
  const main = files.get("main.js");
  assert(main !== undefined, [...files.keys()].join(", "));
  assert(/\(function answer\(/.test(main), main);
  assert(/\(async function later\(/.test(main), main);
  assert(main.includes("((n) => n + 1)"), main);

  await using out = await tempDir("mpm-merged-");
  for (const [name, text] of files) await Deno.writeTextFile(join(out.path, name), text);
  const loaded = await import(pathToFileURL(join(out.path, "main.js")).href);
  assertEquals(loaded.early, 42);
  assertEquals(loaded.arrow(1), 2);
  assertEquals(loaded.named(), "named");
  assertEquals(await loaded.later(), 42);
  // Imported here, not run as the program: only the rewrite can have made this true.
  assertEquals((globalThis as { mpmMergeTestMain?: boolean }).mpmMergeTestMain, true);
});

Deno.test("a cycle in the chunks' imports is found and named", () => {
  assertEquals(
    importCycle(new Map([["main.js", ["a.js"]], ["a.js", ["b.js"]], ["b.js", ["a.js"]]])),
    ["a.js", "b.js", "a.js"],
  );
  assertEquals(importCycle(new Map([["a.js", ["a.js"]]])), ["a.js", "a.js"]);
  assertEquals(
    importCycle(new Map([["main.js", ["a.js", "b.js"]], ["a.js", ["b.js"]], ["b.js", []]])),
    null,
  );
});
