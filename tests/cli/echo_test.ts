/**
 * Text mpm echoes back from the command line (a name it refuses, an option it does not know, a
 * value it cannot take) is quoted bounded and on one line: a 100,000-character argument is not
 * printed back whole, and a line break or escape in it is shown, never obeyed.
 */
import { assert, assertStringIncludes } from "../assert.ts";
import { withRepo } from "../helpers.ts";

/** The longest error report one refused word may make (message and hint). */
const MOST = 600;

function bounded(stderr: string, what: string): void {
  assert(stderr.length < MOST, `${what}: ${stderr.length} characters of error`);
  // The message and its hint, each one line.
  assert(stderr.trimEnd().split("\n").length <= 2, `${what}: ${stderr}`);
}

Deno.test("a refused word is quoted bounded and on one line, whatever its length or bytes", async () => {
  await using repo = await withRepo();
  const long = "n".repeat(5_000);
  const cases: [string, string[]][] = [
    ["checkpoint save", ["checkpoint", "save", long]],
    ["checkpoint save, a line break", ["checkpoint", "save", `a\nb\x1b[2J${long}`]],
    ["an unexpected argument", ["status", long]],
    ["an unknown command", [long]],
    ["an unknown option", ["status", `--${long}`]],
    ["an unknown short option", ["status", `-${"\u202e"}`]],
    ["a choice", ["checkpoint", "show", "x", "--format", long]],
    ["a number", ["list", "--limit", long]],
    ["given twice", ["pause", "-s", long, "-s", `${long}x`]],
    ["--color", ["status", "--color", long]],
    ["a shell", ["completions", long]],
    ["a remote", ["sync", "status", long]],
  ];
  for (const [what, argv] of cases) {
    const out = await repo.run(...argv);
    assert(out.code !== 0, `${what}: exit ${out.code}`);
    bounded(out.stderr, what);
    if (argv.some((word) => word.includes(long))) assertStringIncludes(out.stderr, "…", what);
  }
  const shown = await repo.run("checkpoint", "save", "a\nb\x1b[2J\u202ec");
  bounded(shown.stderr, "escapes");
  assertStringIncludes(shown.stderr, String.raw`"a\nb\u001b[2J\u202ec"`);
});
