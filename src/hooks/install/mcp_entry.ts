/**
 * `mpm hooks install` also registers `mpm mcp` with Claude Code, and `uninstall` takes it away:
 * the `mpm` server in the project's `.mcp.json` (where Claude Code 2.1.330 takes a project's
 * servers from), approved by `enabledMcpjsonServers: ["mpm"]` in the scope's settings file, so a
 * plain `claude` offers its tools without asking first (print mode never asks: an unapproved
 * project server is not started). The user scope registers nothing: Claude Code keeps a user's
 * servers in ~/.claude.json, its own state file, which mpm does not edit; the report says how.
 *
 * The entry finds mpm as the hook scripts do (MPM_BIN, then PATH, then ~/.local/bin), through
 * `sh`, so a `.mcp.json` committed for a team names no one's path. A `mpm` server that is not
 * this entry is the person's own: left as it is. A local install keeps a `.mcp.json` it creates
 * out of git (info/exclude); a project install leaves it to be committed. Uninstall removes only
 * this entry, and the file when nothing else is left in it.
 */
import { join } from "../../kernel/path.ts";
import { removeFile } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { readSettingsFile, type SettingsFile, writeSettingsFile } from "./settings_file.ts";
import {
  appendElement,
  lastMember,
  loadSettings,
  removeElement,
} from "../../claude/settings/settings.ts";
import type { JsonArray } from "../../claude/settings/json_text.ts";
import { ensureExcluded } from "../../git/run/exclude.ts";

export const MCP_SERVER = "mpm";

/** Where a project's MCP servers are, at its root. */
export const MCP_FILE = ".mcp.json";

/** The server's command: mpm found as the hooks find it, or one line on stderr. */
export const MCP_FINDER = 'for m in "${MPM_BIN:-}" "$(command -v mpm)" "$HOME/.local/bin/mpm"; ' +
  'do [ -n "$m" ] && [ -x "$m" ] && exec "$m" mcp; done; ' +
  'echo "mpm mcp: mpm is not installed (put it on PATH or set MPM_BIN)." >&2; exit 1';

export function mcpEntry(): { command: string; args: string[] } {
  return { command: "sh", args: ["-c", MCP_FINDER, "mpm-mcp"] };
}

type Json = Record<string, unknown>;

function parsed(text: string | undefined): Json | null | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

const jsonText = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

const isOurs = (entry: unknown) => JSON.stringify(entry) === JSON.stringify(mcpEntry());

/** What registering does to `.mcp.json`'s text: the new text, or why it is left alone. Pure. */
export function withMcpServer(
  text: string | undefined,
): { text: string; changed: boolean } | { problem: string } {
  const data = parsed(text);
  if (data === null) return { problem: "it is not a JSON object" };
  const servers = (data?.mcpServers ?? {}) as Json;
  if (typeof servers !== "object" || servers === null || Array.isArray(servers)) {
    return { problem: "its mcpServers is not an object" };
  }
  if (MCP_SERVER in servers) {
    return isOurs(servers[MCP_SERVER])
      ? { text: text!, changed: false }
      : { problem: `its own "${MCP_SERVER}" server is there` };
  }
  const next = { ...data, mcpServers: { ...servers, [MCP_SERVER]: mcpEntry() } };
  return { text: jsonText(next), changed: true };
}

/** `.mcp.json`'s text without mpm's entry (undefined: nothing else left, remove it). Pure. */
export function withoutMcpServer(text: string | undefined): string | undefined | null {
  const data = parsed(text);
  const servers = data?.mcpServers as Json | undefined;
  if (!data || typeof servers !== "object" || servers === null || !isOurs(servers[MCP_SERVER])) {
    return null; // nothing of mpm's to take away
  }
  const { [MCP_SERVER]: _, ...others } = servers;
  const { mcpServers: __, ...rest } = data;
  if (Object.keys(others).length === 0 && Object.keys(rest).length === 0) return undefined;
  return jsonText({ ...rest, mcpServers: others });
}

/**
 * Settings text with mpm's server approved, edited in place as the hooks are (the person's keys
 * and layout kept, so uninstall gives the file back byte for byte); unchanged when it is
 * approved already, or when the file is not a JSON object (the hooks' edit refuses it).
 */
export function withMcpApproved(text: string | undefined): string | undefined {
  const base = text === undefined || text.trim() === "" ? "{}\n" : text;
  const loaded = loadSettings(base);
  if ("error" in loaded) return text;
  const member = lastMember(loaded.root, APPROVED);
  if (member === undefined) {
    return appendElement(base, loaded.root, { key: APPROVED, value: [MCP_SERVER] });
  }
  if (member.value.kind !== "array") return text;
  if (approvalIndex(member.value) >= 0) return text;
  return appendElement(base, member.value, { value: MCP_SERVER });
}

/** Settings text without mpm's approval (the key gone when nothing else was in it). */
export function withoutMcpApproval(text: string | undefined): string | undefined {
  if (text === undefined) return text;
  const loaded = loadSettings(text);
  if ("error" in loaded) return text;
  const member = lastMember(loaded.root, APPROVED);
  if (member === undefined || member.value.kind !== "array") return text;
  const index = approvalIndex(member.value);
  if (index < 0) return text;
  return member.value.items.length > 1
    ? removeElement(text, member.value, index)
    : removeElement(text, loaded.root, loaded.root.members.indexOf(member));
}

/** Claude Code's list of approved `.mcp.json` servers. */
const APPROVED = "enabledMcpjsonServers";

function approvalIndex(list: JsonArray): number {
  return list.items.findIndex((item) => item.kind === "scalar" && item.value === MCP_SERVER);
}

/** The line the install report gives; the file is written unless `dryRun`. */
export async function registerMcpServer(
  root: string,
  paths: ProjectPaths,
  now: Date,
  dryRun: boolean,
  local: boolean,
): Promise<string> {
  const file = await readSettingsFile(join(root, MCP_FILE));
  const edit = withMcpServer(file.text);
  if ("problem" in edit) {
    return `MCP server: ${MCP_FILE} left alone (${edit.problem}); \`mpm mcp\` is not registered.`;
  }
  if (!edit.changed) return `MCP server: "${MCP_SERVER}" (\`mpm mcp\`) is in ${MCP_FILE} already.`;
  if (!dryRun) {
    // A local install keeps the file it creates out of git, as it does settings.local.json.
    if (local && file.text === undefined) await ensureExcluded(root, `/${MCP_FILE}`);
    await write(file, edit.text, paths, now);
  }
  return `MCP server: "${MCP_SERVER}" (\`mpm mcp\`) ${dryRun ? "would be added" : "added"} to ` +
    `${MCP_FILE} and approved: Claude can search mpm's records.`;
}

/** The line the uninstall report gives, or null when there was nothing of mpm's. */
export async function unregisterMcpServer(
  root: string,
  paths: ProjectPaths,
  now: Date,
  dryRun: boolean,
): Promise<string | null> {
  const file = await readSettingsFile(join(root, MCP_FILE));
  const next = withoutMcpServer(file.text);
  if (next === null) return null;
  if (!dryRun) {
    if (next === undefined) await removeFile(file.real, { root });
    else await write(file, next, paths, now);
  }
  return `MCP server: "${MCP_SERVER}" ${dryRun ? "would be " : ""}removed from ${MCP_FILE}${
    next === undefined ? ` (nothing else was in it: ${dryRun ? "it would go" : "it is gone"})` : ""
  }.`;
}

function write(file: SettingsFile, text: string, paths: ProjectPaths, now: Date) {
  return writeSettingsFile(file, text, { paths, label: "mcp", now });
}
