/**
 * What a start hook prints so mpm's context reaches each agent's model, by agent: one definition
 * for the adapters and the ready start. Pure. All take `hookSpecificOutput.additionalContext`;
 * only Claude Code shows a `sessionTitle`, so a title alone is an answer only there.
 */
import type { AgentName } from "./agent_name.ts";

export function startAnswerOf(agent: AgentName, text: string | null, title: string): string {
  const titled = agent === "claude-code" && title !== "";
  if (text === null && !titled) return "";
  return JSON.stringify({
    hookSpecificOutput: {
      hookEventName: "SessionStart",
      ...(text === null ? {} : { additionalContext: text }),
      ...(titled ? { sessionTitle: title } : {}),
    },
  }) + "\n";
}

/** The agent `--agent` names (`claude`, `claude-code`, `codex`, `gemini`), or undefined. */
export function agentTyped(typed: string): AgentName | undefined {
  const name = typed.trim().toLowerCase();
  if (name === "claude" || name === "claude-code") return "claude-code";
  if (name === "codex") return "codex";
  if (name === "gemini") return "gemini";
  return undefined;
}
