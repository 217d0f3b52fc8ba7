/**
 * The agents whose work mpm records, as records name them, and how a person reads each name; a
 * record that names none is Claude Code's. Pure.
 */

const LABELS = {
  "claude-code": "Claude Code",
  codex: "Codex",
  gemini: "Gemini",
} as const;

export type AgentName = keyof typeof LABELS;
export const AGENT_NAMES = Object.keys(LABELS) as readonly AgentName[];

/** The agent a record that names none means. */
const UNNAMED: AgentName = "claude-code";

/** The agent a record names, Claude Code when it names none (or one this mpm does not know). */
export function agentOf(value: unknown): AgentName {
  return typeof value === "string" && Object.hasOwn(LABELS, value) ? value as AgentName : UNNAMED;
}

/** How a person reads the agent's name. */
export function agentLabel(agent: AgentName): string {
  return LABELS[agent];
}

/** The agent's name where a person's view names it: null for Claude Code, else its label. */
export function otherAgentLabel(agent: AgentName): string | null {
  return agent === UNNAMED ? null : LABELS[agent];
}
