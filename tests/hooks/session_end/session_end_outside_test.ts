/**
 * Only a session ends a session: the SessionEnd Claude Code fires outside a conversation
 * (`claude mcp list`, `claude plugin install`, `claude -p ""`: reason `other`, a transcript that
 * was never written) changes nothing and says nothing, and `mpm doctor` counts no transcript for
 * a lone SessionEnd sighting. The real client's runs are in
 * tests/claude_code/print_mode/claude_code_lifecycle_test.ts.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { ok, okJson, withRepo } from "../../helpers.ts";
import { hookEnv, payload, seedClaudeHome, storeContents } from "../hooks_helpers.ts";
import { runHook } from "../../../src/hooks/events/hook_command.ts";
import { recordClaudeSighting } from "../../../src/sessions/store/claude/claude_sessions_store.ts";
import { parsePayload } from "../../../src/claude/session/payload.ts";
import { projectPaths } from "../../../src/disk/paths.ts";
import { useMachineKeyFrom } from "../../../src/disk/machine_key.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const NEVER_WRITTEN = "0c0ffee0-1111-4222-8333-444455556666";

Deno.test("SessionEnd fired outside a conversation changes nothing and says nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await ok(repo, "hooks", "install");
  await Deno.writeTextFile(join(repo.path, "work.txt"), "changed\n");
  const before = await storeContents(repo.path);
  const transcript = join(repo.home, ".claude", "projects", "p", `${NEVER_WRITTEN}.jsonl`);
  // As `claude mcp list` sends it, then without a transcript path at all.
  for (
    const changes of [
      { session_id: NEVER_WRITTEN, reason: "other", transcript_path: transcript },
      { session_id: NEVER_WRITTEN, reason: "other", transcript_path: undefined },
    ]
  ) {
    const env = hookEnv(repo, payload("session-end.json", repo, changes), new Date());
    const result = await runHook(env, "session-end");
    assertEquals(result, {});
    assertEquals(env.warnings, []);
  }
  assertEquals(await storeContents(repo.path), before);
  assertEquals((await okJson(repo, "status", "--json")).active?.name, "Payments");

  // The end of a conversation, whose transcript is there, is still paused.
  await seedClaudeHome(repo);
  const env = hookEnv(repo, payload("session-end.json", repo, { reason: "other" }), new Date());
  assertEquals(await runHook(env, "session-end"), {});
  const sessions = await Array.fromAsync(Deno.readDir(join(repo.path, ".claude-mpm", "sessions")));
  assertEquals(sessions.filter((e) => e.name.endsWith(".json")).length, 1);
});

Deno.test("mpm doctor counts no gone transcript for a Claude Code run that was no conversation", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  const paths = projectPaths(repo.path);
  const sight = async (event: string, id: string, extra: Json) => {
    const parsed = parsePayload(JSON.stringify({
      session_id: id,
      transcript_path: join(repo.home, ".claude", "projects", "p", `${id}.jsonl`),
      cwd: repo.path,
      hook_event_name: event,
      ...extra,
    }));
    if (!parsed.ok) throw new Error(parsed.error);
    // Sealed with the key under this HOME, as the hook's own run seals it.
    useMachineKeyFrom({ HOME: repo.home }, repo.home);
    const key = JSON.parse(await repo.read(".claude-mpm/state.json")).active.key;
    assertEquals(await recordClaudeSighting(paths, parsed.payload, new Date()), key);
  };
  const vault = async () =>
    ((await okJson(repo, "doctor", "--json")).checks as Json[])
      .filter((c) => c.id === "vault").map((c) => c.message as string);
  // A lone SessionEnd sighting whose transcript is not there (deleted since, or a hand's line).
  await sight("SessionEnd", NEVER_WRITTEN, { reason: "other" });
  // `claude -p ""`: SessionStart is served, and its SessionEnd finds no transcript.
  await sight("SessionStart", "0c0ffee0-3333-4222-8333-444455556666", { source: "startup" });
  assertEquals(await vault(), []);
  // A conversation's transcript, seen at its start and its end, that is gone is still told.
  const gone = "0c0ffee0-2222-4222-8333-444455556666";
  await sight("SessionStart", gone, { source: "startup" });
  await sight("SessionEnd", gone, { reason: "prompt_input_exit" });
  const [told] = await vault();
  assertStringIncludes(told, "1 transcript the hooks saw was gone from Claude Code");
});
