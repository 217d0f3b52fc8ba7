/**
 * What SessionStart injects, and in which order: `session_start` in `.claude-mpm/config.json`
 * (start_config_schema.ts); a bad config is reported in one line and the defaults used. Pure.
 *
 * The sources, in the default priority order (earlier ones get room first):
 * - `session`: the last session's context (the person's words first);
 * - `handoff`: after `/clear`, the handoff Claude wrote with /mpm-handoff, once
 *   (handoff_part.ts); a list without it gets it right after `session`;
 * - `context`: the context file, or the session's partition;
 * - `commits`: the last `commits` commits (default 10);
 * - `branch`: the branch, its upstream, ahead/behind and the uncommitted counts;
 * - `summary`: the progressive summary the SessionEnd hook wrote for the session
 *   (`.claude-mpm/threads/<key>/summary.md`, as `mpm summary` prints it), low priority;
 * - `readme`: README.md's first `readme_lines` lines (not in the default list: add it);
 * - `files`: the files named in `files` (project-relative paths, e.g. docs/ARCHITECTURE.md).
 */

export const START_SOURCES = [
  "session",
  "handoff",
  "context",
  "commits",
  "branch",
  "summary",
  "readme",
  "files",
] as const;
export type StartSource = typeof START_SOURCES[number];

export const DEFAULT_SOURCES: StartSource[] = START_SOURCES.filter((s) => s !== "readme");

/** The sources in the order given, with `handoff` right after `session` when a list left it out. */
export function startSources(sources: readonly StartSource[]): StartSource[] {
  if (sources.includes("handoff")) return [...sources];
  const at = sources.indexOf("session") + 1;
  return [...sources.slice(0, at), "handoff", ...sources.slice(at)];
}

/** Claude Code's own cap on a hook's context. */
export const MAX_START_CHARS = 10_000;

export const CONFIG_FILE = ".claude-mpm/config.json";

/** `session_start` as SessionStart uses it (start_config_schema.ts checks a person's file to it). */
export interface SessionStartConfig {
  /** The parts, in priority order. */
  sources: StartSource[];
  /** The most characters told, MAX_START_CHARS at most. */
  limit: number;
  /** How many commits the commits part lists. */
  commits: number;
  /** README.md's lines the readme part tells. */
  readme_lines: number;
  /** Project-relative files the files part tells. */
  files: string[];
}

/** What the schema gives for `{}`, written out so a start without config.json loads no schema. */

export function defaultStartConfig(): SessionStartConfig {
  return {
    sources: [...DEFAULT_SOURCES],
    limit: MAX_START_CHARS,
    commits: 10,
    readme_lines: 40,
    files: [],
  };
}
