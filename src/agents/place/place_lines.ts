/** What putting back a one-file transcript (Codex's, Gemini's) shares: the refusal, moved lines. */
import { isRecord } from "../../kernel/check.ts";
import { type PathMove, relocateText } from "../../claude/transcript/restore_lines.ts";

/** Where an agent's transcripts are looked for: the checkout, the home folder (if any), the env. */
export interface TranscriptWhere {
  root: string;
  home: string | undefined;
  vars: Readonly<Record<string, string | undefined>>;
}

/** Thrown when a transcript cannot be put back: one sentence and what to do. */
export class TranscriptPlaceError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

/** Refuses a vaulted name the agent never gives (`problem`): the copy may have been altered. */
export function refuseName(problem: string | null): void {
  if (problem === null) return;
  throw new TranscriptPlaceError(
    `The vault's copy is not put back: ${problem}.`,
    "Run `mpm doctor`; a copy someone else made may have been altered.",
  );
}

/** Every string in `value`, at most `levels` deep below it, with the paths moved. */
export function moveAll(value: unknown, move: PathMove, levels: number): unknown {
  if (typeof value === "string") return relocateText(value, { paths: [move], names: [] });
  if (levels < 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => moveAll(v, move, levels - 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, moveAll(v, move, levels - 1)]),
  );
}

/** A JSON object line as `change` makes it; any other line, or one left equal, byte for byte. */
export function changedLine(
  line: string,
  change: (value: Record<string, unknown>) => Record<string, unknown>,
): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isRecord(value)) return line;
  const changed = JSON.stringify(change(value));
  return changed === JSON.stringify(value) ? line : changed;
}
