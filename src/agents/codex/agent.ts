/** The Codex CLI adapter (checked against 0.169.0). */
import { startAnswerOf } from "../../kernel/agent_start.ts";
import { basename } from "../../kernel/path.ts";
import { installHooks, textEdit, uninstallHooks } from "../../claude/settings/hooks/settings.ts";
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
import { codexHome, findRollout, rolloutNameProblem, rolloutRelPath } from "./rollout_files.ts";
import { rolloutParser } from "./rollout_reader.ts";
import { rolloutTexts } from "./rollout_index.ts";
import type { TranscriptWhere } from "../place/place_lines.ts";
import { foldRolloutFacts, moveRolloutLine, rolloutTarget } from "./rollout_place.ts";

/** Codex's events mpm acts on, as mpm's moments. */
const MOMENTS: Record<string, "start" | "turn-end" | "end" | "compact"> = {
  SessionStart: "start",
  Stop: "turn-end",
  SessionEnd: "end",
  PreCompact: "compact",
};

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
    install: (text: string | undefined) => textEdit(installHooks(text, CODEX_HOOK_ENTRIES)),
    uninstall: (text: string) => textEdit(uninstallHooks(text, CODEX_HOOK_COMMANDS)),
    trust: "hash" as const,
  },
  moment: (event: string) => MOMENTS[event],
  /** Codex takes `additionalContext` as a developer message; it knows no title. */
  startAnswer: (text: string | null, title: string) => startAnswerOf("codex", text, title),
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
  transcripts: {
    /** The rollout of `id` under `$CODEX_HOME/sessions`, newest day first, when it is there. */
    find: async (id: string, where: TranscriptWhere) => {
      const codex = codexHome(where.home, where.vars);
      return codex === null ? null : await findRollout(codex, id);
    },
    /** One file, named by its path below `$CODEX_HOME/sessions`, as Codex files it. */
    sources: (path: string, id: string) => {
      const rel = rolloutRelPath(path, id);
      return Promise.resolve(
        rel === null
          ? { problem: `${basename(path)} is not named as Codex names a rollout of ${id}` }
          : [rel],
      );
    },
    sourceProblem: (id: string, source: string, n: number) =>
      n === 0 ? rolloutNameProblem(id, source) : "a Codex rollout has no subagents' transcripts",
    parser: rolloutParser,
    texts: rolloutTexts,
    place: {
      folder: (where: TranscriptWhere) => codexHome(where.home, where.vars),
      target: (folder: string, id: string, source: string) =>
        Promise.resolve(rolloutTarget(folder, id, source)),
      fold: foldRolloutFacts,
      move: moveRolloutLine,
      homeHint: "Set HOME or CODEX_HOME.",
      noun: "rollout",
      movesPaths: true,
    },
  },
};
