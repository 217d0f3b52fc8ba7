/** The Gemini CLI adapter (checked against 0.61.0). */
import { startAnswerOf } from "../../kernel/agent_start.ts";
import {
  installHooks,
  type SettingsEdit,
  textEdit,
  uninstallHooks,
} from "../../claude/settings/hooks/settings.ts";
import {
  GEMINI_FORMER_COMMANDS,
  GEMINI_HOOK_COMMANDS,
  GEMINI_HOOK_ENTRIES,
  GEMINI_SCOPES,
  geminiHookCommand,
  geminiSettingsFile,
  type GeminiVerb,
} from "./hooks.ts";
import type { ParseOptions } from "../../claude/transcript/transcript_entries.ts";
import type { TranscriptWhere } from "../place/place_lines.ts";
import { ChatParser, chatTexts } from "./chat_entries.ts";
import {
  chatNameProblem,
  chatSources,
  chatTarget,
  findChat,
  foldChatFacts,
  geminiFolder,
  moveChatLine,
} from "./chat_files.ts";

/** Gemini's events mpm acts on, as mpm's moments. */
const MOMENTS: Record<string, "start" | "turn-end" | "end" | "compact"> = {
  SessionStart: "start",
  AfterAgent: "turn-end",
  SessionEnd: "end",
  PreCompress: "compact",
};

type Where = Parameters<typeof geminiSettingsFile>[1];

/** Every command of mpm's, an earlier mpm's included. */
const OURS = [...GEMINI_HOOK_COMMANDS, ...GEMINI_FORMER_COMMANDS];

/** mpm's hooks added, in place of an earlier mpm's: those go, every container staying. */
function installOver(text: string | undefined): SettingsEdit {
  const keep = ["hooks", ...GEMINI_HOOK_ENTRIES.map((entry) => `hooks.${entry.event}`)];
  const former = text === undefined
    ? undefined
    : uninstallHooks(text, GEMINI_FORMER_COMMANDS, { keep, comments: true });
  if (former !== undefined && !former.ok) return former;
  return installHooks(former?.text ?? text, GEMINI_HOOK_ENTRIES, { comments: true });
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
    install: (text: string | undefined) => textEdit(installOver(text)),
    uninstall: (text: string, _mpm?: string, keep: readonly string[] = []) =>
      textEdit(uninstallHooks(text, OURS, { keep, comments: true })),
    trust: "file" as const,
  },
  moment: (event: string) => MOMENTS[event],
  /** Gemini puts `additionalContext` before the first prompt as `<hook_context>`; no title. */
  startAnswer: (text: string | null, title: string) => startAnswerOf("gemini", text, title),
  toldContexts: async (transcript: string) =>
    (await import("./told.ts")).geminiHookContexts(transcript),
  continueCommand: (id: string) => `gemini -r ${id}`,
  mcp: {
    /** The same settings file as the hooks: `mcpServers.mpm`. */
    file: (scope: "local" | "project" | "user", where: Where) =>
      geminiSettingsFile(scope === "project" ? "project" : "user", where),
    name: "mpm",
  },
  transcripts: {
    /** The chat of `id` under `<gemini>/tmp/*\/chats`, when it is there. */
    find: async (id: string, where: TranscriptWhere) => {
      const gemini = geminiFolder(where.home, where.vars);
      return gemini === null ? null : await findChat(gemini, id);
    },
    /** One file, named by its file name: its folder is the project's, wherever it is restored. */
    sources: (path: string, id: string) => Promise.resolve(chatSources(path, id)),
    sourceProblem: chatNameProblem,
    parser: (options: ParseOptions = {}) => new ChatParser(options),
    texts: chatTexts,
    place: {
      folder: (where: TranscriptWhere) => geminiFolder(where.home, where.vars),
      target: (folder: string, id: string, source: string, where: TranscriptWhere) =>
        chatTarget(folder, id, source, where.root),
      fold: foldChatFacts,
      move: moveChatLine,
      homeHint: "Set HOME or GEMINI_CLI_HOME.",
      noun: "chat",
      movesPaths: false,
    },
  },
};
