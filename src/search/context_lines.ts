/**
 * A context file's lines as search looks in them: redacted whole first (so a multi-line secret is
 * seen whole), then cut into lines, each with the file line it begins on. Pure.
 */
import { shown } from "../kernel/safe_text/shown.ts";

/** One line of the redacted file, and the file's line (from 1) it begins on. */
export interface ShownLine {
  n: number;
  text: string;
}

/** The one redaction that takes line breaks with it: a private key block becomes one marker. */
const FOLDS_LINES = "[REDACTED:private-key]";

/** A redaction's marker, whatever its kind. */
const MARKER = /\[REDACTED:[a-z0-9-]+\]/g;

/** The file's lines, redacted as one text, each with the number of the line it begins on. */
export function shownLines(text: string): ShownLine[] {
  const lines = shown(text).split("\n");
  const numbers = lineNumbers(text.split("\n"), lines);
  return lines.map((line, k) => ({ n: numbers[k], text: line }));
}

/** For each redacted line, the original line it begins on (from 1). */
export function lineNumbers(original: readonly string[], redacted: readonly string[]): number[] {
  let left = original.length - redacted.length;
  const numbers: number[] = [];
  let at = 0;
  for (let k = 0; k < redacted.length; k++) {
    numbers.push(at + 1);
    let folded = 0;
    if (left > 0 && redacted[k].includes(FOLDS_LINES)) {
      const laterFolds = redacted.slice(k + 1).some((line) => line.includes(FOLDS_LINES));
      folded = laterFolds ? foldedBefore(original, at + 1, left, redacted[k + 1]) : left;
    }
    at += 1 + folded;
    left -= folded;
  }
  return numbers;
}

/** How many lines from `from` (at most `most`) belong to the block before `next`. */
function foldedBefore(
  original: readonly string[],
  from: number,
  most: number,
  next: string,
): number {
  const fits = leftOf(next);
  for (let j = 0; j <= most; j++) {
    if (fits.test(original[from + j] ?? "")) return j;
  }
  return 0;
}

/** What an original line can be for redaction to leave `line` of it, as a pattern. */
function leftOf(line: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let source = "^";
  let done = 0;
  for (const m of line.matchAll(MARKER)) {
    source += escape(line.slice(done, m.index));
    if (m[0] === FOLDS_LINES) return new RegExp(source + "-----BEGIN ");
    source += ".+?";
    done = m.index + m[0].length;
  }
  return new RegExp(source + escape(line.slice(done)) + "$");
}
