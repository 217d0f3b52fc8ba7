/**
 * What a start hook prints so that mpm's context reaches each agent's model, by agent: one
 * definition for the adapters (src/agents/) and for the start made ready, which answers before
 * any adapter is loaded (src/hooks/events/ready_start.ts). Pure.
 *
 * All three take `hookSpecificOutput.additionalContext`. Claude Code also shows `sessionTitle`
 * (2.1.330: the prompt box, `/resume`'s list, the terminal title), so a title alone is an answer
 * there; Codex and Gemini know no title, and nothing is printed without a text.
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

/**
 * The agent `--agent` names, as a person types it (`claude`, `claude-code`, `codex`, `gemini`),
 * or undefined.
 */
export function agentTyped(typed: string): AgentName | undefined {
  const name = typed.trim().toLowerCase();
  if (name === "claude" || name === "claude-code") return "claude-code";
  if (name === "codex") return "codex";
  if (name === "gemini") return "gemini";
  return undefined;
}
