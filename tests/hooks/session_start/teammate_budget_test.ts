/**
 * How long SessionStart reads the teammates' records is the product's 2 s, or what
 * MPM_TEAMMATE_BUDGET_MS says: the tests' environment sets it far past a loaded machine's needs
 * (tests/helpers.ts ROOMY_LIMITS), so a start that names a teammate's work never turns on the
 * machine's speed; given none, the part is skipped and says so, the rest of the start as ever.
 */
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withClones } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { TEAMMATE_TITLE } from "../../../src/board/teammates.ts";

const BOB = {
  GIT_AUTHOR_NAME: "Bob",
  GIT_AUTHOR_EMAIL: "bob@example.com",
  GIT_COMMITTER_NAME: "Bob",
  GIT_COMMITTER_EMAIL: "bob@example.com",
};

async function run(repo: Repo, env: Record<string, string>, ...args: string[]) {
  const result = await mpm(args, { cwd: repo.path, env: { HOME: repo.home, ...env } });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

Deno.test("SessionStart reads the teammates' records as long as MPM_TEAMMATE_BUDGET_MS says", async () => {
  await using clones = await withClones();
  const { a, b } = clones;
  await run(b, BOB, "start", "Payouts");
  await b.write("README.md", "Bob's\n");
  await run(b, BOB, "pause", "-s", "Bob's words");
  await run(b, BOB, "sync", "push");
  await run(a, {}, "start", "Refunds");
  await a.write("README.md", "Alice's\n");
  await run(a, {}, "pause", "-s", "Alice's words");
  await run(a, {}, "sync", "pull");
  const stdin = payload("session-start-startup.json", a);
  const told = async (env: Record<string, string>) => {
    const result = await mpm(["hook", "session-start"], {
      cwd: a.path,
      env: { HOME: a.home, ...env },
      stdin,
    });
    assertEquals(result.code, 0, result.stderr);
    return JSON.parse(result.stdout).hookSpecificOutput.additionalContext as string;
  };

  // The tests' roomy budget: Bob's work on the file is named.
  const roomy = await told({});
  assertStringIncludes(roomy, TEAMMATE_TITLE);
  assertStringIncludes(roomy, "- bob@example.com (unverified) — Payouts, ");

  // None: the part says it was skipped, and the person's own work is told as ever.
  const none = await told({ MPM_TEAMMATE_BUDGET_MS: "0" });
  assertStringIncludes(none, "Skipped: reading the teammates' records");
  assertNotIncludes(none, "bob@example.com");
  assertStringIncludes(none, "Alice's words");
});
