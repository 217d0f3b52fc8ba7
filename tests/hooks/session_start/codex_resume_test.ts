/**
 * `codex exec resume <id>` fires SessionStart again with `source: resume`, in a conversation whose
 * rollout already holds mpm's context as a developer message (Codex CLI 0.169.0's shape): mpm
 * tells only what changed since, as it does for a resumed Claude Code conversation.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, type Repo, withRepo } from "../../helpers.ts";

const SESSION = "019ac1f4-7e55-7b31-9c1a-3f2d8e6b5a10";

function rolloutPath(repo: Repo): string {
  return join(repo.home, ".codex", "sessions", "2026", "11", "26", `rollout-x-${SESSION}.jsonl`);
}

/** SessionStart as Codex runs it; the context it gives, as the model would get it. */
async function codexStart(repo: Repo, source: string, now: Date): Promise<string> {
  const run = await mpm(["hook", "session-start", "--agent", "codex"], {
    cwd: repo.path,
    env: { HOME: repo.home },
    stdin: JSON.stringify({
      session_id: SESSION,
      transcript_path: rolloutPath(repo),
      cwd: repo.path,
      hook_event_name: "SessionStart",
      model: "gpt-mock",
      source,
    }),
    now: () => now,
  });
  assertEquals(run.code, 0, run.stderr);
  return JSON.parse(run.stdout).hookSpecificOutput.additionalContext;
}

/** The rollout with the context as Codex records it: a developer message, then a turn. */
async function recordInRollout(repo: Repo, context: string): Promise<void> {
  const lines = [
    { type: "session_meta", payload: { session_id: SESSION, cwd: repo.path } },
    {
      type: "response_item",
      payload: {
        type: "message",
        role: "developer",
        content: [{ type: "input_text", text: context }],
      },
    },
    {
      type: "response_item",
      payload: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
    },
  ].map((line, ordinal) =>
    JSON.stringify({ timestamp: "2026-11-26T14:00:00.000Z", ordinal, ...line })
  );
  await Deno.mkdir(join(rolloutPath(repo), ".."), { recursive: true });
  await Deno.writeTextFile(rolloutPath(repo), lines.join("\n") + "\n");
}

Deno.test("a resumed Codex conversation is told only what changed since mpm's context in it", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
  const first = await codexStart(repo, "startup", new Date(Date.UTC(2026, 10, 26, 14, 0)));
  assertStringIncludes(first, "Ledger API half done");
  await recordInRollout(repo, first);

  // Nothing changed: one line says so, and the pause's words are not told again.
  const again = await codexStart(repo, "resume", new Date(Date.UTC(2026, 10, 26, 14, 5)));
  assertStringIncludes(again, "nothing changed since mpm's context earlier in this conversation");
  assert(!again.includes("Ledger API half done"), again);

  // A commit since: that is what is told.
  await repo.commit("Add the ledger route", { "ledger.ts": "export const route = 1;\n" });
  const later = await codexStart(repo, "resume", new Date(Date.UTC(2026, 10, 26, 14, 10)));
  assertStringIncludes(later, "Add the ledger route");
  assert(!later.includes("Wire the ledger route"), later);
});
