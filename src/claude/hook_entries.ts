/**
 * Which Claude Code events run which of mpm's hook scripts, and which Claude Code version first
 * knew each event. DESIGN.md's table, as data for `mpm hooks install`.
 */
import type { HookEntry } from "./settings.ts";

export const HOOK_SCRIPTS = ["pre-session", "post-session", "checkpoint", "on-error"] as const;
export type HookScript = typeof HOOK_SCRIPTS[number];

export interface MpmHookEntry extends HookEntry {
  script: HookScript;
  /** How `mpm hooks list` names the matcher, where the pattern itself says little. */
  matcherLabel?: string;
}

/**
 * The command Claude Code runs: quoted, so a project path with spaces works, and relative to
 * `$CLAUDE_PROJECT_DIR`, so the settings carry no machine-specific path. This exact string is
 * how mpm recognises its own entries; change it and uninstall no longer finds old installs.
 */
export function hookCommand(script: HookScript): string {
  return `"$CLAUDE_PROJECT_DIR"/.claude-mpm/hooks/${script}.sh`;
}

/**
 * SessionEnd's matcher is the reason the session ended. When Claude Code exits (every reason
 * but `clear` and `resume`), the automatic pause runs in the background: Claude Code does not
 * wait for it, which takes a whole `mpm` process off every exit (issue 17: ~100 ms of a
 * one-prompt `claude -p`). The pattern is a regular expression, so a reason a later Claude Code
 * adds is paused too. 2.1.330 runs an `async` hook to its end after exiting; a Claude Code older
 * than `async` (2.1.19) ignores the key and waits, as it always did.
 */
export const SESSION_END_EXIT_MATCHER = "^(?!(clear|resume)$)";

/**
 * Timeouts are ceilings in seconds, not expectations: each `mpm hook` call takes well under a
 * second. SessionEnd is short because Claude Code is exiting; PreCompact writes a checkpoint of
 * the whole session and gets the most room.
 */
export const MPM_HOOK_ENTRIES: readonly MpmHookEntry[] = [
  {
    script: "pre-session",
    event: "SessionStart",
    // One block: the matcher is a regular expression over the start's `source`. Every source
    // Claude Code sends: a missed one (`fork`, from `--fork-session`) starts with stale context.
    matcher: "startup|resume|clear|compact|fork",
    command: hookCommand("pre-session"),
    timeout: 10,
  },
  {
    // `/clear` and `/resume` end one conversation and start the next in the same Claude Code:
    // the next SessionStart must find this pause, so Claude Code waits for it.
    script: "post-session",
    event: "SessionEnd",
    matcher: "clear|resume",
    command: hookCommand("post-session"),
    timeout: 5,
  },
  {
    script: "post-session",
    event: "SessionEnd",
    matcher: SESSION_END_EXIT_MATCHER,
    matcherLabel: "any other reason, in the background",
    command: hookCommand("post-session"),
    timeout: 5,
    async: true,
  },
  {
    script: "checkpoint",
    event: "PreCompact",
    matcher: "manual|auto",
    command: hookCommand("checkpoint"),
    timeout: 30,
  },
  { script: "checkpoint", event: "Stop", command: hookCommand("checkpoint"), timeout: 10 },
  {
    script: "on-error",
    event: "PostToolUseFailure",
    command: hookCommand("on-error"),
    timeout: 10,
  },
  { script: "on-error", event: "StopFailure", command: hookCommand("on-error"), timeout: 10 },
];

/** Every command mpm has ever installed, for uninstall. */
export const MPM_HOOK_COMMANDS: readonly string[] = HOOK_SCRIPTS.map(hookCommand);

/**
 * The first Claude Code release that fires each event; an older one may reject settings that
 * name an event it does not know, so install leaves those out. Sources: the Claude Code
 * changelog for SessionEnd (1.0.85) and StopFailure (2.1.78). PostToolUseFailure's release is
 * not named in the changelog entries we could check; third-party hook kits used it by December
 * 2025 (the 2.0 series), so 2.1.0 is an assumed, conservative floor. Events missing here
 * (SessionStart, PreCompact, Stop) predate every version mpm supports.
 */
export const EVENT_MIN_VERSION: Readonly<Record<string, string>> = {
  SessionEnd: "1.0.85",
  PostToolUseFailure: "2.1.0",
  StopFailure: "2.1.78",
};

/** The version in `claude --version` output ("2.1.3 (Claude Code)"), or null. */
export function parseClaudeVersion(text: string): string | null {
  return /\b(\d+\.\d+(?:\.\d+)?)\b/.exec(text)?.[1] ?? null;
}

/**
 * The entries the given Claude Code version can run. With no version known (Claude Code not on
 * PATH, say) every entry is kept: the user is most likely on a current release.
 */
export function filterEventsForVersion<T extends { event: string }>(
  entries: readonly T[],
  claudeVersion: string | null,
): T[] {
  if (claudeVersion === null) return [...entries];
  return entries.filter((entry) => {
    const since = EVENT_MIN_VERSION[entry.event];
    return since === undefined || compareVersions(claudeVersion, since) >= 0;
  });
}

/** Numeric, part by part ("2.1.10" > "2.1.9"); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((part) => parseInt(part, 10) || 0);
  const pb = b.split(".").map((part) => parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
