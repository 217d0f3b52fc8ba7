/**
 * The words of the automatic pause the SessionEnd hook makes: a note that says it was automatic
 * and why the Claude Code session ended, and notes for the record. The person's own words are
 * carried forward from their last pause (sessions/store/session/build_snapshot.ts), never replaced
 * by these.
 */
import type { ContextUsage } from "../../kernel/snapshot.ts";

/**
 * Claude Code's SessionEnd `reason`, in words: every reason 2.1.330 sends (`clear`, `resume`,
 * `logout`, `prompt_input_exit`, `other`) and one earlier versions sent.
 */
const REASONS: Readonly<Record<string, string>> = {
  clear: "the conversation was cleared (/clear)",
  resume: "another conversation was resumed (/resume)",
  logout: "the user logged out",
  prompt_input_exit: "the user exited Claude Code",
  bypass_permissions_disabled: "bypass-permissions mode was turned off",
  other: "Claude Code exited",
};

/** Claude Code's reasons are short snake_case words; nothing else is named back. */
const REASON_WORD = /^[a-z_]{1,40}$/;

/**
 * The reason as mpm names it: a reason word as Claude Code sent it, or null for anything else
 * (which is never echoed: the snapshot, its renderings and the next start's text would carry it).
 */
export function reasonWord(reason: string): string | null {
  return REASON_WORD.test(reason) ? reason : null;
}

/**
 * A reason in words; one a later Claude Code adds is named as it is, its "_" read as spaces; one
 * that is no reason word is an unknown reason.
 */
export function endReason(reason: string): string {
  if (Object.hasOwn(REASONS, reason)) return REASONS[reason];
  const word = reasonWord(reason)?.replaceAll("_", " ").trim();
  return word ? `Claude Code ended it: ${word}` : UNKNOWN_REASON;
}

const UNKNOWN_REASON = "Claude Code ended it, for a reason mpm does not know";

export interface AutoPauseFacts {
  reason: string;
  claudeSessionId: string;
  taskCount: number;
  taskSource: "tasks" | "todos" | null;
  usage: ContextUsage | null;
  /** Another agent's name ("Codex CLI"), whose conversation ended; absent: Claude Code's. */
  agent?: string;
}

/**
 * mpm's own words for the snapshot: the dated note shown under the person's words (or in their
 * place when no person ever wrote any in this session).
 */
export function autoPauseSummary(facts: AutoPauseFacts): string {
  // Another agent's end says no reason mpm knows (Codex CLI's is always "other").
  if (facts.agent !== undefined) return `Auto-saved when the ${facts.agent} conversation ended.`;
  return `Auto-saved when the Claude session ended (${endReason(facts.reason)}).`;
}

export function autoPauseNotes(facts: AutoPauseFacts): string[] {
  if (facts.agent !== undefined) {
    return [
      `Paused by the SessionEnd hook of ${facts.agent} conversation ${facts.claudeSessionId}.`,
    ];
  }
  const notes = [
    `Paused by the SessionEnd hook (reason: ${reasonWord(facts.reason) ?? "unknown"}) of Claude ` +
    `session ${facts.claudeSessionId}.`,
  ];
  if (facts.taskSource !== null) {
    const from = facts.taskSource === "tasks" ? "task list" : "todo files";
    notes.push(`${facts.taskCount} task(s) taken from Claude Code's ${from}.`);
  }
  if (facts.usage) {
    const { tokens, window, percent } = facts.usage;
    notes.push(
      window === null || percent === null
        ? `Context at the end: ${tokens} tokens (Claude Code did not say the window's size).`
        : `Context window at the end: ${percent}% of ${window} tokens.`,
    );
  }
  return notes;
}
