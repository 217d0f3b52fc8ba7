/**
 * A mistyped command or option is answered with the nearest name, as git and gh do, and `-v`
 * prints the version as `--version` does (Claude Code's own `-v` does).
 */
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, withRepo } from "../helpers.ts";

Deno.test('mpm pasue: not a command, did you mean "pause"', async () => {
  await using repo = await withRepo();
  const out = await mpm(["pasue"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(out.code, 2);
  assertStringIncludes(out.stderr, "`mpm pasue` is not a command.");
  assertStringIncludes(out.stderr, 'Did you mean "pause"? Run `mpm --help` to see the commands.');
  const sub = await mpm(["todo", "ad", "x"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(sub.code, 2);
  assertStringIncludes(sub.stderr, 'Did you mean "add"?');
  const far = await mpm(["frobnicate"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(far.code, 2);
  assertEquals(far.stderr.includes("Did you mean"), false, far.stderr);
});

Deno.test("mpm todo TEXT and mpm checkpoint NAME: the command line meant, spelled out", async () => {
  await using repo = await withRepo();
  const env = { HOME: repo.home };
  const todo = await mpm(["todo", "write the test"], { cwd: repo.path, env });
  assertEquals(todo.code, 2);
  assertStringIncludes(todo.stderr, "`mpm todo 'write the test'` is not a command.");
  assertStringIncludes(todo.stderr, "To add it: `mpm todo add 'write the test'`.");
  const saved = await mpm(["checkpoint", "before-deploy", "--note", "it's green"], {
    cwd: repo.path,
    env,
  });
  assertEquals(saved.code, 2);
  assertStringIncludes(
    saved.stderr,
    `To save it: \`mpm checkpoint save before-deploy --note 'it'\\''s green'\`.`,
  );
  // A name of several words: the line spelled out is one save takes, and it does.
  const words = await mpm(["checkpoint", "before deploy"], { cwd: repo.path, env });
  assertEquals(words.code, 2);
  assertStringIncludes(words.stderr, "To save it: `mpm checkpoint save before-deploy`.");
  const meant = await mpm(["checkpoint", "save", "before-deploy"], { cwd: repo.path, env });
  assertEquals(meant.code, 0, meant.stderr);
  // A near name still wins: a typo is not a new todo.
  const typo = await mpm(["checkpoint", "lst"], { cwd: repo.path, env });
  assertStringIncludes(typo.stderr, 'Did you mean "list"?');
  assertEquals(typo.stderr.includes("To save it"), false, typo.stderr);
});

Deno.test('mpm pause --sumary: unknown option, did you mean "--summary"', async () => {
  await using repo = await withRepo();
  const out = await mpm(["pause", "--sumary", "x"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(out.code, 2);
  assertStringIncludes(out.stderr, "Unknown option --sumary.");
  assertStringIncludes(out.stderr, 'Did you mean "--summary"?');
  const json = await mpm(["list", "--jsn"], { cwd: repo.path, env: { HOME: repo.home } });
  assertStringIncludes(json.stderr, 'Did you mean "--json"?');
  const top = await mpm(["--verison"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(top.code, 2);
  assertStringIncludes(top.stderr, 'Did you mean "--version"?');
});

Deno.test("mpm -v prints the version, as --version and -V do", async () => {
  await using repo = await withRepo();
  const long = await mpm(["--version"], { cwd: repo.path, env: { HOME: repo.home } });
  assertEquals(long.code, 0);
  for (const flag of ["-v", "-V"]) {
    const out = await mpm([flag], { cwd: repo.path, env: { HOME: repo.home } });
    assertEquals([out.code, out.stdout, out.stderr], [0, long.stdout, ""], flag);
  }
});
