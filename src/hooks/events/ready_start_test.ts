import { assertEquals } from "../../../tests/assert.ts";
import { doorAgent, transcriptShape } from "./ready_start.ts";
import { startAnswerOf } from "../../kernel/agent_start.ts";

const ID = "01a218c7-b1bf-7d32-a4fd-37b4fa446221";

Deno.test("each agent's transcript names have one shape, whatever the conversation and the time", () => {
  assertEquals(transcriptShape(`${ID}.jsonl`, ID), "{id}.jsonl");
  const codex = "rollout-2026-11-26T16-54-30-";
  assertEquals(
    transcriptShape(`${codex}${ID}.jsonl`, ID),
    "rollout-####-##-##T##-##-##-{id}.jsonl",
  );
  assertEquals(
    transcriptShape(`session-2026-11-26T16-54-${ID.slice(0, 8)}.jsonl`, ID),
    "session-####-##-##T##-##-{id8}.jsonl",
  );
  // Another conversation's file, and an id that could name another folder, have none.
  assertEquals(transcriptShape("3f2a9c1e-7b4d-4e2a-9c1f-2b7e8d9a0c11.jsonl", ID), null);
  assertEquals(transcriptShape("../x.jsonl", "../x"), null);
});

Deno.test("the door takes `hook session-start` alone or with --agent, and nothing else", () => {
  assertEquals(doorAgent([]), "claude-code");
  assertEquals(doorAgent(["--agent", "codex"]), "codex");
  assertEquals(doorAgent(["--agent=gemini"]), "gemini");
  assertEquals(doorAgent(["--agent", "claude"]), "claude-code");
  assertEquals(doorAgent(["--agent", "vim"]), undefined);
  assertEquals(doorAgent(["--help"]), undefined);
  assertEquals(doorAgent(["--agent", "codex", "extra"]), undefined);
});

Deno.test("a start's answer takes each agent's shape: a title only where Claude Code shows one", () => {
  const claude = JSON.parse(startAnswerOf("claude-code", "ctx", "Refunds"));
  assertEquals(claude.hookSpecificOutput, {
    hookEventName: "SessionStart",
    additionalContext: "ctx",
    sessionTitle: "Refunds",
  });
  assertEquals(
    JSON.parse(startAnswerOf("codex", "ctx", "Refunds")).hookSpecificOutput,
    { hookEventName: "SessionStart", additionalContext: "ctx" },
  );
  assertEquals(startAnswerOf("gemini", null, "Refunds"), "");
  assertEquals(startAnswerOf("claude-code", null, ""), "");
});
