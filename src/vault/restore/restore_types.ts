/** What a restore is asked and reports, and the path move and shell word both restores use. */
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
  /** The mpm session whose newest conversation is wanted, and how to learn its Claude sessions. */
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

/** here, you (elsewhere), a teammate, or unsealed (`elsewhere`). */
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

/** The path move to this checkout from `ran`, the folder the conversation ran in. */
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
