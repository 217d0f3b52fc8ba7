/**
 * A transcript and commits mpm did not write reach a terminal through `mpm replay`: an escape
 * sequence or a bidirectional override in an edit's diff, a prompt or a commit subject is
 * printed as the text around it, never as a command to the terminal.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, type Repo, withRepo } from "../helpers.ts";
import { REAL, REAL_ID, retime } from "./replay_helpers.ts";

function run(repo: Repo, args: string[], stdin?: string) {
  return mpm(args, { cwd: repo.path, env: { HOME: repo.home, TZ: "UTC" }, stdin });
}

/** What a terminal would act on: C0 controls but tab and newline, DEL, C1, bidi overrides. */
// deno-lint-ignore no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** JSON's spelling of an OSC window title, a screen clear and a right-to-left override. */
const HOSTILE_JSON = "\\u001b]0;pwned\\u0007\\u001b[2J\\u202e";

Deno.test("replay prints diffs, prompts and commit subjects without their escape sequences", async () => {
  await using repo = await withRepo();
  assertEquals((await run(repo, ["start", "payments"])).code, 0);
  const transcript = join(repo.home, ".claude", "projects", "shop", `${REAL_ID}.jsonl`);
  await Deno.mkdir(join(transcript, ".."), { recursive: true });
  const start = await run(
    repo,
    ["hook", "session-start"],
    JSON.stringify({
      session_id: REAL_ID,
      transcript_path: transcript,
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    }),
  );
  assertEquals(start.code, 0, start.stderr);
  // The transcript falls after the hook's sighting, as a real one does.
  const threads = join(repo.path, ".claude-mpm", "threads");
  const [key] = [...Deno.readDirSync(threads)].map((e) => e.name);
  const sightings = await Deno.readTextFile(join(threads, key, "claude-sessions.jsonl"));
  const since = new Date(JSON.parse(sightings.trim().split("\n").at(-1)!).time);
  const text = (await Deno.readTextFile(REAL))
    .replaceAll("refunded ${amount}", `refunded${HOSTILE_JSON} \${amount}`)
    .replaceAll("Add a payment module", `Add a${HOSTILE_JSON} payment module`);
  await Deno.writeTextFile(transcript, retime(text, since, new Date()));
  await repo.commit("Ship refunds\x1b]0;owned\x07\x1b[31m red \u202eevil", {
    "src/pay.ts": "export const refund = 1;\n",
  });

  const replay = await run(repo, ["replay"]);
  assertEquals(replay.code, 0, replay.stderr);
  assertStringIncludes(replay.stdout, "Add a payment module");
  assertStringIncludes(replay.stdout, "refunded ${amount}");
  assertStringIncludes(replay.stdout, "Ship refunds red evil");
  const bad = replay.stdout.split("\n").filter((line) => CONTROLS.test(line));
  assert(bad.length === 0, JSON.stringify(bad));
});
