/**
 * Merging mpm's hooks into Claude Code's settings in place and taking them out again byte for byte
 * (pure); mpm's entries are known by their command.
 */
import { join } from "../../../kernel/path.ts";
import { claudeConfigDir } from "../config/config_dir.ts";
import {
  type JsonArray,
  type JsonMember,
  type JsonNode,
  type JsonObject,
  lineColumn,
  parseJsonText,
  withoutComments,
} from "../config/json_text.ts";

export interface HookEntry {
  event: string;
  /** A regular expression over the event's matcher field; none means every occurrence. */
  matcher?: string;
  command: string;
  /** Seconds. */
  timeout: number;
  /** Claude Code runs it in the background and does not wait for it. */
  async?: true;
}

export interface SettingsError {
  /** One sentence, for the user. */
  message: string;
  line?: number;
  column?: number;
}

export type SettingsEdit =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; error: SettingsError };

export type SettingsScope = "local" | "project" | "user";

/** An edit as the agents' seam takes it: the new text, or why it was refused. */
export function textEdit(
  result: SettingsEdit,
): { ok: true; text: string } | { ok: false; reason: string } {
  return result.ok ? { ok: true, text: result.text } : { ok: false, reason: result.error.message };
}

/** Where each scope's settings live. `env` is read for `CLAUDE_CONFIG_DIR` only. */
export function settingsPath(
  scope: SettingsScope,
  projectRoot: string,
  home: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (scope === "local") return join(projectRoot, ".claude", "settings.local.json");
  if (scope === "project") return join(projectRoot, ".claude", "settings.json");
  return join(claudeConfigDir(home, env), "settings.json");
}

const INDENT = "  ";

/** How a settings file is read: strict JSON (Claude Code's), or with comments (Gemini CLI's). */
export interface Dialect {
  comments?: boolean;
}

/** Adds each entry whose command is not already under its event. Idempotent. */
export function installHooks(
  existing: string | undefined,
  entries: readonly HookEntry[],
  dialect: Dialect = {},
): SettingsEdit {
  const original = existing === undefined || existing.trim() === "" ? "{}\n" : existing;
  let text = original;
  for (const entry of entries) {
    const loaded = load(text, dialect);
    if ("error" in loaded) return { ok: false, error: loaded.error };
    const block = hookBlock(entry);
    const hooks = lastMember(loaded.root, "hooks");
    if (hooks === undefined) {
      text = append(text, loaded.root, { key: "hooks", value: { [entry.event]: [block] } });
      continue;
    }
    if (hooks.value.kind !== "object") {
      return shapeError(text, hooks.value, '"hooks" is not an object');
    }
    const event = lastMember(hooks.value, entry.event);
    if (event === undefined) {
      text = append(text, hooks.value, { key: entry.event, value: [block] });
      continue;
    }
    if (event.value.kind !== "array") {
      return shapeError(text, event.value, `"hooks.${entry.event}" is not an array`);
    }
    if (holdsEntry(event.value, entry)) continue;
    text = append(text, event.value, { value: block });
  }
  return { ok: true, text, changed: text !== original };
}

/** Removes hooks whose command is in `commands` and what only held them, but `keep`. */
export function uninstallHooks(
  existing: string,
  commands: readonly string[],
  options: { events?: readonly string[]; keep?: readonly string[] } & Dialect = {},
): SettingsEdit {
  const wanted = new Set(commands);
  const events = options.events === undefined ? undefined : new Set(options.events);
  const keep = new Set(options.keep ?? []);
  let text = existing;
  if (text.trim() === "") return { ok: true, text, changed: false };
  for (;;) {
    const loaded = load(text, options);
    if ("error" in loaded) return { ok: false, error: loaded.error };
    const hooks = lastMember(loaded.root, "hooks");
    if (hooks === undefined || hooks.value.kind !== "object") break;
    const found = hooks.value.members.flatMap((event, eventIndex) =>
      event.value.kind === "array" && (events === undefined || events.has(event.key))
        ? findCommands(event.value, wanted).map((hit) => ({ ...hit, event, eventIndex }))
        : []
    )[0];
    if (found === undefined) {
      break;
    }
    const { blockIndex, list, hookIndex, event, eventIndex } = found;
    const blocks = event.value as JsonArray;
    if (list.items.length > 1) {
      text = remove(text, list, hookIndex);
    } else if (blocks.items.length > 1 || keep.has(`hooks.${event.key}`)) {
      text = remove(text, blocks, blockIndex);
    } else if (hooks.value.members.length > 1 || keep.has("hooks")) {
      text = remove(text, hooks.value, eventIndex);
    } else text = remove(text, loaded.root, loaded.root.members.indexOf(hooks));
  }
  return { ok: true, text, changed: text !== existing };
}

/** The person's containers of mpm's entries, read before install so uninstall keeps them. */
export function hookContainers(existing: string | undefined, events: readonly string[]): string[] {
  if (existing === undefined || existing.trim() === "") return [];
  const loaded = load(existing);
  if ("error" in loaded) return [];
  const hooks = lastMember(loaded.root, "hooks")?.value;
  if (hooks?.kind !== "object") return [];
  const lists = [...new Set(events)].filter((event) =>
    lastMember(hooks, event)?.value.kind === "array"
  );
  return ["hooks", ...lists.map((event) => `hooks.${event}`)];
}

/** The entries whose command is already under their event, or an error for a broken file. */
export function findHookEntries<T extends HookEntry>(
  existing: string | undefined,
  entries: readonly T[],
): { ok: true; found: T[] } | { ok: false; error: SettingsError } {
  if (existing === undefined || existing.trim() === "") return { ok: true, found: [] };
  const loaded = load(existing);
  if ("error" in loaded) return { ok: false, error: loaded.error };
  const hooks = lastMember(loaded.root, "hooks")?.value;
  if (hooks?.kind !== "object") return { ok: true, found: [] };
  const found = entries.filter((entry) => {
    const blocks = lastMember(hooks, entry.event)?.value;
    return blocks?.kind === "array" && findCommands(blocks, new Set([entry.command])).length > 0;
  });
  return { ok: true, found };
}

/** Whether an event's blocks hold the entry exactly as install writes it. */
function holdsEntry(blocks: JsonArray, entry: HookEntry): boolean {
  return findCommands(blocks, new Set([entry.command])).some(({ block, list, hookIndex }) => {
    const hook = list.items[hookIndex] as JsonObject;
    return sameMatcher(scalarOf(block, "matcher"), entry.matcher) &&
      (scalarOf(hook, "async") === true) === (entry.async === true);
  });
}

/** No matcher, "" and "*" all mean every occurrence to Claude Code. */
function sameMatcher(held: unknown, wanted: string | undefined): boolean {
  const every = (m: unknown) => m === undefined || m === "" || m === "*";
  return every(held) ? every(wanted) : held === wanted;
}

/** A member's value when it is a string, number or boolean; undefined otherwise. */
function scalarOf(object: JsonObject, key: string): unknown {
  const value = lastMember(object, key)?.value;
  return value?.kind === "scalar" ? value.value : undefined;
}

function hookBlock(entry: HookEntry): Record<string, unknown> {
  const hook = {
    type: "command",
    command: entry.command,
    timeout: entry.timeout,
    ...(entry.async ? { async: true } : {}),
  };
  return entry.matcher === undefined
    ? { hooks: [hook] }
    : { matcher: entry.matcher, hooks: [hook] };
}

function load(
  text: string,
  dialect: Dialect = {},
): { root: JsonObject } | { error: SettingsError } {
  const parsed = parseJsonText(dialect.comments ? withoutComments(text) : text);
  if (!parsed.ok) {
    const { message, line, column } = parsed.error;
    return {
      error: {
        message:
          `The settings file is not valid JSON: ${message} at line ${line}, column ${column}.`,
        line,
        column,
      },
    };
  }
  if (parsed.root.kind !== "object") {
    return {
      error: {
        message: "The settings file is not a JSON object.",
        ...lineColumn(text, parsed.root.start),
      },
    };
  }
  return { root: parsed.root };
}

function shapeError(text: string, node: JsonNode, what: string): SettingsEdit {
  const { line, column } = lineColumn(text, node.start);
  return {
    ok: false,
    error: {
      message: `The settings file's ${what} (line ${line}, column ${column}).`,
      line,
      column,
    },
  };
}

/** The member JSON.parse would keep: with duplicate keys, the last. */
function lastMember(object: JsonObject, key: string): JsonMember | undefined {
  return object.members.findLast((member) => member.key === key);
}

interface CommandHit {
  blockIndex: number;
  block: JsonObject;
  /** The block's `hooks` array, which holds the hook. */
  list: JsonArray;
  hookIndex: number;
}

/** Hooks in an event's blocks whose `command` is one of `commands`. */
function findCommands(blocks: JsonArray, commands: ReadonlySet<string>): CommandHit[] {
  const hits: CommandHit[] = [];
  blocks.items.forEach((block, blockIndex) => {
    if (block.kind !== "object") return;
    const list = lastMember(block, "hooks")?.value;
    if (list?.kind !== "array") return;
    list.items.forEach((hook, hookIndex) => {
      if (hook.kind !== "object") return;
      const command = lastMember(hook, "command")?.value;
      if (
        command?.kind === "scalar" && typeof command.value === "string" &&
        commands.has(command.value)
      ) {
        hits.push({ blockIndex, block, list, hookIndex });
      }
    });
  });
  return hits;
}

/** Appends a member or item after a container's last element, in its indentation. */
function append(
  text: string,
  container: JsonObject | JsonArray,
  item: { key?: string; value: unknown },
): string {
  const nl = text.includes("\r\n") ? "\r\n" : "\n";
  const elements: { start: number; end: number }[] = container.kind === "object"
    ? container.members
    : container.items;
  const prefix = item.key === undefined ? "" : `${JSON.stringify(item.key)}: `;
  const block = (indent: string) =>
    (prefix + JSON.stringify(item.value, null, INDENT)).split("\n").map((line) => indent + line)
      .join(nl);
  if (elements.length === 0) {
    const outer = lineIndent(text, container.start);
    const inside = text.slice(container.start + 1, container.end - 1);
    // A comment inside stays, after the new element.
    const inner = nl + block(outer + INDENT) +
      (withoutComments(inside) === inside ? nl + outer : inside);
    return text.slice(0, container.start + 1) + inner + text.slice(container.end - 1);
  }
  const last = elements[elements.length - 1];
  const indent = ownLineIndent(text, last.start);
  // A container written on one line gets the new element on that line too.
  const addition = indent === undefined
    ? `, ${prefix}${JSON.stringify(item.value)}`
    : `,${nl}${block(indent)}`;
  return text.slice(0, last.end) + addition + text.slice(last.end);
}

/**
 * Removes element `index`, with the comma and space that separate it from its neighbour. Where
 * that would take a comment with it, only the element, one comma and the element's own line go.
 */
function remove(text: string, container: JsonObject | JsonArray, index: number): string {
  const elements: { start: number; end: number }[] = container.kind === "object"
    ? container.members
    : container.items;
  const element = elements[index];
  const from = elements.length === 1
    ? container.start + 1
    : index === elements.length - 1
    ? elements[index - 1].end
    : element.start;
  const to = elements.length > 1 && index < elements.length - 1
    ? elements[index + 1].start
    : elements.length === 1
    ? container.end - 1
    : element.end;
  if (withoutComments(text.slice(from, to)) !== text.slice(from, to)) {
    return removeKeepingComments(text, elements, index);
  }
  if (elements.length === 1) {
    return text.slice(0, container.start + 1) + text.slice(container.end - 1);
  }
  if (index === elements.length - 1) {
    return text.slice(0, elements[index - 1].end) + text.slice(elements[index].end);
  }
  return text.slice(0, elements[index].start) + text.slice(elements[index + 1].start);
}

/** remove() where comments sit beside the element: they stay, with the text around them. */
function removeKeepingComments(
  text: string,
  elements: readonly { start: number; end: number }[],
  index: number,
): string {
  const plain = withoutComments(text);
  const element = elements[index];
  let start = element.start;
  let end = element.end;
  const cuts: [number, number][] = [];
  if (index < elements.length - 1) {
    end = plain.indexOf(",", end) + 1;
  } else if (index > 0) {
    const comma = plain.indexOf(",", elements[index - 1].end);
    cuts.push([comma, comma + 1]);
  }
  // The element alone on its line(s): the line goes with it.
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const rest = /^[ \t]*\r?\n/.exec(text.slice(end));
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && rest !== null) {
    start = lineStart;
    end += rest[0].length;
  }
  cuts.push([start, end]);
  let out = text;
  for (const [a, b] of cuts.sort((x, y) => y[0] - x[0])) out = out.slice(0, a) + out.slice(b);
  return out;
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** The in-place editing steps, for the other settings mpm writes (the status line). */
export { append as appendElement, lastMember, load as loadSettings, remove as removeElement };

/** The indentation before `offset` when nothing else precedes it on its line. */
function ownLineIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}
