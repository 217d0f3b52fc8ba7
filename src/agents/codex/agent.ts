/**
 * The Codex CLI adapter (checked against 0.169.0): its hooks, its moments, how context reaches
 * its model, how a conversation is continued, where `mpm mcp` is registered.
 */
import { installHooks, uninstallHooks } from "../../claude/settings/hooks/settings.ts";
import {
  CODEX_HOOK_COMMANDS,
  CODEX_HOOK_ENTRIES,
  CODEX_SCOPES,
  codexConfigFile,
  codexHookCommand,
  codexHooksFile,
  type CodexScope,
  type CodexVerb,
} from "./hooks.ts";

/** Codex's events mpm acts on, as mpm's moments. */
const MOMENTS: Record<string, "start" | "turn-end" | "end" | "compact"> = {
  SessionStart: "start",
  Stop: "turn-end",
  SessionEnd: "end",
  PreCompact: "compact",
};

type Edit = { ok: true; text: string } | { ok: false; reason: string };

function edit(result: ReturnType<typeof installHooks>): Edit {
  return result.ok ? { ok: true, text: result.text } : { ok: false, reason: result.error.message };
}

export const codexAgent = {
  id: "codex" as const,
  name: "Codex CLI",
  program: "codex",
  hooks: {
    scopes: CODEX_SCOPES,
    file: (scope: "local" | "project" | "user", where: Parameters<typeof codexHooksFile>[1]) =>
      codexHooksFile(scope === "user" ? "user" : "project" as CodexScope, where),
    entries: CODEX_HOOK_ENTRIES.map(({ event, verb, timeout }) => ({
      event,
      verb,
      timeoutSec: timeout,
    })),
    command: (verb: string, _mpm: string) => codexHookCommand(verb as CodexVerb),
    install: (text: string | undefined) => edit(installHooks(text, CODEX_HOOK_ENTRIES)),
    uninstall: (text: string) => edit(uninstallHooks(text, CODEX_HOOK_COMMANDS)),
    trust: "hash" as const,
  },
  moment: (event: string) => MOMENTS[event],
  /**
   * Codex takes SessionStart's `hookSpecificOutput.additionalContext` as a developer message
   * (plain stdout would do too); it knows no title, so none is sent.
   */
  startAnswer: (text: string | null, _title: string) =>
    text === null ? "" : JSON.stringify({
      hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text },
    }) + "\n",
  /** SessionStart's context as developer messages in the rollout (told.ts). */
  toldContexts: async (transcript: string) =>
    (await import("./told.ts")).codexHookContexts(transcript),
  continueCommand: (id: string) => `codex resume ${id}`,
  mcp: {
    /** Always the user's config.toml: a project's `.codex/config.toml` counts only when trusted. */
    file: (
      _scope: string,
      where: { home: string; vars: Readonly<Record<string, string | undefined>> },
    ) => codexConfigFile(where.home, where.vars),
    name: "mpm",
  },
};
