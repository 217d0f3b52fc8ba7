/**
 * mpm's hooks for Codex CLI and how Codex 0.169.0 keys and hashes them: it runs a hook only when
 * config.toml trusts its hash, and skips others silently.
 */
import { join } from "../../kernel/path.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { codexHome } from "./rollout_files.ts";
import { hookLine } from "../shell/hook_line.ts";

/** The scopes Codex has hooks at: the user's, the project's. */
export const CODEX_SCOPES = ["user", "project"] as const;
export type CodexScope = typeof CODEX_SCOPES[number];

/** The hooks file of a scope. */
export function codexHooksFile(
  scope: CodexScope,
  where: { root: string; home: string; vars: Readonly<Record<string, string | undefined>> },
): string {
  return scope === "user"
    ? join(codexHome(where.home, where.vars), "hooks.json")
    : join(where.root, ".codex", "hooks.json");
}

/** The person's own config, where trust and MCP servers are recorded. */
export function codexConfigFile(
  home: string,
  vars: Readonly<Record<string, string | undefined>>,
): string {
  return join(codexHome(home, vars), "config.toml");
}

export type CodexVerb = "session-start" | "checkpoint" | "session-end";

export interface CodexHookEntry {
  /** Codex's event name in hooks.json. */
  event: "SessionStart" | "Stop" | "SessionEnd";
  verb: CodexVerb;
  /** Seconds Codex gives it (0.169.0 gives a SessionEnd hook 1 s unless told, and clamps it to 3). */
  timeout: number;
  command: string;
}

/** The verbs whose hook Codex need not wait for: nothing they print reaches the person. */
const DETACHED: readonly CodexVerb[] = ["checkpoint", "session-end"];

/** A hook's command (shell/hook_line.ts): Codex 0.169.0 kills its own async hooks, so these detach. */
export function codexHookCommand(verb: CodexVerb): string {
  return hookLine(verb, "codex", DETACHED.includes(verb) ? "background" : "in-place");
}

/** mpm's hooks for Codex: a start, a turn's end (the cheap mark), an end. */
export const CODEX_HOOK_ENTRIES: readonly CodexHookEntry[] = [
  { event: "SessionStart", verb: "session-start", timeout: 10 },
  { event: "Stop", verb: "checkpoint", timeout: 10 },
  { event: "SessionEnd", verb: "session-end", timeout: 3 },
].map((entry) => ({
  ...entry,
  command: codexHookCommand(entry.verb as CodexVerb),
})) as CodexHookEntry[];

/** Every command mpm installs for Codex (uninstall finds its own by these). */
export const CODEX_HOOK_COMMANDS: readonly string[] = CODEX_HOOK_ENTRIES.map((e) => e.command);

/** `SessionStart` → `session_start`: how Codex names an event in a hook's key and hash. */
export function eventLabel(event: string): string {
  return event.replace(/[A-Z]/g, (c, at) => (at === 0 ? "" : "_") + c.toLowerCase());
}

/** The key Codex's trust records a hook under. */
export function hookKey(file: string, event: string, group: number, handler: number): string {
  return `${file}:${eventLabel(event)}:${group}:${handler}`;
}

/** One command hook as Codex hashes it. */
export interface HookIdentity {
  event: string;
  matcher?: string;
  command: string;
  /** Seconds; Codex's default where none is given is 600 (SessionEnd: 1). */
  timeout: number;
  async?: boolean;
  statusMessage?: string;
}

/** The hash Codex's trust compares with `trusted_hash`. */
export function hookHash(hook: HookIdentity): string {
  const handler: Record<string, unknown> = {
    async: hook.async ?? false,
    command: hook.command,
    ...(hook.statusMessage === undefined ? {} : { statusMessage: hook.statusMessage }),
    timeout: hook.timeout,
    type: "command",
  };
  const identity = {
    event_name: eventLabel(hook.event),
    hooks: [handler],
    ...(hook.matcher === undefined ? {} : { matcher: hook.matcher }),
  };
  return `sha256:${sha256Hex(JSON.stringify(identity))}`;
}

/** A command hook found in a hooks file, where Codex finds it. */
export interface FoundHook extends HookIdentity {
  key: string;
  group: number;
  handler: number;
}

/** Codex's default timeout for an event's hook that names none. */
function defaultTimeout(event: string): number {
  return event === "SessionEnd" ? 1 : 600;
}

/** Every command hook in a hooks file's text (none when it does not parse), with its key. */
export function hooksIn(file: string, text: string | undefined): FoundHook[] {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    return [];
  }
  const events = (value as { hooks?: unknown } | null)?.hooks;
  if (events === null || typeof events !== "object" || Array.isArray(events)) return [];
  const found: FoundHook[] = [];
  for (const [event, groups] of Object.entries(events as Record<string, unknown>)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, g) => {
      const handlers = (group as { hooks?: unknown })?.hooks;
      const matcher = (group as { matcher?: unknown })?.matcher;
      if (!Array.isArray(handlers)) return;
      handlers.forEach((h, i) => {
        if (h?.type !== "command" || typeof h.command !== "string") return;
        found.push({
          key: hookKey(file, event, g, i),
          group: g,
          handler: i,
          event,
          command: h.command,
          timeout: typeof h.timeout === "number" ? Math.max(1, h.timeout) : defaultTimeout(event),
          ...(typeof matcher === "string" ? { matcher } : {}),
          ...(h.async === true ? { async: true } : {}),
          ...(typeof h.statusMessage === "string" ? { statusMessage: h.statusMessage } : {}),
        });
      });
    });
  }
  return found;
}

/** mpm's own hooks in a hooks file's text, with the key and hash Codex would trust. */
export function mpmHooksIn(
  file: string,
  text: string | undefined,
): { key: string; hash: string; event: string }[] {
  return hooksIn(file, text).filter((h) => CODEX_HOOK_COMMANDS.includes(h.command))
    .map((h) => ({ key: h.key, hash: hookHash(h), event: h.event }));
}

/** The hooks file a trust key names (`<file>:<event>:<group>:<handler>`). */
export function keyFile(key: string): string {
  return key.replace(/:[a-z_]+:\d+:\d+$/, "");
}

/** Whether a hook's command is mpm's, this version's or an earlier one's. */
export function isMpmCommand(command: string): boolean {
  return CODEX_HOOK_COMMANDS.includes(command) ||
    /\bhook (session-start|checkpoint|session-end) --agent codex\b/.test(command);
}
