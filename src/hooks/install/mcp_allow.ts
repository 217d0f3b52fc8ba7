/**
 * mpm's read-only MCP tools run without a permission prompt: `mpm hooks install` allows them by
 * name in the settings it writes (`permissions.allow`, claude/settings/mcp/allow_rules.ts), and
 * uninstall takes away exactly the rules and containers it added, as its sealed record says
 * (install_record.ts `settings[file].allowed`). `todo_add` and `todo_done` write, so Claude Code
 * still asks before them.
 *
 * Only the local scope's file gets the rules: it is the person's own, beside the server mpm
 * registered for them alone (mcp_entry.ts). Rules committed in `.claude/settings.json` would
 * also let a clone's own `.mcp.json` server named `mpm` run those tools unasked, once approved.
 */
import {
  mcpToolRule,
  withAllowRules,
  withoutAllowRules,
} from "../../claude/settings/mcp/allow_rules.ts";
import type { SettingsScope } from "../../claude/settings/hooks/settings.ts";
import { readInstallRecord, writeInstallRecord } from "./settings/install_record.ts";
import { MCP_SERVER } from "./mcp_entry.ts";

/**
 * The tools of `mpm mcp` that only read (src/mcp/tools.ts `readOnly: true`; a test checks that
 * the two agree: the MCP server sits above the hooks and cannot be imported here).
 */
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

/**
 * The settings text with the read-only tools allowed where install allows them (the local scope,
 * no plugin serving its own), what it added, and the report's line (none when nothing is said).
 * Pure.
 */
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

/**
 * The settings text without the rules and containers this machine's install allowed in `file`
 * (as its record in `dir` says); the text as it is when it allowed none there.
 */
export async function withoutAllowed(
  dir: string,
  file: string,
  text: string | undefined,
): Promise<string | undefined> {
  const added = (await readInstallRecord(dir)).settings?.[file]?.allowed ?? [];
  return text === undefined || added.length === 0 ? text : withoutAllowRules(text, added);
}
