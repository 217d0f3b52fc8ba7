/**
 * The bundle's last step (scripts/build/bundle.ts, `mergeChunks`): esbuild's chunks regrouped by
 * rollup, the entry's `import.meta.main` spelled out, and every top-level function made one V8
 * compiles with its chunk (scripts/build/eager_functions.ts), without changing what the code does.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "../assert.ts";
import { tempDir } from "../helpers.ts";
import { mergeChunks } from "../../scripts/build/bundle.ts";
import { importCycle } from "../../scripts/build/eager_functions.ts";

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
  const files = await mergeChunks(split.path, {});
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

Deno.test("a whole static graph is one chunk, and a later one imports what an earlier holds", async () => {
  await using split = await tempDir("mpm-split-");
  const file = (name: string, lines: string[]) =>
    Deno.writeTextFile(join(split.path, name), lines.join("\n") + "\n");
  await file("main.js", [
    'export const ready = () => import("./ready-1.js");',
    'export const cli = () => import("./cli-1.js");',
    'export const other = () => import("./other-1.js");',
  ]);
  await file("ready-1.js", [
    'import { shared } from "./chunk-s.js";',
    'import { own } from "./chunk-r.js";',
    "export function go() { return shared() + own(); }",
  ]);
  await file("cli-1.js", [
    'import { shared } from "./chunk-s.js";',
    "export function go() { return shared() * 2; }",
  ]);
  await file("other-1.js", [
    'import { own } from "./chunk-r.js";',
    "export function go() { return own(); }",
  ]);
  await file("chunk-s.js", ["export function shared() { return 1; }"]);
  await file("chunk-r.js", ["export function own() { return 2; }"]);
  const files = await mergeChunks(split.path, { ready: ["ready"], cli: ["cli"] });
  /** The chunks a file loads: itself and what it imports, and so on. */
  const loads = (name: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(name)) return seen;
    seen.add(name);
    for (const [, to] of files.get(name)!.matchAll(/from\s*['"]\.\/([\w.-]+\.js)['"]/g)) {
      loads(to, seen);
    }
    return seen;
  };
  const dynamic = [...files.get("main.js")!.matchAll(/import\(['"]\.\/([\w.-]+\.js)['"]\)/g)]
    .map((m) => m[1]);
  assertEquals(dynamic.length, 2);
  const [ready, cli] = dynamic;
  // The ready start loads its one chunk; the command line its own and the one it shares with it.
  assertEquals(loads(ready).size, 1);
  assertEquals(loads(cli).size, 2);
  assert(loads(cli).has(ready));

  await using out = await tempDir("mpm-merged-");
  for (const [name, text] of files) await Deno.writeTextFile(join(out.path, name), text);
  const loaded = await import(pathToFileURL(join(out.path, "main.js")).href);
  assertEquals((await loaded.ready()).go(), 3);
  assertEquals((await loaded.cli()).go(), 2);
  assertEquals((await loaded.other()).go(), 2);
});
