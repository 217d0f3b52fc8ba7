/**
 * The agents whose work mpm records, as records name them: `claude-code` and `codex`. A record
 * that names none (every record written before mpm knew another agent) is Claude Code's. Pure,
 * and on the kernel floor because the snapshot record and the vault record both carry the name.
 */

export const AGENT_NAMES = ["claude-code", "codex"] as const;
export type AgentName = typeof AGENT_NAMES[number];

/** The agent a record names, Claude Code when it names none (or one this mpm does not know). */
export function agentOf(value: unknown): AgentName {
  return value === "codex" ? "codex" : "claude-code";
}

/** How a person reads the agent's name. */
export function agentLabel(agent: AgentName): string {
  return agent === "codex" ? "Codex" : "Claude Code";
}
