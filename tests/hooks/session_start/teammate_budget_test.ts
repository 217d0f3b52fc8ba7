/**
 * How long SessionStart reads the teammates' records is the product's 2 s, or what
 * MPM_TEAMMATE_BUDGET_MS says: the tests' environment sets it far past a loaded machine's needs
 * (tests/helpers.ts ROOMY_LIMITS), so a start that names a teammate's work never turns on the
 * machine's speed; given none, the part is skipped and says so, the rest of the start as ever.
 * The same at SessionEnd, which makes the next new conversation's answer ready only when the
 * teammates' part was read (an answer that says it skipped them is worked out again at each
 * start).
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { type Clones, mpm, type Repo, withClones } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { TEAMMATE_TITLE } from "../../../src/board/teammates.ts";
import { readyStart } from "../../../src/hooks/events/ready_start.ts";

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

/** Bob's pushed work changes README.md, Alice's `file`; Alice has pulled Bob's. */
async function pulled(file = "README.md"): Promise<Clones> {
  const clones = await withClones();
  const { a, b } = clones;
  await run(b, BOB, "start", "Payouts");
  await b.write("README.md", "Bob's\n");
  await run(b, BOB, "pause", "-s", "Bob's words");
  await run(b, BOB, "sync", "push");
  await run(a, {}, "start", "Refunds");
  await a.write(file, "Alice's\n");
  await run(a, {}, "pause", "-s", "Alice's words");
  await run(a, {}, "sync", "pull");
  return clones;
}

function contextOf(stdout: string): string {
  return JSON.parse(stdout).hookSpecificOutput.additionalContext;
}

Deno.test("SessionStart reads the teammates' records as long as MPM_TEAMMATE_BUDGET_MS says", async () => {
  await using clones = await pulled();
  const { a } = clones;
  const stdin = payload("session-start-startup.json", a);
  const told = async (env: Record<string, string>) => {
    const result = await mpm(["hook", "session-start"], {
      cwd: a.path,
      env: { HOME: a.home, ...env },
      stdin,
    });
    assertEquals(result.code, 0, result.stderr);
    return contextOf(result.stdout);
  };

  // None: the part says it was skipped, and the person's own work is told as ever.
  const none = await told({ MPM_TEAMMATE_BUDGET_MS: "0" });
  assertStringIncludes(none, "Skipped: reading the teammates' records");
  assertNotIncludes(none, "bob@example.com");
  assertStringIncludes(none, "Alice's words");

  // The tests' roomy budget: Bob's work on the file is named.
  const roomy = await told({});
  assertStringIncludes(roomy, TEAMMATE_TITLE);
  assertStringIncludes(roomy, "- bob@example.com (unverified) — Payouts, ");

  // The lines told are kept: with none again, nothing is read and they are told as ever.
  assertStringIncludes(await told({ MPM_TEAMMATE_BUDGET_MS: "0" }), "- bob@example.com");
});

Deno.test("SessionEnd reads the teammates' records as long as MPM_TEAMMATE_BUDGET_MS says", async () => {
  // Alice's work touches none of Bob's files: with time to read them, nothing is to be said.
  await using clones = await pulled("alice.ts");
  const { a } = clones;
  const ended = async (env: Record<string, string>) => {
    const id = crypto.randomUUID();
    const transcript = join(a.home, ".claude", "projects", "-a", `${id}.jsonl`);
    await Deno.mkdir(join(transcript, ".."), { recursive: true });
    await Deno.writeTextFile(transcript, "");
    const end = await mpm(["hook", "session-end"], {
      cwd: a.path,
      env: { HOME: a.home, ...env },
      stdin: payload("session-end.json", a, { session_id: id, transcript_path: transcript }),
    });
    assertEquals(end.code, 0, end.stderr);
    // What the next new conversation (its transcript beside the last one's) is sent before
    // anything else runs, as main.ts sends it.
    const next = crypto.randomUUID();
    return await readyStart({
      payload: payload("session-start-startup.json", a, {
        session_id: next,
        transcript_path: join(transcript, "..", `${next}.jsonl`),
      }),
      vars: { HOME: a.home },
      cwd: a.path,
      now: new Date(),
    });
  };

  // None: the part was skipped, so no answer is kept for the next start to send as made.
  assertEquals(await ended({ MPM_TEAMMATE_BUDGET_MS: "0" }), null);
  // The tests' roomy budget: read, nothing to say, and the answer is made ready.
  const sent = await ended({});
  assert(sent !== null, "SessionEnd made no answer ready");
  assertStringIncludes(contextOf(sent), "Alice's words");
  assertNotIncludes(contextOf(sent), TEAMMATE_TITLE);
});
