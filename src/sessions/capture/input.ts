/**
 * `--input FILE|-`: the words of a pause, a return or a branch as one YAML or JSON document (JSON
 * is YAML), from a file or standard input. It is how the /mpm-pause skill hands over what Claude
 * wrote: a quoted heredoc carries the document to mpm untouched, so quotes, `$(…)`, backquotes
 * and line breaks in the words are never seen by a shell. The skills write YAML with
 * double-quoted strings rather than JSON because Claude Code's Bash checker takes a `{` followed
 * by a quote for brace-expansion obfuscation and asks the user, whatever the skill allows
 * (measured with Claude Code 2.1.330). Pure: text in, words out (input_read.ts reads).
 */
// js-yaml, not `yaml`: a fifth of the load time (docs/speed.md).
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

/**
 * The fields of `text` that `fields` allows, blank list items dropped. Refuses, naming the
 * problem but never echoing the text (it may hold a secret): text that is not JSON, a field the
 * command does not take, a value of the wrong type.
 */
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

/**
 * " (duplicated mapping key, line 2, column 1)": the parser's reason and place, never the
 * excerpt of the source it appends (that would echo the input). js-yaml counts a missing end
 * as the line after the last; the place names the last line there is.
 */
export function errorPlace(error: unknown): string {
  if (!(error instanceof YAMLException)) return "";
  const at = error.mark;
  if (!at) return ` (${error.reason})`;
  const lines = at.buffer.replace(/\n?\0?$/, "").split("\n").length;
  const line = Math.min(at.line + 1, lines);
  const column = line === at.line + 1 ? at.column + 1 : 1;
  return ` (${error.reason}, line ${line}, column ${column})`;
}

/**
 * One value given both in --input and by its flag: the same text twice is fine, two different
 * texts are refused rather than one silently winning.
 */
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
