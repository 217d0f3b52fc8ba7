/** What doctor says alike of Codex CLI and Gemini CLI: their version, a server named mpm. Pure. */
import { printable } from "../../kernel/format/text.ts";
import type { Check } from "../judges/judge.ts";

/** The version in a client's `--version` output ("codex-cli 0.169.0"), or null. */
export function versionIn(output: string): string | null {
  return output.match(/\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\b/)?.[1] ?? null;
}

/** The client's version against the releases mpm's hooks were checked with (`tested`: "0.61"). */
export function versionCheck(
  agent: { id: string; name: string; tested: string; differs: string },
  facts: { version?: string | null; versionError?: string },
  noVersion: string,
): Check {
  const { id, name, tested } = agent;
  if (facts.version === undefined) {
    return {
      id,
      status: "info",
      message: `${name} CLI: its folder is here, but ${id} is not on PATH.`,
    };
  }
  if (facts.version === null) {
    return {
      id,
      status: "warn",
      message: `${name} CLI: its version could not be read (${facts.versionError ?? noVersion}).`,
    };
  }
  if (!new RegExp(`^${tested.replace(".", "\\.")}\\.\\d+$`).test(facts.version)) {
    return {
      id,
      status: "warn",
      message: `${name} CLI ${facts.version}: mpm's ${name} hooks were checked against ` +
        `${tested}.x; another version may ${agent.differs}.`,
      fix: `Run a ${name} session, then mpm doctor again: a hook that ran left its mark in ` +
        "mpm status.",
    };
  }
  return { id, status: "ok", message: `${name} CLI ${facts.version}.` };
}

/** A server named mpm in `shown` that runs something else: `runs`, one bounded line. */
export function foreignServerCheck(id: string, name: string, shown: string, runs: string): Check {
  return {
    id: `${id}-mcp`,
    status: "warn",
    message: `${name}'s MCP server "mpm" in ${shown} is not mpm's: it runs ${
      // The person's own text: one line, nothing a terminal would act on, bounded.
      printable(runs.replace(/\s+/g, " ")).trim().slice(0, 80) || "a command mpm cannot read"}.`,
    fix:
      `Rename or remove ${id === "codex" ? "[mcp_servers.mpm]" : "mcpServers.mpm"} in ${shown}, ` +
      `then run mpm hooks install --agent ${id}.`,
  };
}
