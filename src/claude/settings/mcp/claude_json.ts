/**
 * The local-scope MCP servers in `~/.claude.json` (the person's alone: no repository commits one),
 * edited as text keeping every other byte (pure).
 */
import { join } from "../../../kernel/path.ts";
import { asRecord } from "../../../kernel/check.ts";
import { type JsonObject, type JsonTextError, parseJsonText } from "../config/json_text.ts";
import { appendElement, lastMember, removeElement } from "../hooks/settings.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** Where Claude Code keeps its state: `$CLAUDE_CONFIG_DIR/.claude.json`, else `~/.claude.json`. */
export function claudeJsonPath(home: string, vars: Vars): string {
  const configured = vars.CLAUDE_CONFIG_DIR?.trim();
  return join(configured ? configured : home, ".claude.json");
}

/** What an edit added around the server, outermost last: what a removal may take away. */
export const ADDED_LEVELS = ["servers", "project", "projects", "file"] as const;
export type AddedLevel = typeof ADDED_LEVELS[number];

/** The edit, or why there is none (`problem`, or where the JSON is broken). */
export type Registration =
  | { text: string; added: AddedLevel[]; changed: boolean }
  | { problem: string; invalidJson?: string };

/** A project entry's servers, `.mcp.json` approvals and `disabledMcpServers`. */
export const ENTRY_KEYS: readonly string[] = [
  "mcpServers",
  "disabledMcpServers",
  "enabledMcpjsonServers",
  "disabledMcpjsonServers",
  "enableAllProjectMcpServers",
];

/** The root with only `projects[project]`'s ENTRY_KEYS built, or why it is not an object. */
function load(
  text: string,
  project: string,
): { root: JsonObject } | { invalid: JsonTextError } | { notObject: true } {
  const parsed = parseJsonText(
    text,
    (keys) =>
      keys.length === 1
        ? keys[0] === "projects"
        : keys.length === 2
        ? keys[1] === project
        : ENTRY_KEYS.includes(keys[2]),
  );
  if (!parsed.ok) return { invalid: parsed.error };
  return parsed.root.kind === "object" ? { root: parsed.root } : { notObject: true };
}

/** The project's ENTRY_KEYS values; undefined when absent or not JSON. */
export function projectEntry(
  text: string | undefined,
  project: string,
): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const loaded = load(text, project);
  if (!("root" in loaded)) return undefined;
  const projects = objectMember(loaded.root, "projects");
  const entry = projects && objectMember(projects, project);
  if (entry === undefined) return undefined;
  const values: Record<string, unknown> = {};
  for (const member of entry.members) {
    if (ENTRY_KEYS.includes(member.key)) {
      values[member.key] = JSON.parse(text.slice(member.value.start, member.value.end));
    }
  }
  return values;
}

/** Whether `/mcp` turned the server `name` off for the project (its `disabledMcpServers`). */
export function turnedOff(text: string | undefined, project: string, name: string): boolean {
  const off = projectEntry(text, project)?.disabledMcpServers;
  return Array.isArray(off) && off.includes(name);
}

/** A project's local-scope servers, as JSON values by name; undefined where there are none. */
export function localServers(
  text: string | undefined,
  project: string,
): Record<string, unknown> | undefined {
  return asRecord(projectEntry(text, project)?.mcpServers);
}

/** The text with `entry` as local server `name`; a problem when the name or shape is not free. */
export function withLocalServer(
  text: string | undefined,
  project: string,
  name: string,
  entry: unknown,
  same: (value: unknown) => boolean,
): Registration {
  const server = { [name]: entry };
  if (text === undefined || text.trim() === "") {
    const value = { projects: { [project]: { mcpServers: server } } };
    return { text: JSON.stringify(value, null, 2), added: [...ADDED_LEVELS], changed: true };
  }
  const loaded = load(text, project);
  if ("invalid" in loaded) {
    const { message, line, column } = loaded.invalid;
    const where = `${message} at line ${line}, column ${column}`;
    return { problem: `it is not valid JSON (${where})`, invalidJson: where };
  }
  if ("notObject" in loaded) return { problem: "it is not a JSON object" };
  const projects = lastMember(loaded.root, "projects");
  if (projects === undefined) {
    const value = { [project]: { mcpServers: server } };
    return {
      text: appendElement(text, loaded.root, { key: "projects", value }),
      added: ["servers", "project", "projects"],
      changed: true,
    };
  }
  if (projects.value.kind !== "object") return { problem: "its projects is not an object" };
  const entryOf = lastMember(projects.value, project);
  if (entryOf === undefined) {
    return {
      text: appendElement(text, projects.value, { key: project, value: { mcpServers: server } }),
      added: ["servers", "project"],
      changed: true,
    };
  }
  if (entryOf.value.kind !== "object") return { problem: "the project's entry is not an object" };
  const servers = lastMember(entryOf.value, "mcpServers");
  if (servers === undefined) {
    return {
      text: appendElement(text, entryOf.value, { key: "mcpServers", value: server }),
      added: ["servers"],
      changed: true,
    };
  }
  if (servers.value.kind !== "object") {
    return { problem: "the project's mcpServers is not an object" };
  }
  if (lastMember(servers.value, name) !== undefined) {
    return same(localServers(text, project)?.[name])
      ? { text, added: [], changed: false }
      : { problem: `a "${name}" server of another command is there` };
  }
  return {
    text: appendElement(text, servers.value, { key: name, value: entry }),
    added: [],
    changed: true,
  };
}

/** The text without mpm's server and what came with it; null: none, undefined: the file goes. */
export function withoutLocalServer(
  text: string | undefined,
  project: string,
  name: string,
  same: (value: unknown) => boolean,
  added: readonly AddedLevel[],
): string | undefined | null {
  if (text === undefined || !same(localServers(text, project)?.[name])) return null;
  const path = () => {
    const loaded = load(text!, project);
    if (!("root" in loaded)) return undefined;
    const projects = objectMember(loaded.root, "projects");
    const entry = projects && objectMember(projects, project);
    const servers = entry && objectMember(entry, "mcpServers");
    return { root: loaded.root, projects, entry, servers };
  };
  const dropMember = (container: JsonObject | undefined, key: string) => {
    if (container === undefined) return;
    const member = lastMember(container, key);
    if (member) text = removeElement(text!, container, container.members.indexOf(member));
  };
  const empty = (node: JsonObject | undefined) => node !== undefined && node.members.length === 0;
  dropMember(path()?.servers, name);
  if (added.includes("servers") && empty(path()?.servers)) dropMember(path()?.entry, "mcpServers");
  if (added.includes("project") && empty(path()?.entry)) dropMember(path()?.projects, project);
  if (added.includes("projects") && empty(path()?.projects)) dropMember(path()?.root, "projects");
  if (added.includes("file") && empty(path()?.root)) return undefined;
  return text;
}

function objectMember(object: JsonObject, key: string): JsonObject | undefined {
  const value = lastMember(object, key)?.value;
  return value?.kind === "object" ? value : undefined;
}
