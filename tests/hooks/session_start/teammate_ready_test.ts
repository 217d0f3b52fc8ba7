/**
 * A start that names a teammate's work is made ready like any other (ready_start.ts): the next
 * new conversation is sent it as made while what it was made from is as it was. A pull that
 * brings more of their work, or a change to the person's own files, and the start works its
 * answer out again; so it does where a told line's work is within a day of leaving the 14 days.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withClones } from "../../helpers.ts";
import { payload } from "../hooks_helpers.ts";
import { readyStart } from "../../../src/hooks/events/ready_start.ts";

const BOB = {
  GIT_AUTHOR_NAME: "Bob",
  GIT_AUTHOR_EMAIL: "bob@example.com",
  GIT_COMMITTER_NAME: "Bob",
  GIT_COMMITTER_EMAIL: "bob@example.com",
};
const HOUR = 3600_000;

async function run(repo: Repo, env: Record<string, string>, ...args: string[]) {
  const result = await mpm(args, { cwd: repo.path, env: { HOME: repo.home, ...env } });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
}

/** Bob pushes work named `name` on README.md. */
async function bobPushes(bob: Repo, name: string) {
  await run(bob, BOB, "start", name);
  await bob.write("README.md", `Bob's ${name}\n`);
  await run(bob, BOB, "pause", "-s", `Bob's ${name}`);
  await run(bob, BOB, "sync", "push");
}

/** A new conversation's payload, its transcript where Claude Code keeps this project's. */
function startPayload(repo: Repo): string {
  const id = crypto.randomUUID();
  return payload("session-start-startup.json", repo, {
    session_id: id,
    transcript_path: join(repo.home, ".claude", "projects", "-project", `${id}.jsonl`),
  });
}

async function fullStart(repo: Repo, at: Date): Promise<string> {
  const result = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: startPayload(repo),
    now: () => at,
  });
  assertEquals(result.code, 0, result.stderr);
  return contextOf(result.stdout);
}

/** What main.ts sends before anything else runs; null where the full hook answers. */
async function ready(repo: Repo, at: Date): Promise<string | null> {
  const sent = await readyStart({
    payload: startPayload(repo),
    vars: { HOME: repo.home },
    cwd: repo.path,
    now: at,
  });
  return sent === null ? null : contextOf(sent);
}

function contextOf(stdout: string): string {
  return JSON.parse(stdout).hookSpecificOutput.additionalContext;
}

Deno.test("a start that names a teammate is made ready; a pull or a changed file makes it stale", async () => {
  await using clones = await withClones();
  const { a: alice, b: bob } = clones;
  await bobPushes(bob, "Payouts");
  await run(alice, {}, "start", "Refunds");
  await alice.write("README.md", "Alice's\n");
  await run(alice, {}, "pause", "-s", "Alice's words");
  await run(alice, {}, "sync", "pull");

  const made = new Date();
  assertStringIncludes(await fullStart(alice, made), "bob@example.com (unverified) — Payouts, ");
  const sent = await ready(alice, new Date(made.getTime() + HOUR));
  assert(sent !== null, "a start that names a teammate was not made ready");
  assertStringIncludes(sent, "bob@example.com (unverified) — Payouts, ");
  assertStringIncludes(sent, "Alice's words");

  // Bob's next push, pulled: the answer made before it is not sent.
  await bobPushes(bob, "Ledger");
  await run(alice, {}, "sync", "pull");
  assertEquals(await ready(alice, new Date(made.getTime() + HOUR)), null);
  assertStringIncludes(await fullStart(alice, made), "— Ledger, ");
  assertStringIncludes(await ready(alice, made) ?? "", "— Ledger, ");

  // A file of Alice's changed: worked out again.
  await alice.write("refund.ts", "export {};\n");
  assertEquals(await ready(alice, made), null);

  // Bob's work a day from leaving the 14 days: told, but each start works it out.
  const late = new Date(made.getTime() + 13.5 * 24 * HOUR);
  assertStringIncludes(await fullStart(alice, late), "— Ledger, ");
  assertEquals(await ready(alice, late), null);
});
