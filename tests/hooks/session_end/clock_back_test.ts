/**
 * SessionEnd on a clock set back (an NTP step, a dead battery, a restored VM): its pause is written
 * after the person's, whatever the dates say, so it carries their words, joins their session and,
 * when nothing changed, is not written at all (docs/format.md, "Order"). Hook and command runs in
 * this process, on clocks the test sets.
 */
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, type Repo, withRepo } from "../../helpers.ts";
import { hookEnv, payload, snapshots } from "../hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** When the person paused: the real time of the machine, as the test has it. */
const PAUSED = new Date("2026-06-01T10:00:00.000Z");
/** The clock after it was set back: months before that pause. */
const SET_BACK = new Date("2026-01-01T12:00:00.000Z");

const WORDS = "MY WORDS: refund work half done";

async function at(repo: Repo, now: Date, ...args: string[]) {
  const out = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, now: () => now });
  assertEquals(out.code, 0, out.stderr);
  return out;
}

async function sessionEnd(repo: Repo, now: Date) {
  const env = hookEnv(repo, payload("session-end.json", repo), now);
  assertEquals(await runHook(env, "session-end"), {});
  assertEquals(env.warnings, []);
}

async function sessionStart(repo: Repo, now: Date): Promise<string> {
  const env = hookEnv(repo, payload("session-start-startup.json", repo), now);
  const result = await runHook(env, "session-start");
  return String(JSON.parse(result.stdout ?? "{}").hookSpecificOutput?.additionalContext ?? "");
}

Deno.test("SessionEnd on a clock set back carries the person's words and joins their session", async () => {
  await using repo = await withRepo();
  await at(repo, PAUSED, "pause", "-s", WORDS, "-n", "write refund tests");
  await repo.write("h", "h\n");
  await sessionEnd(repo, SET_BACK);

  const [person, auto] = (await snapshots(repo)).sort((a, b) => a.mpm.seq - b.mpm.seq);
  assertEquals(auto.paused_at, SET_BACK.toISOString());
  assertEquals(auto.conversation.summary, WORDS);
  assertEquals(auto.conversation.next_steps, ["write refund tests"]);
  assertEquals(auto.mpm.carried.from, person.session_id);
  // The person's pause had no session: the automatic one takes its id as the session's key.
  assertEquals(auto.mpm.key, person.session_id);

  // One line of work, the automatic pause its newest entry.
  const listed: Json[] = JSON.parse((await at(repo, SET_BACK, "list", "--json")).stdout);
  assertEquals(listed.map((entry) => [entry.session_id, entry.line]), [
    [auto.session_id, person.session_id],
    [person.session_id, person.session_id],
  ]);
  assertStringIncludes(
    (await at(repo, SET_BACK, "list")).stdout,
    "1 earlier snapshot of this work",
  );
  assertStringIncludes(await sessionStart(repo, SET_BACK), WORDS);
});

Deno.test("SessionEnd on a clock set back writes nothing when nothing changed", async () => {
  await using repo = await withRepo();
  await at(repo, PAUSED, "pause", "-s", WORDS);
  await sessionEnd(repo, SET_BACK);
  assertEquals((await snapshots(repo)).length, 1);
});
