/**
 * What `mpm mcp` hands the model: bounded, redacted and inert, so stored text cannot pass for
 * another origin's. Pure.
 */
import { shown } from "../../kernel/safe_text/shown.ts";
import { cut, LATER_INDENT } from "../../kernel/safe_text/inert.ts";
import { capped } from "../../kernel/safe_text/capped.ts";
import { excerpt } from "../../search/match.ts";

/** One search hit's excerpt: enough around the match to judge it, not a whole transcript turn. */
export const MAX_HIT_CHARS = 600;

/** One session or handoff as `mpm show` prints it: its words, todos and git state, not more. */
export const MAX_SESSION_CHARS = 8_000;

/** About 6,000 tokens: below Claude Code's 10,000-token tool output warning. */
export const MAX_ANSWER_CHARS = 24_000;

/** The longest line kept whole: a line is a hit, a todo or a step, never a document. */
const MAX_LINE_CHARS = 2_000;

/** Stored text as shown: redacted, then inert, one line, at most `max` characters. */
export function shownLine(text: string, max = MAX_LINE_CHARS): string {
  return shown(text, { as: "line", max });
}

/** mpm's rendered lines redacted and inert, cut at `max` with a line naming the cap. */
export function shownBlock(lines: readonly string[], max: number, what: string): string {
  const text = lines.flatMap(ownLines).map((line) => {
    const indent = line.match(/^ */)![0];
    return indent + shownLine(line.slice(indent.length));
  }).join("\n").trimEnd();
  return capped(
    text,
    max,
    (left) => `(cut: ${what} is longer than ${max} characters; ${left} more were left out.)`,
  );
}

/** One element as lines, later ones indented so no record line starts where mpm's do. Pure. */
export function ownLines(element: string): string[] {
  const [first, ...later] = element.split("\n");
  const under = first.match(/^ */)![0] + LATER_INDENT;
  return [first, ...later.map((line) => line === "" || line.startsWith(" ") ? line : under + line)];
}

/** The parts joined, cut at `max` with a line saying what to ask instead. */
export function answer(parts: readonly string[], narrower: string, max = MAX_ANSWER_CHARS): string {
  const text = parts.filter((part) => part !== "").join("\n\n");
  return capped(
    text,
    max,
    (left) =>
      `(cut: this answer reached its cap of ${max} characters; ${left} more were left out. ` +
      `${narrower})`,
  );
}

/** A hit's excerpt as one line, the match between « », at most MAX_HIT_CHARS. */
export function shownExcerpt(text: string, match: [number, number]): string {
  const ex = excerpt(text, match, EXCERPT_CONTEXT);
  const [start, end] = ex.match;
  const marked = `${ex.text.slice(0, start)}«${ex.text.slice(start, end)}»${ex.text.slice(end)}`;
  return shownLine(marked, MAX_HIT_CHARS);
}

/** Characters kept on each side of a match. */
const EXCERPT_CONTEXT = 220;

/** A one-sentence error as the model sees it: its first line, made inert, not too long. */
export function errorLine(text: string): string {
  return cut(shownLine(text.split("\n")[0]), 400);
}
