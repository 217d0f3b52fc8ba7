/** Colour by the conventions: --color, NO_COLOR (non-empty), TERM=dumb, FORCE_COLOR. */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, withRepo } from "../helpers.ts";

const ESC = "\x1b[";

Deno.test("--color always|never and FORCE_COLOR decide colour through a pipe", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payment work");
  assert(!(await ok(repo, "status")).stdout.includes(ESC), "a pipe gets no colour by default");
  assertStringIncludes((await ok(repo, "status", "--color=always")).stdout, ESC);
  assertStringIncludes((await ok(repo, "--color", "always", "status")).stdout, ESC);
  const run = (args: string[], vars: Record<string, string>) =>
    mpm(args, { cwd: repo.path, env: { HOME: repo.home, ...vars } });
  const forced = await run(["status"], { FORCE_COLOR: "1" });
  assertStringIncludes(forced.stdout, ESC);
  const never = await run(["status", "--color=never"], { FORCE_COLOR: "1" });
  assert(!never.stdout.includes(ESC), "--color=never wins over FORCE_COLOR");
  const bad = await repo.run("status", "--color=blue");
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, 'not "blue"');
});
