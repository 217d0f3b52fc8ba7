/**
 * Whether a SessionEnd payload is the end of a conversation mpm should record, decided before the
 * hook writes anything (hook_command.ts): only a session ends a session.
 *
 * What Claude Code 2.1.330 fires that is not one
 * (tests/claude_code/print_mode/claude_code_lifecycle_test.ts runs each): `claude mcp list`,
 * `claude mcp get NAME`, `claude plugin install P@M`, `claude -p ""`
 * (no prompt) and `claude -p … --resume UNKNOWN-ID` each fire SessionEnd with reason `other` for a
 * session id whose transcript was never written. Every conversation's SessionEnd names a
 * transcript that is there (print mode's, with reason `other`, too; even one whose every API call
 * failed).
 *
 * A conversation held in a folder that is gone: `claude --worktree NAME` left clean is removed by
 * Claude Code at `/exit` before SessionEnd runs, and SessionEnd then runs in the main tree (its
 * payload's cwd, the transcript moved into the main tree's project folder), with only
 * `$CLAUDE_PROJECT_DIR` naming the worktree (were the payload's cwd to name it, it would be gone
 * too). The worktree left nothing, so nothing is recorded:
 * never the main tree's work, which went on untouched (mpm never walks up from a missing folder).
 * When Claude Code runs the hook before it removes the folder, the folder is there and the
 * worktree's own store is paused (hook_command.ts follows `$CLAUDE_PROJECT_DIR`).
 */

/** What SessionEnd's decision reads: a few stats, made by the caller. */
export interface EndFacts {
  /** The payload's transcript path names something that is there. */
  transcriptThere: boolean;
  /** The payload's cwd is a folder that is there. */
  cwdThere: boolean;
  /** `$CLAUDE_PROJECT_DIR`, when it is absolute and another folder than the payload's cwd. */
  projectDir: string | null;
  /** That folder is there. */
  projectDirThere: boolean;
}

export type EndDecision =
  /** A conversation ended: pause where it was held. */
  | "record"
  /** Claude Code fired SessionEnd outside a conversation (a subcommand, an empty print run). */
  | "no-conversation"
  /** The folder the conversation was held in is gone, and with it all it left. */
  | "folder-gone";

export function endDecision(facts: EndFacts): EndDecision {
  if (!facts.transcriptThere) return "no-conversation";
  if (!facts.cwdThere || facts.projectDir !== null && !facts.projectDirThere) return "folder-gone";
  return "record";
}
