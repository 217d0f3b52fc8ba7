/**
 * The README is what a new user reads first: short enough to read, and its daily cycle runs as
 * written, in order, on a real repository.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ROOT, withRepo } from "../helpers.ts";

/** One command line's words, as sh splits them: blanks apart, double quotes kept together. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/**
 * The `mpm` lines of the README's first shell block under `heading`, without their comments: each
 * with whether its comment says it is an alternative to the line before ("…or").
 */
function readmeLines(readme: string, heading: string): { args: string[]; or: boolean }[] {
  const section = readme.slice(readme.indexOf(`## ${heading}\n`));
  const start = section.indexOf("```sh\n") + 6;
  const block = section.slice(start, section.indexOf("\n```", start));
  return block.split("\n").filter((line) => line.startsWith("mpm ")).map((line) => {
    const [command, comment = ""] = line.split(/ {2,}# /);
    return { args: shellWords(command).slice(1), or: comment.startsWith("…or") };
  });
}

Deno.test("shellWords splits as sh does, quotes kept together", () => {
  assertEquals(shellWords('mpm pause -s "Refund API wired" -n x'), [
    "mpm",
    "pause",
    "-s",
    "Refund API wired",
    "-n",
    "x",
  ]);
});

Deno.test("the README's daily cycle runs as written, each line in turn", async () => {
  const lines = readmeLines(await Deno.readTextFile(join(ROOT, "README.md")), "The daily cycle");
  assertEquals(lines[0].args.slice(0, 1), ["start"]);
  await using repo = await withRepo();
  // Each line after the one it is an alternative to has run; an alternative runs on its own.
  const alternatives: string[][] = [];
  for (const { args, or } of lines) {
    if (or) {
      alternatives.push(args);
      continue;
    }
    // Work to pause and to put aside.
    if (args[0] === "pause" || args[0] === "branch") {
      await repo.write("refunds.ts", `export const step = "${args.join(" ")}";\n`);
    }
    const result = await repo.run(...args);
    assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  }
  assertStringIncludes((await repo.run("list")).stdout, "Refunds");
  for (const args of alternatives) {
    const result = await repo.run(...args);
    assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  }
});

Deno.test("the README stays under 10 KB", async () => {
  const size = (await Deno.stat(join(ROOT, "README.md"))).size;
  assert(size < 10_000, `README.md is ${size} bytes: docs/guide.md holds the rest`);
});
