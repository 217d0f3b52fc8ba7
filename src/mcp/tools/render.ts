/**
 * What `mpm mcp` hands the model, bounded. Every answer is text a model reads whole, so each part
 * has a cap: a search hit, a session (or handoff), and the whole answer; an answer says so when
 * one was reached, and how to ask for less. Every line passes the one check of what is shown:
 * redacted (kernel/safe_text/redact.ts), and inert (kernel/safe_text/inert.ts: no control bytes,
 * no heading, tag or fence of its own, no unbounded line), so stored text cannot pass for mpm's
 * words or for instructions of another origin. Whose words a part holds is said in the part
 * (words.ts): only this machine's sealed records are the person's. Pure.
 */
import { shown } from "../../kernel/safe_text/shown.ts";
import { cut, LATER_INDENT } from "../../kernel/safe_text/inert.ts";
import { capped } from "../../kernel/safe_text/capped.ts";
import { excerpt } from "../../search/match.ts";

/** One search hit's excerpt: enough around the match to judge it, not a whole transcript turn. */
export const MAX_HIT_CHARS = 600;

/** One session or handoff as `mpm show` prints it: its words, todos and git state, not more. */
export const MAX_SESSION_CHARS = 8_000;

/**
 * A whole answer: about 6,000 tokens, below Claude Code's own warning for a tool's output
 * (10,000 tokens) so the model gets it whole, and a few answers do not fill its context.
 */
export const MAX_ANSWER_CHARS = 24_000;

/** The longest line kept whole: a line is a hit, a todo or a step, never a document. */
const MAX_LINE_CHARS = 2_000;

/** Stored text as shown: redacted, then inert, one line, at most `max` characters. */
export function shownLine(text: string, max = MAX_LINE_CHARS): string {
  return shown(text, { as: "line", max });
}

/**
 * A rendering of mpm's (`mpm show`'s, `mpm status`'s lines) as shown: each line redacted and
 * made inert, leading indentation kept, at most `max` characters in all, cut at a line end with a
 * line that names the cap. An element of several lines (a record's text after its label) gives
 * its lines (`ownLines`).
 */
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

/**
 * One element of a rendering as lines: a record's text of several lines follows its label with
 * its later lines indented, as the renderer indented them (whose.ts `indentLater`); a later line
 * it left at the margin is indented past the element's own indentation, so that no line of a
 * record starts where mpm's own lines do. Pure.
 */
export function ownLines(element: string): string[] {
  const [first, ...later] = element.split("\n");
  const under = first.match(/^ */)![0] + LATER_INDENT;
  return [first, ...later.map((line) => line === "" || line.startsWith(" ") ? line : under + line)];
}

/**
 * The whole answer: its parts joined, cut at MAX_ANSWER_CHARS (or `max`) with a line that says
 * the cap was reached and what to ask instead.
 */
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

/**
 * A hit's excerpt as one line, the match between « »: more around it than `mpm search` prints
 * (a model reads the sentence, not a terminal row), at most MAX_HIT_CHARS.
 */
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
