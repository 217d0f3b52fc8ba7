/**
 * The agent seam: what mpm knows of each coding agent behind one interface; callers never branch on
 * the agent.
 */
import type { AgentName } from "../kernel/agent_name.ts";
import type { ParseOptions } from "../claude/transcript/transcript_entries.ts";
import type { LineParser } from "../claude/transcript/transcript_reader.ts";
import type { PathMove } from "../claude/transcript/restore_lines.ts";
import type { TranscriptWhere } from "./place/place_lines.ts";
import { claudeAgent } from "./claude/agent.ts";
import { codexAgent } from "./codex/agent.ts";
import { geminiAgent } from "./gemini/agent.ts";

export type AgentId = AgentName;

/** The agent a record without an `agent` field, and `--agent` left out, mean. */
export const DEFAULT_AGENT: AgentId = "claude-code";

/** mpm's names for the moments it acts on, whatever the agent calls them. */
export type Moment = "start" | "turn-end" | "end" | "compact" | "error";

/** The `mpm hook VERB` each moment runs (src/hooks/events/hook_command.ts `HOOK_EVENTS`). */
export type HookVerb = "session-start" | "session-end" | "checkpoint" | "on-error";

/** Where an agent's hooks (and mpm's MCP registration) go: the person's, or the repository's. */
export type HookScope = "local" | "project" | "user";

/** What an adapter needs to name a file: the project, the home folder, the environment. */
export interface Where {
  root: string;
  home: string;
  vars: Readonly<Record<string, string | undefined>>;
}

/** One hook mpm installs: the agent's event, the verb it runs, its matcher and time limit. */
export interface HookEntry {
  event: string;
  verb: HookVerb;
  /** Claude Code's and Codex's `matcher`; undefined for none (every source, every tool). */
  matcher?: string;
  /** Seconds the agent gives the hook before it stops it. */
  timeoutSec: number;
}

/** A file's text edited, or why it was refused (a file that does not parse is never written). */
export type TextEdit = { ok: true; text: string } | { ok: false; reason: string };

export interface AgentHooks {
  /** The scopes `mpm hooks install --agent ID --scope` takes, the default first. */
  scopes: readonly HookScope[];
  /** The file that holds the agent's hooks at a scope. */
  file(scope: HookScope, where: Where): string;
  /** The hooks mpm installs. */
  entries: readonly HookEntry[];
  /** The installed command running `mpm hook VERB` with this agent named. */
  command(verb: HookVerb, mpm: string): string;
  /** The hook file's text with mpm's entries in, everything of the person's kept as it was. */
  install(text: string | undefined, entries: readonly HookEntry[], mpm: string): TextEdit;
  /** The text without mpm's entries: byte for byte what it was before install added them. */
  uninstall(text: string, mpm: string): TextEdit;
  /**
   * `"file"`: whatever its settings name runs (Claude Code); `"hash"`: only hooks the person's
   * config trusts, others skipped silently (Codex).
   */
  trust: "file" | "hash";
}

/** What a search can find in one transcript line: `p` prompt, `a` answer, `i` call, `o` output. */
export interface LineText {
  k: "p" | "a" | "i" | "o";
  x: string;
}

/** What a transcript's lines say of where it ran and which version of the agent wrote it. */
export interface PlaceFacts {
  cwd: string | null;
  versions: string[];
}

/** How a vaulted one-file transcript is put back where the agent finds it. */
export interface TranscriptPlace {
  /** The agent's own folder on this machine (what the write stays inside), or null: none. */
  folder(where: TranscriptWhere): string | null;
  /** The path conversation `id`'s file goes to; throws `Error` (one sentence) when it cannot. */
  target(folder: string, id: string, source: string, where: TranscriptWhere): Promise<string>;
  /** Folds one line into what the transcript says. */
  fold(facts: PlaceFacts, line: string): void;
  /** The line with the other checkout's paths moved where the agent reads a folder. */
  move(line: string, move: PathMove): string;
  /** The setting a person sets when there is no home folder ("Set HOME or CODEX_HOME."). */
  homeHint: string;
  /** What a person calls the file: "rollout", "chat". */
  noun: string;
  /** Whether its lines name the folder it ran in (and so must, to be moved to this checkout). */
  movesPaths: boolean;
}

/** How an agent's transcripts are found, read and put back; callers never ask the agent's name. */
export interface AgentTranscripts {
  /** Where this machine's agent keeps conversation `id`'s transcript, when it is there. */
  find(id: string, where: TranscriptWhere): Promise<string | null>;
  /** The vault's names for the transcript at `path`, main first, or why it is not `id`'s. */
  sources(path: string, id: string): Promise<string[] | { problem: string }>;
  /** Why `source`, recorded as file `n` of conversation `id`, is no name the agent gives. */
  sourceProblem(id: string, source: string, n: number): string | null;
  /** The parser of its lines into mpm's transcript entries. */
  parser(options?: ParseOptions): LineParser;
  /** What a search can find in one parsed line, in the line's order. */
  texts(line: Record<string, unknown>): LineText[];
  /** How a one-file copy is put back; null where restore.ts does it itself (Claude Code's). */
  place: TranscriptPlace | null;
}

export interface Agent {
  id: AgentId;
  /** As a person names it: "Claude Code", "Codex CLI". */
  name: string;
  /** The program on PATH: `claude`, `codex`. */
  program: string;
  hooks: AgentHooks;
  /** Which of mpm's moments an event of the agent's (`hook_event_name`) is, if any. */
  moment(event: string): Moment | undefined;
  /** What a start hook prints so `text` reaches the model; `title` where the agent shows one. */
  startAnswer(text: string | null, title: string): string;
  /** The texts start hooks gave the conversation at `transcript`, newest first. */
  toldContexts(transcript: string): Promise<string[]>;
  /** The command line that continues a conversation of the agent's, by its id. */
  continueCommand(conversationId: string): string;
  /** Where `mpm mcp` is registered for a scope, and under which name. */
  mcp: { file(scope: HookScope, where: Where): string; name: string };
  /** Its transcripts: found, read, indexed, put back. */
  transcripts: AgentTranscripts;
}

/** Every adapter, checked against the seam. */
export const AGENTS = {
  "claude-code": claudeAgent,
  "codex": codexAgent,
  "gemini": geminiAgent,
} satisfies Record<AgentId, Agent>;

/** The adapter of an agent. */
export function agentNamed(id: AgentId): Agent {
  return AGENTS[id];
}
