/**
 * `mpm handoff save --input FILE|-`: Claude's handoff as one YAML or JSON mapping (as
 * capture/input.ts says why). Pure; errors never echo the text, which may hold a secret.
 */
// @ts-types="@types/js-yaml"
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import * as z from "../../kernel/zod.ts";
import { UsageError } from "../../kernel/errors.ts";
import { errorPlace } from "../capture/input.ts";
import { HANDOFF_MAX_CHARS, type HandoffWords } from "../store/records/handoff/claude_record.ts";

/** The most input `save` reads: longer than a handoff keeps (it is cut), but bounded. */
export const MAX_HANDOFF_INPUT_BYTES = 256 * 1024;

export const HANDOFF_FIELDS = [
  "focus",
  "goal",
  "state",
  "decisions",
  "tried",
  "files",
  "next_step",
  "open_questions",
] as const;

const TEXT_FIELDS = new Set(["focus", "goal", "state", "next_step"]);

function buildSchemas() {
  const Texts = z.optional(z.array(z.string()));
  const HandoffInputSchema = z.strictObject({
    focus: z.optional(z.nullable(z.string())),
    goal: z.optional(z.string()),
    state: z.optional(z.string()),
    decisions: Texts,
    tried: Texts,
    files: Texts,
    next_step: z.optional(z.string()),
    open_questions: Texts,
  });
  return { HandoffInputSchema };
}

const schemas = z.builtOnce(buildSchemas);

export interface HandoffInput {
  words: HandoffWords;
  /** The person's focus, as Claude passed it on (null: none). */
  focus: string | null;
}

const HINT = "--input takes one YAML or JSON mapping: goal, state, decisions, tried, files, " +
  "next_step, open_questions (and the user's focus); goal and next_step are required.";

function refuse(why: string): never {
  throw new UsageError(`${why}; nothing was saved.`, HINT);
}

export function parseHandoffInput(text: string): HandoffInput {
  if (text.trim() === "") {
    refuse("--input is empty: a handoff needs at least its goal and next step");
  }
  let data: unknown;
  try {
    data = loadYaml(text, { schema: CORE_SCHEMA });
  } catch (error) {
    refuse(`--input is not valid YAML or JSON${errorPlace(error)}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    refuse("--input must be a YAML or JSON mapping");
  }
  const unknown = Object.keys(data).find((k) => !(HANDOFF_FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    refuse(`--input has a field a handoff does not take: ${JSON.stringify(unknown.slice(0, 40))}`);
  }
  const parsed = schemas().HandoffInputSchema.safeParse(data);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "");
    refuse(
      `--input's ${JSON.stringify(field)} must be ${
        TEXT_FIELDS.has(field) ? "a string" : "a list of strings"
      }`,
    );
  }
  const given = parsed.data;
  const list = (items: string[] | undefined) =>
    (items ?? []).map((item) => item.trim()).filter((item) => item !== "");
  const words: HandoffWords = {
    goal: given.goal?.trim() ?? "",
    state: given.state?.trim() ?? "",
    decisions: list(given.decisions),
    tried: list(given.tried),
    files: list(given.files),
    next_step: given.next_step?.trim() ?? "",
    open_questions: list(given.open_questions),
  };
  if (words.goal === "") refuse('--input has no "goal": the handoff must say what the work is for');
  if (words.next_step === "") {
    refuse('--input has no "next_step": the handoff must say exactly what to do next');
  }
  return { words, focus: given.focus?.trim() ? given.focus.trim() : null };
}

/** The one sentence for input over MAX_HANDOFF_INPUT_BYTES. */
export function tooLong(): UsageError {
  return new UsageError(
    `--input is larger than ${MAX_HANDOFF_INPUT_BYTES} bytes, far beyond a handoff ` +
      `(${HANDOFF_MAX_CHARS} characters); nothing was saved.`,
    "Write the handoff shorter: what the next conversation needs, not the whole conversation.",
  );
}
