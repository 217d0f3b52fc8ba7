/** Colour by the conventions: --color, NO_COLOR (non-empty), TERM=dumb, FORCE_COLOR. */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, withRepo } from "../helpers.ts";

const ESC = "\x1b[";

Deno.test("--color always|never and FORCE_COLOR decide colour through a pipe", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payment work");
  // Processes: main.ts decides from the process's own stdout (a pipe here) and environment.
  const run = (args: string[], vars: Record<string, string> = {}) =>
    mpm(args, { cwd: repo.path, env: { HOME: repo.home, ...vars }, spawn: true });
  const stdout = async (args: string[], vars: Record<string, string> = {}) => {
    const result = await run(args, vars);
    assertEquals(result.code, 0, result.stderr);
    return result.stdout;
  };
  assert(!(await stdout(["status"])).includes(ESC), "a pipe gets no colour by default");
  assertStringIncludes(await stdout(["status", "--color=always"]), ESC);
  assertStringIncludes(await stdout(["--color", "always", "status"]), ESC);
  assertStringIncludes(await stdout(["status"], { FORCE_COLOR: "1" }), ESC);
  const never = await stdout(["status", "--color=never"], { FORCE_COLOR: "1" });
  assert(!never.includes(ESC), "--color=never wins over FORCE_COLOR");
  const bad = await run(["status", "--color=blue"]);
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, 'not "blue"');
});
