/**
 * mpm's hooks and MCP server in Gemini CLI 0.61.0's settings. A trusted workspace runs its
 * committed hooks unasked, so mpm installs into the user's settings. Gemini reads its settings
 * with comments allowed, and so does mpm (geminiJson): they are kept as they are.
 */
import { join } from "../../kernel/path.ts";
import { asRecord, jsonRecord } from "../../kernel/check.ts";
import {
  appendElement,
  lastMember,
  loadSettings,
  removeElement,
} from "../../claude/settings/hooks/settings.ts";
import { withoutComments } from "../../claude/settings/config/json_text.ts";
import { geminiFolder } from "./chat_files.ts";
import { hookLine } from "../shell/hook_line.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** The scopes Gemini has settings at: the user's (the default, and the safe one), the project's. */
export const GEMINI_SCOPES = ["user", "project"] as const;
export type GeminiScope = typeof GEMINI_SCOPES[number];

/** The settings file of a scope. */
export function geminiSettingsFile(
  scope: GeminiScope,
  where: { root: string; home: string; vars: Vars },
): string {
  return scope === "user"
    ? join(geminiFolder(where.home, where.vars), "settings.json")
    : join(where.root, ".gemini", "settings.json");
}

export type GeminiVerb = "session-start" | "checkpoint" | "session-end";

export interface GeminiHookEntry {
  /** Gemini's event name in settings.json. */
  event: "SessionStart" | "AfterAgent" | "SessionEnd";
  verb: GeminiVerb;
  /** Milliseconds Gemini gives it. */
  timeout: number;
  command: string;
}

/** The verbs whose hook Gemini need not wait for: nothing they print reaches the person. */
const DETACHED: readonly GeminiVerb[] = ["checkpoint", "session-end"];

/** Each hook's command (shell/hook_line.ts): a turn's end and the end in the background. */
export function geminiHookCommand(verb: GeminiVerb): string {
  return hookLine(
    verb,
    "gemini",
    DETACHED.includes(verb) ? "background, hangup ignored" : "in-place",
  );
}

/** A start, a turn's end and an end, each well above mpm's own deadline for the hook. */
export const GEMINI_HOOK_ENTRIES: readonly GeminiHookEntry[] = [
  { event: "SessionStart", verb: "session-start", timeout: 10_000 },
  { event: "AfterAgent", verb: "checkpoint", timeout: 10_000 },
  { event: "SessionEnd", verb: "session-end", timeout: 5_000 },
].map((entry) => ({
  ...entry,
  command: geminiHookCommand(entry.verb as GeminiVerb),
})) as GeminiHookEntry[];

/** Every command mpm installs for Gemini (uninstall finds its own by these). */
export const GEMINI_HOOK_COMMANDS: readonly string[] = GEMINI_HOOK_ENTRIES.map((e) => e.command);

/**
 * What an earlier mpm installed for the hooks that now detach: Gemini waited for mpm after every
 * reply and at exit. Install puts the current ones in their place; uninstall takes either.
 */
export const GEMINI_FORMER_COMMANDS: readonly string[] = DETACHED.map((verb) =>
  hookLine(verb, "gemini", "in-place")
);

/** The commands a settings object (parsed) runs for `event`. */
function commandsFor(settings: unknown, event: string): string[] {
  // deno-lint-ignore no-explicit-any
  const groups = (settings as any)?.hooks?.[event];
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group) => Array.isArray(group?.hooks) ? group.hooks : [])
    .filter((hook) => hook?.type === "command" && typeof hook.command === "string")
    .map((hook) => hook.command as string);
}

/** The events a settings object (parsed) holds mpm's hook for, in mpm's order. */
export function mpmEventsIn(settings: unknown): string[] {
  return GEMINI_HOOK_ENTRIES.filter((entry) =>
    commandsFor(settings, entry.event).includes(entry.command)
  ).map((entry) => entry.event);
}

/** The events a settings object (parsed) still holds an earlier mpm's hook for. */
export function formerEventsIn(settings: unknown): string[] {
  return GEMINI_HOOK_ENTRIES.filter((entry) =>
    commandsFor(settings, entry.event).some((command) => GEMINI_FORMER_COMMANDS.includes(command))
  ).map((entry) => entry.event);
}

/** One of Gemini's JSON files as JSON.parse takes it: its comments blanked, as Gemini reads it. */
export function geminiJson<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : withoutComments(text)) as T;
}

/** Whether a settings text holds any of mpm's hooks; an unreadable one holds none. */
export function hasMpmHooks(text: string | undefined): boolean {
  try {
    return mpmEventsIn(JSON.parse(geminiJson(text) ?? "null")).length > 0;
  } catch {
    return false;
  }
}

/** The containers of mpm's entries a settings text holds (`hooks`, `hooks.EVENT`, `mcpServers`). */
export function geminiContainers(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "") return [];
  const loaded = loadSettings(text, { comments: true });
  if ("error" in loaded) return [];
  const found: string[] = [];
  const hooks = lastMember(loaded.root, "hooks")?.value;
  if (hooks?.kind === "object") {
    found.push("hooks");
    for (const { event } of GEMINI_HOOK_ENTRIES) {
      if (lastMember(hooks, event)?.value.kind === "array") found.push(`hooks.${event}`);
    }
  }
  if (lastMember(loaded.root, "mcpServers")?.value.kind === "object") found.push("mcpServers");
  return found;
}

/** mpm's MCP server as the settings hold it. */
export interface McpServer {
  command: string;
  args: readonly string[];
}

type Edit = { ok: true; text: string } | { ok: false; reason: string };

/** Gemini's `$VAR`, `${VAR}` and `${VAR:-default}` (0.61.0's resolveEnvVarsInString). */
const ENV_REF = /\$(?:(\w+)|{([^}]+?)(?::-([^}]*))?})/g;

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` as it may read once Gemini has put the environment's values in its references. */
function resolvedForm(text: string): RegExp {
  let source = "";
  let at = 0;
  for (const ref of text.matchAll(ENV_REF)) {
    source += `${escaped(text.slice(at, ref.index))}(?:${escaped(ref[0])}|[\\s\\S]*?)`;
    at = ref.index + ref[0].length;
  }
  return new RegExp(`^${source}${escaped(text.slice(at))}$`);
}

/**
 * Whether a settings' server is `server`: as mpm wrote it, or as Gemini writes it back
 * (`gemini mcp add` saves every server of the scope with the environment's values put in).
 */
export function isServer(found: unknown, server: McpServer): boolean {
  if (JSON.stringify(found) === JSON.stringify(server)) return true;
  const given = asRecord(found);
  if (given === undefined || Object.keys(given).some((k) => k !== "command" && k !== "args")) {
    return false;
  }
  const { command, args } = given;
  return typeof command === "string" && resolvedForm(server.command).test(command) &&
    Array.isArray(args) && args.length === server.args.length &&
    args.every((arg, n) => typeof arg === "string" && resolvedForm(server.args[n]).test(arg));
}

/** The server named `name` in the settings, as a JSON value. */
export function mcpServerIn(text: string | undefined, name: string): unknown {
  return asRecord(jsonRecord(geminiJson(text ?? ""))?.mcpServers)?.[name];
}

/** The settings with `server` as `mcpServers[name]`; refused when another of that name is there. */
export function withMcpServer(text: string, name: string, server: McpServer): Edit {
  const loaded = loadSettings(text, { comments: true });
  if ("error" in loaded) return { ok: false, reason: loaded.error.message };
  const servers = lastMember(loaded.root, "mcpServers");
  if (servers === undefined) {
    return {
      ok: true,
      text: appendElement(text, loaded.root, { key: "mcpServers", value: { [name]: server } }),
    };
  }
  if (servers.value.kind !== "object") {
    return { ok: false, reason: "Its mcpServers is not an object." };
  }
  if (lastMember(servers.value, name) !== undefined) {
    return isServer(mcpServerIn(text, name), server)
      ? { ok: true, text }
      : { ok: false, reason: `It has an MCP server called "${name}" of its own.` };
  }
  return { ok: true, text: appendElement(text, servers.value, { key: name, value: server }) };
}

/** The settings without mpm's server, and without an emptied `mcpServers` not `keep`'s. */
export function withoutMcpServer(
  text: string,
  name: string,
  server: McpServer,
  keep: readonly string[],
): string {
  if (!isServer(mcpServerIn(text, name), server)) return text;
  const loaded = loadSettings(text, { comments: true });
  if ("error" in loaded) return text;
  const servers = lastMember(loaded.root, "mcpServers")!;
  if (servers.value.kind !== "object") return text;
  const members = servers.value.members;
  const index = members.findLastIndex((m) => m.key === name);
  if (members.length > 1 || keep.includes("mcpServers")) {
    return removeElement(text, servers.value, index);
  }
  return removeElement(text, loaded.root, loaded.root.members.indexOf(servers));
}

/** mpm's policy: its read-only MCP tools run unasked (else `gemini -p` offers none). */
export const MPM_POLICY = [
  "# mpm's MCP server: its read-only tools run without a question (mpm hooks uninstall --agent",
  "# gemini removes this file).",
  "[[rule]]",
  'toolName = "*"',
  'mcpName = "mpm"',
  "toolAnnotations = { readOnlyHint = true }",
  'decision = "allow"',
  "priority = 100",
  "",
].join("\n");

/** Where mpm's policy goes: the user's policies folder. */
export function geminiPolicyFile(home: string, vars: Vars): string {
  return join(geminiFolder(home, vars), "policies", "mpm.toml");
}
