/**
 * `--input FILE|-`: a pause's, return's or branch's words as one YAML (or JSON) document, how the
 * /mpm-pause skill hands over Claude's words through a quoted heredoc no shell reads. YAML, not
 * JSON: Claude Code's Bash checker takes `{"` for brace-expansion obfuscation. Pure.
 */
// js-yaml, not `yaml`: it loads faster.
// @ts-types="@types/js-yaml"
import { CORE_SCHEMA, load as loadYaml, YAMLException } from "js-yaml";
import * as z from "../../kernel/zod.ts";
import { UsageError } from "../../kernel/errors.ts";

/** An --input document is small; a megabyte is far beyond any summary. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** The schemas, built on first use (src/kernel/zod.ts says why). */
function buildSchemas() {
  const Words = z.array(z.string());

  const WordsInputSchema = z.strictObject({
    summary: z.optional(z.string()),
    accomplishments: z.optional(Words),
    next_steps: z.optional(Words),
    todos: z.optional(Words),
    task: z.optional(z.string()),
  });

  return { WordsInputSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

export const inputSchemas: () => Schemas = z.builtOnce(buildSchemas);

export type WordsInput = z.infer<Schemas["WordsInputSchema"]>;
export type WordsField = keyof WordsInput;

/** The fields of `text` that `fields` allows; refused, never echoing the text (a secret?). */
export function parseWordsInput(
  text: string,
  fields: readonly WordsField[],
  command: string,
): WordsInput {
  const hint = `--input takes one YAML or JSON mapping with ${listWords(fields)}.`;
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA });
  } catch (error) {
    throw new UsageError(
      `--input is not valid YAML or JSON${errorPlace(error)}; nothing was changed.`,
      hint,
    );
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError("--input must be a YAML or JSON mapping; nothing was changed.", hint);
  }
  const unknown = Object.keys(data).find((key) => !(fields as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw new UsageError(
      `--input has a field \`${command}\` does not take: ${
        JSON.stringify(unknown.slice(0, 40))
      }; nothing was changed.`,
      hint,
    );
  }
  const parsed = inputSchemas().WordsInputSchema.safeParse(data);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "");
    const kind = field === "summary" || field === "task" ? "a string" : "a list of strings";
    throw new UsageError(
      `--input's ${JSON.stringify(field)} must be ${kind}; nothing was changed.`,
      hint,
    );
  }
  const words = parsed.data;
  const clean = (list: string[] | undefined) => list?.filter((item) => item.trim() !== "");
  return {
    ...(words.summary !== undefined ? { summary: words.summary } : {}),
    ...(words.accomplishments ? { accomplishments: clean(words.accomplishments) } : {}),
    ...(words.next_steps ? { next_steps: clean(words.next_steps) } : {}),
    ...(words.todos ? { todos: clean(words.todos) } : {}),
    ...(words.task !== undefined ? { task: words.task } : {}),
  };
}

function listWords(fields: readonly WordsField[]): string {
  const named = fields.map((field) => `"${field}"`);
  return named.length === 1 ? named[0] : `${named.slice(0, -1).join(", ")} and/or ${named.at(-1)}`;
}

/** The parser's reason and place, never the source excerpt it appends (that echoes input). */
export function errorPlace(error: unknown): string {
  if (!(error instanceof YAMLException)) return "";
  const at = error.mark;
  if (!at) return ` (${error.reason})`;
  const lines = at.buffer.replace(/\n?\0?$/, "").split("\n").length;
  const line = Math.min(at.line + 1, lines);
  const column = line === at.line + 1 ? at.column + 1 : 1;
  return ` (${error.reason}, line ${line}, column ${column})`;
}

/** One value given both in --input and by flag: the same twice is fine, two different refused. */
export function oneOf(
  fromInput: string | undefined,
  fromFlag: string | undefined,
  flag: string,
): string | undefined {
  if (fromInput !== undefined && fromFlag !== undefined && fromInput !== fromFlag) {
    throw new UsageError(
      `Give the ${flag.replace(/^--/, "")} once: in --input or with ${flag}, not both.`,
    );
  }
  return fromInput ?? fromFlag;
}
