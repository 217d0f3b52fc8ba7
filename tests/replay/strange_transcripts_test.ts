/**
 * Transcripts mpm did not write and cannot trust: a line nested a hundred thousand deep, and a
 * "transcript" the system will not read (/proc/self/mem). replay and summary still answer, with
 * a note, never an unexpected failure.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { mpm, type Repo, withRepo } from "../helpers.ts";

function run(repo: Repo, args: string[], stdin?: string) {
  return mpm(args, { cwd: repo.path, env: { HOME: repo.home, TZ: "UTC" }, stdin });
}

function sessionStart(repo: Repo, id: string, transcript: string) {
  return run(
    repo,
    ["hook", "session-start"],
    JSON.stringify({
      session_id: id,
      transcript_path: transcript,
      cwd: repo.path,
      hook_event_name: "SessionStart",
      source: "startup",
    }),
  );
}

Deno.test("replay and summary read past a line nested 100,000 deep and a transcript that cannot be read", async () => {
  await using repo = await withRepo();
  assertEquals((await run(repo, ["start", "work"])).code, 0);
  const at = new Date().toISOString();
  const deep = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
  const transcript = join(repo.home, "deep.jsonl");
  await Deno.writeTextFile(
    transcript,
    [
      JSON.stringify({
        type: "user",
        message: { role: "user", content: "hello there" },
        timestamp: at,
      }),
      `{"type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use",` +
      `"id":"t1","name":"Bash","input":${deep}}]},"timestamp":"${at}"}`,
      `{"type":"user","message":{"role":"user","content":[{"type":"tool_result",` +
      `"tool_use_id":"t1","content":${deep}}]},"timestamp":"${at}"}`,
      "",
    ].join("\n"),
  );
  assertEquals((await sessionStart(repo, "deep", transcript)).code, 0);
  assertEquals((await sessionStart(repo, "mem", "/proc/self/mem")).code, 0);

  for (const command of ["replay", "summary"]) {
    const result = await run(repo, [command]);
    assertEquals(result.code, 0, result.stderr);
    assertNotIncludes(result.stderr, "unexpected failure");
  }
  const replay = await run(repo, ["replay"]);
  assertStringIncludes(replay.stdout, "hello there");
  assertStringIncludes(replay.stdout, "/proc/self/mem could not be read");
});
