/**
 * A clone's `.mcp.json` server named like mpm's that the person approved: hidden while mpm's own is
 * registered, it runs once that goes (Claude Code 2.1.330).
 */
import { join } from "../../kernel/path.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { readOthersText } from "../../disk/files/shared/others_file.ts";
import { projectEntry } from "../../claude/settings/mcp/claude_json.ts";
import { approvalsIn, isMpmEntry, MCP_FILE, MCP_SERVER } from "./mcp_entry.ts";
import { jsonObject } from "./settings/settings_file.ts";

/** The longest command shown: enough to recognise it, never a screenful. */
const COMMAND_CHARS = 160;

/** The settings files of the project that can approve its `.mcp.json` servers. */
const SETTINGS = [".claude/settings.local.json", ".claude/settings.json"];

/** Where and how a file approves the project's `mpm` server, as a phrase. */
export interface Approval {
  /** The file as shown. */
  file: string;
  /** "by name (enabledMcpjsonServers)" or "with every project server (…: true)". */
  how: string;
}

/** How a file's values approve a project server named `mpm`: by name, all, both or none. Pure. */
export function approvesMpm(values: unknown): string[] {
  const { mpm, all } = approvalsIn(values);
  return [
    ...(mpm ? ["by name (enabledMcpjsonServers)"] : []),
    ...(all ? ["with every project server (enableAllProjectMcpServers: true)"] : []),
  ];
}

/** A `.mcp.json` server as the command it runs, on one line, bounded, without escapes. Pure. */
export function serverCommand(entry: unknown): string {
  const value = entry !== null && typeof entry === "object" && !Array.isArray(entry)
    ? entry as Record<string, unknown>
    : {};
  const words = typeof value.url === "string"
    ? [value.url]
    : [value.command, ...(Array.isArray(value.args) ? value.args : [])].map((word) =>
      typeof word === "string" ? word : JSON.stringify(word)
    );
  return oneLine(words.join(" "), COMMAND_CHARS) || "(no command)";
}

/** The project's `mpm` server in `.mcp.json` when it is not mpm's own command. Pure. */
export function foreignProjectServer(text: string | undefined): unknown {
  const servers = jsonObject(text)?.mcpServers as Record<string, unknown> | undefined;
  const entry = servers?.[MCP_SERVER];
  return entry === undefined || isMpmEntry(entry) ? undefined : entry;
}

/** The project's own `mpm` server and who approves it, or undefined. */
export async function approvedProjectServer(
  root: string,
  claudeEntry?: { shown: string; values: () => Promise<unknown> },
): Promise<{ command: string; approvals: Approval[] } | undefined> {
  const mcp = await readTextIfExists(join(root, MCP_FILE)).catch(() => undefined);
  const entry = foreignProjectServer(mcp);
  if (entry === undefined) return undefined;
  const approvals: Approval[] = [];
  for (const file of SETTINGS) {
    const text = await readTextIfExists(join(root, file)).catch(() => undefined);
    for (const how of approvesMpm(jsonObject(text))) approvals.push({ file, how });
  }
  if (claudeEntry !== undefined) {
    const values = await claudeEntry.values().catch(() => undefined);
    for (const how of approvesMpm(values)) {
      approvals.push({ file: `${claudeEntry.shown} (this project's entry)`, how });
    }
  }
  return approvals.length === 0 ? undefined : { command: serverCommand(entry), approvals };
}

/** What Claude Code does with the approved server, in one sentence. Pure. */
export function approvedServerSentence(
  found: { command: string; approvals: Approval[] },
  state: "registered" | "missing" | "uninstalled",
): string {
  const where = found.approvals.map(({ file, how }) => `${file} ${how}`).join(", and ");
  const head = `${MCP_FILE} names a server "${MCP_SERVER}" of its own (not mpm's command), ` +
    `approved in ${where}`;
  const runs = `\`${found.command}\``;
  if (state === "registered") {
    return `${head}: Claude Code runs mpm's own while it is registered, and runs ${runs} ` +
      `instead once mpm's registration is gone (\`mpm hooks uninstall\`, or ` +
      `\`claude mcp remove ${MCP_SERVER} -s local\`).`;
  }
  return `${head}: with mpm's own server ${
    state === "uninstalled" ? "gone" : "not registered for this project"
  }, Claude Code runs ${runs} as "${MCP_SERVER}".`;
}

/** What to do about it, for doctor and uninstall. Pure. */
export function approvedServerFix(found: { approvals: Approval[] }): string {
  const files = [...new Set(found.approvals.map((approval) => approval.file))].join(" and ");
  return `Unless you trust that command, take "${MCP_SERVER}" out of enabledMcpjsonServers ` +
    `(and enableAllProjectMcpServers) in ${files}.`;
}

/** The values of the project's entry in `~/.claude.json`, read only when asked. */
export function claudeEntryReader(
  registry: { file: string; project: string },
  shown: string,
): { shown: string; values: () => Promise<unknown> } {
  return {
    shown,
    values: async () => projectEntry((await readOthersText(registry.file))?.text, registry.project),
  };
}

/** The sentence and what to do, as install and uninstall print them. Pure. */
export function approvedServerNote(
  found: { command: string; approvals: Approval[] },
  state: "registered" | "missing" | "uninstalled",
): string {
  return `${approvedServerSentence(found, state)} ${approvedServerFix(found)}`;
}
