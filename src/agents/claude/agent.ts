/** The Claude Code adapter: a thin face over src/claude/ and src/hooks/. */
import { startAnswerOf } from "../../kernel/agent_start.ts";
import { join } from "../../kernel/path.ts";
import {
  installHooks,
  settingsPath,
  textEdit,
  uninstallHooks,
} from "../../claude/settings/hooks/settings.ts";
import { MPM_HOOK_COMMANDS, MPM_HOOK_ENTRIES } from "../../claude/settings/hooks/hook_entries.ts";
import {
  defaultTranscriptPath,
  subagentTranscripts,
} from "../../claude/transcript/transcript_files.ts";
import {
  isClaudeSessionId,
  mainTranscriptName,
  transcriptNameProblem,
} from "../../claude/transcript/transcript_names.ts";
import { type ParseOptions, TranscriptParser } from "../../claude/transcript/transcript_entries.ts";
import { claudeLineTexts } from "./transcript_texts.ts";

const MOMENTS: Record<string, "start" | "turn-end" | "end" | "compact" | "error"> = {
  SessionStart: "start",
  Stop: "turn-end",
  SessionEnd: "end",
  PreCompact: "compact",
  PostToolUseFailure: "error",
  StopFailure: "error",
};

const VERBS: Record<string, "session-start" | "session-end" | "checkpoint" | "on-error"> = {
  "pre-session": "session-start",
  "post-session": "session-end",
  "checkpoint": "checkpoint",
  "on-error": "on-error",
};

export const claudeAgent = {
  id: "claude-code" as const,
  name: "Claude Code",
  program: "claude",
  hooks: {
    scopes: ["local", "project", "user"] as const,
    file: (
      scope: "local" | "project" | "user",
      where: { root: string; home: string; vars: Readonly<Record<string, string | undefined>> },
    ) => settingsPath(scope, where.root, where.home, where.vars),
    entries: MPM_HOOK_ENTRIES.map((e) => ({
      event: e.event,
      verb: VERBS[e.script],
      ...(e.matcher === undefined ? {} : { matcher: e.matcher }),
      timeoutSec: e.timeout,
    })),
    /** The shipped script runs mpm (hooks/*.sh); the settings run the script. */
    command: (verb: string, _mpm: string) =>
      MPM_HOOK_ENTRIES.find((e) => VERBS[e.script] === verb)?.command ?? "",
    install: (text: string | undefined) => textEdit(installHooks(text, MPM_HOOK_ENTRIES)),
    uninstall: (text: string) => textEdit(uninstallHooks(text, MPM_HOOK_COMMANDS)),
    trust: "file" as const,
  },
  moment: (event: string) => MOMENTS[event],
  startAnswer: (text: string | null, title: string) => startAnswerOf("claude-code", text, title),
  /** additionalContext as attachment lines in the transcript (claude/transcript/). */
  toldContexts: async (transcript: string) =>
    (await import("../../claude/transcript/hook_contexts.ts")).hookContexts(transcript),
  continueCommand: (id: string) => `claude --resume ${id}`,
  mcp: {
    /** Claude Code's local scope: the person's own ~/.claude.json. */
    file: (_scope: string, where: { home: string }) => join(where.home, ".claude.json"),
    name: "mpm",
  },
  transcripts: {
    /** `<config>/projects/<sanitised cwd>/<id>.jsonl`; null without a home or CLAUDE_CONFIG_DIR. */
    find: (
      id: string,
      where: {
        root: string;
        home: string | undefined;
        vars: Readonly<Record<string, string | undefined>>;
      },
    ) =>
      Promise.resolve(
        (where.home === undefined && !where.vars.CLAUDE_CONFIG_DIR) || !isClaudeSessionId(id)
          ? null
          : defaultTranscriptPath(where.home ?? "", where.vars, where.root, id),
      ),
    /** The main transcript as Claude Code names it (`<id>.jsonl`), then its subagents'. */
    sources: async (path: string, id: string) => [
      mainTranscriptName(id),
      ...await subagentTranscripts(path, id),
    ],
    sourceProblem: transcriptNameProblem,
    parser: (options: ParseOptions = {}) => new TranscriptParser(options),
    texts: claudeLineTexts,
    /** Many files, its project folder, its config: restored by vault/restore/restore.ts. */
    place: null,
  },
};
