/**
 * `mpm resume`'s flags that go with another: given alone they would be ignored and the resume
 * would do what was not asked, so each is refused (exit 2, one sentence) before anything runs.
 */
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, withRepo } from "../../helpers.ts";

Deno.test("resume refuses --list's flags without --list", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "pause", "-s", "stripe wired");
  const cases: [string[], string][] = [
    [["resume", "--limit", "3"], "--limit goes with --list."],
    [["resume", "--all"], "--all goes with --list."],
    [["resume", "--state", "paused"], "--state goes with --list."],
  ];
  for (const [args, said] of cases) {
    const out = await repo.run(...args);
    assertEquals(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assertStringIncludes(out.stderr, said);
  }
  // Nothing was resumed by any of them.
  assertEquals((await okJson(repo, "status", "--json")).active, null);
  // With their partner they do what they say.
  assertStringIncludes((await ok(repo, "resume", "--list", "--limit", "3")).stdout, "[0]");
});
