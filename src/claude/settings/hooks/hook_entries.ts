/**
 * Which Claude Code events run which hook scripts, and since which version. The user settings run
 * only the user's own scripts, never a repository's.
 */
import { isAbsolute, join, relative, sep } from "../../../kernel/path.ts";
import type { HookEntry } from "./settings.ts";

export const HOOK_SCRIPTS = ["pre-session", "post-session", "checkpoint", "on-error"] as const;
export type HookScript = typeof HOOK_SCRIPTS[number];

export interface MpmHookEntry extends HookEntry {
  script: HookScript;
  /** How `mpm hooks list` names the matcher, where the pattern itself says little. */
  matcherLabel?: string;
}

/**
 * The settings' command: the repository root's script, silent where none; this exact string is
 * how mpm knows its entries.
 */
export function hookCommand(script: HookScript | "statusline"): string {
  const file = `.claude-mpm/hooks/${script}.sh`;
  return `sh -c '${walkToRoot(file)}${mainTreeOf(file)}${
    script === "pre-session" ? TELL_MISSING : ""
  }exit 0'`;
}

/** Up to the root in `$d` and the script there only: a sub-folder's committed copy never runs. */
function walkToRoot(file: string): string {
  return `s=\${CLAUDE_PROJECT_DIR:-$PWD}; d=$s; while :; do if [ -e "$d/.git" ]; then break; fi; ` +
    `if [ "$d" = "\${d%/*}" ]; then d=$s; break; fi; d=\${d%/*}; done; ` +
    `if [ -x "$d/${file}" ]; then exec "$d/${file}"; fi; `;
}

/** In a linked worktree, the main tree's script (from `.git`'s `gitdir:`); else nowhere. */
function mainTreeOf(file: string): string {
  return `if [ -f "$d/.git" ]; then g=; read -r g 2>/dev/null <"$d/.git"; g=\${g#gitdir: }; ` +
    `case $g in /*) ;; *) g=$d/$g ;; esac; case $g in */.git/worktrees/?*) ` +
    `m=\${g%/.git/worktrees/*}; if [ -x "$m/${file}" ]; then exec "$m/${file}"; fi ;; esac; fi; `;
}

/** What SessionStart says where mpm is there but its scripts are not (no quotes: shell text). */
export const MISSING_SCRIPTS =
  "mpm hooks are wired in this project but not installed here: run mpm hooks install at its root.";
/** What SessionStart says where mpm is not installed (no quotes: shell text). */
export const MISSING_MPM = "mpm hooks do nothing here: the mpm program is not installed. " +
  "Install it with curl -fsSLO https://github.com/mpm-dev/mpm/releases/latest/download/install.sh " +
  "&& sh install.sh, then run mpm hooks install.";

/** SessionStart's note where no script is found, once per machine and project. */
const TELL_MISSING = '[ -n "${XDG_CACHE_HOME:-}${HOME:-}" ] || exit 0; ' +
  't=${XDG_CACHE_HOME:-$HOME/.cache}/mpm/told-missing-$(printf %s "$d" | cksum | cut -d" " -f1); ' +
  '[ ! -e "$t" ] || exit 0; (umask 077 && mkdir -p "${t%/*}" && : >"$t") 2>/dev/null || exit 0; ' +
  'if command -v "${MPM_BIN:-mpm}" >/dev/null 2>&1 || [ -x "$HOME/.local/bin/mpm" ]; then ' +
  `m="${MISSING_SCRIPTS}"; else m="${MISSING_MPM}"; fi; ` +
  'printf "{\\"systemMessage\\": \\"%s\\"}\\n" "$m"; ';

/** The user's own scripts folder: `<Claude config dir>/mpm/hooks`. */
export function userHooksDir(configDir: string): string {
  return join(configDir, "mpm", "hooks");
}

/** Characters a path may hold and still be written unquoted after `"$HOME"/`. */
const PLAIN_PATH = /^[A-Za-z0-9._/-]+$/;

/** The user settings' command: `"$HOME"/…` under home (dotfiles), else the quoted absolute path. */
export function userHookCommand(dir: string, home: string | undefined, script: HookScript): string {
  const file = join(dir, `${script}.sh`);
  const rel = home === undefined ? undefined : relative(home, file);
  if (rel && !rel.startsWith("..") && !isAbsolute(rel)) {
    const posix = rel.split(sep).join("/");
    if (PLAIN_PATH.test(posix)) return `"$HOME"/${posix}`;
  }
  return `'${file.replaceAll("'", `'\\''`)}'`;
}

/** On every exit but `clear` and `resume`, SessionEnd's pause runs `async` (not waited for). */
export const SESSION_END_EXIT_MATCHER = "^(?!(clear|resume)$)";

/** Timeouts are ceilings in seconds, not expectations. */
const HOOK_TABLE: readonly Omit<MpmHookEntry, "command">[] = [
  {
    script: "pre-session",
    event: "SessionStart",
    // Every `source` Claude Code sends: a missed one (`fork`) starts with stale context.
    matcher: "startup|resume|clear|compact|fork",
    timeout: 10,
  },
  {
    // `/clear` and `/resume` start the next conversation at once: it must find this pause.
    script: "post-session",
    event: "SessionEnd",
    matcher: "clear|resume",
    timeout: 5,
  },
  {
    script: "post-session",
    event: "SessionEnd",
    matcher: SESSION_END_EXIT_MATCHER,
    matcherLabel: "any other reason, in the background",
    timeout: 5,
    async: true,
  },
  {
    script: "checkpoint",
    event: "PreCompact",
    matcher: "manual|auto",
    timeout: 30,
  },
  { script: "checkpoint", event: "Stop", timeout: 10 },
  {
    script: "on-error",
    event: "PostToolUseFailure",
    timeout: 10,
  },
  { script: "on-error", event: "StopFailure", timeout: 10 },
];

/** The entries, each running the command `command` gives for its script. */
export function hookEntries(command: (script: HookScript) => string): MpmHookEntry[] {
  return HOOK_TABLE.map((entry) => ({ ...entry, command: command(entry.script) }));
}

/** The local and project settings' entries: the project's scripts. */
export const MPM_HOOK_ENTRIES: readonly MpmHookEntry[] = hookEntries(hookCommand);

/** The user settings' entries: the scripts in the user's folder `dir` (userHooksDir). */
export function userHookEntries(dir: string, home: string | undefined): MpmHookEntry[] {
  return hookEntries((script) => userHookCommand(dir, home, script));
}

/** Every project-script command mpm installs, for uninstall. */
export const MPM_HOOK_COMMANDS: readonly string[] = HOOK_SCRIPTS.map(hookCommand);

/**
 * The first Claude Code release firing each event (older ones may reject it); PostToolUseFailure's
 * is assumed.
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

/** The entries the given Claude Code version can run; all of them when the version is unknown. */
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
