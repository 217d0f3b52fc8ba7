/**
 * What SessionStart injects, and in which order: `session_start` in `.claude-mpm/config.json`,
 * validated with zod. A config that is not JSON or breaks the schema is reported (one line) and
 * the defaults are used: a hook never fails because of it. Pure: text in, settings out.
 *
 * The sources, in the default priority order (earlier ones get room first):
 * - `session`: the last session's context (the person's words first), as SessionStart gave it
 *   before context files existed;
 * - `handoff`: after `/clear` (or at a `startup` within a few hours of it), the handoff Claude
 *   wrote with /mpm-handoff for this session, once (hooks/start/handoff_part.ts). A list
 *   without it still gets it, right after `session`: the person asked for it, and a config
 *   written before handoffs existed must not drop it;
 * - `context`: the context file, or the session's partition;
 * - `commits`: the last `commits` commits (default 10);
 * - `branch`: the branch, its upstream, ahead/behind and the uncommitted counts;
 * - `summary`: the progressive summary the SessionEnd hook wrote for the session
 *   (`.claude-mpm/threads/<key>/summary.md`, as `mpm summary` prints it), low priority;
 * - `readme`: README.md's first `readme_lines` lines (not in the default list: add it);
 * - `files`: the files named in `files` (project-relative paths, e.g. docs/ARCHITECTURE.md).
 */
import * as z from "../../kernel/zod.ts";

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

export const DEFAULT_SOURCES: StartSource[] = [
  "session",
  "handoff",
  "context",
  "commits",
  "branch",
  "summary",
  "files",
];

/** The sources in the order given, with `handoff` right after `session` when a list left it out. */
export function startSources(sources: readonly StartSource[]): StartSource[] {
  if (sources.includes("handoff")) return [...sources];
  const at = sources.indexOf("session") + 1;
  return [...sources.slice(0, at), "handoff", ...sources.slice(at)];
}

/** Claude Code's own cap on a hook's context. */
export const MAX_START_CHARS = 10_000;

/** The schemas, built on first use (src/kernel/zod.ts says why). */
function buildSchemas() {
  const SessionStartConfigSchema = z.strictObject({
    sources: z._default(
      z.array(z.enum(START_SOURCES)).check(
        z.refine((list) => new Set(list).size === list.length, "a source is listed twice"),
      ),
      DEFAULT_SOURCES,
    ),
    limit: z._default(z.int().check(z.minimum(1_000), z.maximum(MAX_START_CHARS)), MAX_START_CHARS),
    commits: z._default(z.int().check(z.minimum(1), z.maximum(50)), 10),
    readme_lines: z._default(z.int().check(z.minimum(1), z.maximum(1_000)), 40),
    files: z._default(
      z.array(z.string().check(z.minLength(1), z.maxLength(500))).check(z.maxLength(20)),
      [],
    ),
  });

  /** The whole file: other keys belong to other features (or later versions) and are kept. */
  const ConfigFileSchema = z.looseObject({
    session_start: z.optional(SessionStartConfigSchema),
  });

  return {
    SessionStartConfigSchema,
    ConfigFileSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;

export const startConfigSchemas: () => Schemas = z.builtOnce(buildSchemas);

export type SessionStartConfig = z.infer<Schemas["SessionStartConfigSchema"]>;

export const CONFIG_FILE = ".claude-mpm/config.json";

/**
 * What the schema gives for `{}`, written out: most projects have no config.json, and a
 * SessionStart need not build the schema to read nothing. The tests check it is what the schema
 * gives.
 */
export function defaultStartConfig(): SessionStartConfig {
  return {
    sources: [...DEFAULT_SOURCES],
    limit: MAX_START_CHARS,
    commits: 10,
    readme_lines: 40,
    files: [],
  };
}

/** The settings, and a one-line warning when the file was bad (then: the defaults). */
export function parseStartConfig(
  text: string | undefined,
): { config: SessionStartConfig; warning: string | null } {
  if (text === undefined) return { config: defaultStartConfig(), warning: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return bad("it is not valid JSON");
  }
  const parsed = startConfigSchemas().ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(`${issue.path.join(".") || "the top level"}: ${issue.message}`);
  }
  return { config: parsed.data.session_start ?? defaultStartConfig(), warning: null };
}

function bad(why: string) {
  return {
    config: defaultStartConfig(),
    warning: `${CONFIG_FILE} was not used (${why}); SessionStart used its defaults.`,
  };
}
