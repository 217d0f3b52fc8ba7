/**
 * What a restore is asked and what it reports (restore.ts for a Claude Code conversation,
 * restore_placed.ts for one an agent keeps in one file), and the path move and shell word both use.
 */
import { relative } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Placement } from "../../claude/transcript/restore_place.ts";
import type { PathMove } from "../../claude/transcript/restore_lines.ts";
import type { AgentName } from "../../kernel/agent_name.ts";

type Vars = Readonly<Record<string, string | undefined>>;

export interface RestoreRequest {
  /** This checkout's root, and the folder the command runs in. */
  root: string;
  cwd: string;
  paths: ProjectPaths;
  home: string | undefined;
  vars: Vars;
  /** A Claude session id (or its start), an mpm session key, or none: the newest copy. */
  selector?: string;
  /**
   * The mpm session whose newest conversation is wanted (`mpm resume --conversation`), instead
   * of a selector, and how to learn the Claude sessions its snapshots name: asked only when no
   * copy is linked to it, to point to a copy that came linked to no session.
   */
  session?: SessionRequest;
  fromTeammate: boolean;
  force: boolean;
  /** Say what would be written; write nothing. */
  dryRun?: boolean;
  /** The installed Claude Code's version (by default `claude --version`). */
  clientVersion?: () => Promise<string | null>;
  /** The run's clock, for the copy's `restored` mark. */
  now: Date;
}

/** An mpm session whose conversation is restored, by its key. */
export interface SessionRequest {
  key: string;
  claudeIds: () => Promise<readonly string[]>;
}

/**
 * Who the copy came from: this vault, the same person elsewhere, a teammate, or nobody this
 * machine knows (`elsewhere`: not sealed here — committed into the repository, or written by an
 * older mpm).
 */
export type CopyOrigin = "here" | "you" | "teammate" | "elsewhere";

export interface RestoreReport {
  id: string;
  session: string | null;
  /** `restored`: written; `already`: Claude Code has it as restored; `dry-run`. */
  status: "restored" | "already" | "dry-run";
  transcript: string;
  /** The folder to run `claude --resume` in. */
  cwd: string;
  moved: PathMove;
  /** The other machine's Claude Code folder rewritten to this one's, when it was known. */
  claude_config: PathMove | null;
  origin: CopyOrigin;
  /** The sender's git email, for a copy `mpm sync pull` brought. */
  sender: string | null;
  files: { file: string; outcome: Placement["outcome"] }[];
  client_versions: string[];
  installed_client: string | null;
  command: string;
  /** The agent the conversation is put back for, when it is not Claude Code (`codex`). */
  agent?: AgentName;
}

/** `text` as one word for a POSIX shell. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The path move from the checkout the conversation ran in to this one. The conversation ran in
 * `ran` (its first `cwd`); when this command runs in a folder below the root and `ran` ends in
 * the same folder, the other checkout's root is what comes before it and the conversation
 * continues here; otherwise `ran` was the other checkout's root.
 */
export function checkoutMove(
  ran: string,
  root: string,
  cwd: string,
): { move: PathMove; cwd: string } {
  const rel = relative(root, cwd);
  const below = rel !== "" && !rel.startsWith("..") ? rel : "";
  const trimmed = ran.replace(/\/+$/, "") || "/";
  if (below !== "" && trimmed.endsWith(`/${below}`)) {
    return { move: { from: trimmed.slice(0, -below.length - 1), to: root }, cwd };
  }
  return { move: { from: trimmed, to: root }, cwd: root };
}
