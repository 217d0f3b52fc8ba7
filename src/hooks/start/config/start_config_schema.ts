/**
 * `.claude-mpm/config.json`'s `session_start`, as a person writes it: checked with zod, loaded
 * only when the file exists (start_config.ts holds the sources and the defaults).
 */
import * as z from "../../../kernel/zod.ts";
import {
  CONFIG_FILE,
  DEFAULT_SOURCES,
  defaultStartConfig,
  MAX_START_CHARS,
  type SessionStartConfig,
  START_SOURCES,
} from "./start_config.ts";

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

// The schema gives exactly the type start_config.ts declares.
const _gives: z.infer<Schemas["SessionStartConfigSchema"]> extends SessionStartConfig
  ? SessionStartConfig extends z.infer<Schemas["SessionStartConfigSchema"]> ? true : never
  : never = true;

/** The settings, and a one-line warning when the file was bad (then: the defaults). */
export function parseStartConfig(
  text: string,
): { config: SessionStartConfig; warning: string | null } {
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
