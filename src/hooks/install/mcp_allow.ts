/**
 * mpm's read-only MCP tools allowed in the local settings only: committed rules would let a clone's
 * own `mpm` server run them unasked.
 */
import {
  mcpToolRule,
  withAllowRules,
  withoutAllowRules,
} from "../../claude/settings/mcp/allow_rules.ts";
import type { SettingsScope } from "../../claude/settings/hooks/settings.ts";
import { readInstallRecord, writeInstallRecord } from "./settings/install_record.ts";
import { MCP_SERVER } from "./mcp_entry.ts";

/** The read-only tools of `mpm mcp` (a test keeps them equal to tools.ts, which sits above). */
export const READ_ONLY_TOOLS = [
  "search",
  "current_work",
  "show_session",
  "show_handoff",
  "list_recent",
  "team_work",
] as const;

/** Claude Code's rules for them. */
export const READ_ONLY_RULES: readonly string[] = READ_ONLY_TOOLS.map((tool) =>
  mcpToolRule(MCP_SERVER, tool)
);

/** The text with the read-only tools allowed, what was added, and the report's line. Pure. */
export function allowReadOnlyTools(
  text: string,
  scope: SettingsScope,
  pluginServes: boolean,
): { text: string; added: string[]; line?: string } {
  if (scope !== "local" || pluginServes) return { text, added: [] };
  const done = withAllowRules(text, READ_ONLY_RULES);
  if (done === null) {
    return {
      text,
      added: [],
      line: "MCP tools: not allowed unasked: the settings' `permissions` is not what Claude Code " +
        "reads (left as it is); Claude Code asks before each of mpm's tools.",
    };
  }
  return {
    text: done.text,
    added: done.added,
    line: `MCP tools: the read-only ones (${READ_ONLY_TOOLS.join(", ")}) run without asking ` +
      "(permissions.allow); todo_add and todo_done still ask.",
  };
}

/** Notes in the record of the scripts folder `dir` what install allowed in `file`. */
export async function noteAllowed(
  dir: string,
  file: string,
  added: readonly string[],
  root: string,
): Promise<void> {
  if (added.length === 0) return;
  const current = await readInstallRecord(dir);
  const noted = current.settings?.[file] ?? { kept: [] };
  const allowed = [...new Set([...(noted.allowed ?? []), ...added])];
  const settings = { ...current.settings, [file]: { ...noted, allowed } };
  await writeInstallRecord(dir, { ...current, settings }, root);
}

/** The text without what this machine's install allowed in `file`. */
export async function withoutAllowed(
  dir: string,
  file: string,
  text: string | undefined,
): Promise<string | undefined> {
  const added = (await readInstallRecord(dir)).settings?.[file]?.allowed ?? [];
  return text === undefined || added.length === 0 ? text : withoutAllowRules(text, added);
}
