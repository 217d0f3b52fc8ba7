/**
 * The Gemini CLI adapter (checked against 0.61.0): its hooks, its moments, how context reaches
 * its model, how a conversation is continued, where `mpm mcp` is registered.
 */
import { installHooks, uninstallHooks } from "../../claude/settings/hooks/settings.ts";
import {
  GEMINI_HOOK_COMMANDS,
  GEMINI_HOOK_ENTRIES,
  GEMINI_SCOPES,
  geminiHookCommand,
  geminiSettingsFile,
  type GeminiVerb,
} from "./hooks.ts";

/** Gemini's events mpm acts on, as mpm's moments. */
const MOMENTS: Record<string, "start" | "turn-end" | "end" | "compact"> = {
  SessionStart: "start",
  AfterAgent: "turn-end",
  SessionEnd: "end",
  PreCompress: "compact",
};

type Edit = { ok: true; text: string } | { ok: false; reason: string };
type Where = Parameters<typeof geminiSettingsFile>[1];

function edit(result: ReturnType<typeof installHooks>): Edit {
  return result.ok ? { ok: true, text: result.text } : { ok: false, reason: result.error.message };
}

export const geminiAgent = {
  id: "gemini" as const,
  name: "Gemini CLI",
  program: "gemini",
  hooks: {
    scopes: GEMINI_SCOPES,
    file: (scope: "local" | "project" | "user", where: Where) =>
      geminiSettingsFile(scope === "project" ? "project" : "user", where),
    entries: GEMINI_HOOK_ENTRIES.map(({ event, verb, timeout }) => ({
      event,
      verb,
      // The seam counts seconds; Gemini's settings hold milliseconds.
      timeoutSec: timeout / 1000,
    })),
    command: (verb: string, _mpm: string) => geminiHookCommand(verb as GeminiVerb),
    install: (text: string | undefined) => edit(installHooks(text, GEMINI_HOOK_ENTRIES)),
    uninstall: (text: string, _mpm?: string, keep: readonly string[] = []) =>
      edit(uninstallHooks(text, GEMINI_HOOK_COMMANDS, { keep })),
    trust: "file" as const,
  },
  moment: (event: string) => MOMENTS[event],
  /**
   * Gemini takes SessionStart's `hookSpecificOutput.additionalContext` and puts it before the
   * first user message, as `<hook_context>…</hook_context>` (in the request and the chat file);
   * it knows no title, so none is sent.
   */
  startAnswer: (text: string | null, _title: string) =>
    text === null ? "" : JSON.stringify({
      hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: text },
    }) + "\n",
  toldContexts: async (transcript: string) =>
    (await import("./told.ts")).geminiHookContexts(transcript),
  continueCommand: (id: string) => `gemini -r ${id}`,
  mcp: {
    /** The same settings file as the hooks: `mcpServers.mpm`. */
    file: (scope: "local" | "project" | "user", where: Where) =>
      geminiSettingsFile(scope === "project" ? "project" : "user", where),
    name: "mpm",
  },
};
