/**
 * Stored and git text made inert before mpm hands it to a model: anyone may have written it, so it
 * reads as data under its source's heading. No line opens a heading or tag, carries escapes,
 * control, bidi or zero-width characters, leaves a code fence open, or runs without end. Pure.
 */
import { printable } from "../format/text.ts";

/** The longest line any part keeps: a 20,000-character commit subject is cut, not its part. */
export const MAX_LINE_CHARS = 2_000;

/** Line breaks other than `\n`: CRLF, lone CR, NEL, and Unicode's line and paragraph separators. */
const BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/** `<` that could start a tag, a closing tag, a comment or a processing instruction. */
const TAG_OPEN = /<(?=[A-Za-z/!?])/g;

/** A line that is an ATX heading however it is spaced (`#` runs of any length, tab or space). */
const ATX = /^[ \t]*(#+)(?=[ \t]|$)[ \t]*(.*)$/;

/** A setext underline: it would make the line above a heading. */
const SETEXT = /^[ \t]*(?:=+|-+)[ \t]*$/;

/** A code fence line: three or more backticks or tildes. */
const FENCE = /^[ \t]*(`{3,}|~{3,})/;

/** The text without escape sequences, control, bidirectional or zero-width characters. */
function clean(text: string): string {
  return printable(text.replace(BREAKS, "\n"));
}

/** Every `<` that could open a tag, written `&lt;`. */
function untagged(line: string): string {
  return line.replace(TAG_OPEN, "&lt;");
}

/** At most `max` characters, cut with "…" (never inside a surrogate pair). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end).trimEnd() + "…";
}

/** One line of stored or git text: cleaned, tags neutralised, breaks shown as `\n`, `#` escaped. */
export function inertLine(text: string, max = MAX_LINE_CHARS): string {
  const one = clean(text).replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return cut(escapeStructure(untagged(one)), max);
}

/** A person's prose, inert: cleaned, tags neutralised, structure escaped, later lines indented. */
export function inertText(text: string, max = MAX_LINE_CHARS, indent = LATER_INDENT): string {
  const lines = clean(text).replace(/\s+$/, "").split("\n");
  const safe = lines.map((line, i) => escapeStructure(untagged(line), i > 0 ? lines[i - 1] : ""));
  return cut(indentLater(safe, indent).join("\n"), max);
}

/** How far a record's later lines sit in under the label its first line follows. */
export const LATER_INDENT = "  ";

/** `lines` after a label: every later non-empty one indented by `indent` (whose.ts says why). */
export function indentLater(lines: readonly string[], indent = LATER_INDENT): string[] {
  return lines.map((line, i) => i === 0 || line === "" ? line : indent + line);
}

/** A record's text for a terminal: cleaned, breaks made `\n`, later lines indented by `indent`. */
export function indentedText(text: string, indent = LATER_INDENT): string {
  return indentLater(clean(text).replace(/\s+$/, "").split("\n"), indent).join("\n");
}

/** A line that would be structure (heading, setext underline, fence) escaped with a backslash. */
function escapeStructure(line: string, above = ""): string {
  if (ATX.test(line) || FENCE.test(line) || (SETEXT.test(line) && above.trim() !== "")) {
    return "\\" + line.replace(/^[ \t]+/, "");
  }
  return line;
}

/** Whether a code fence is open, and the line that closes it. */
export interface FenceState {
  /** The fence's mark (```` ``` ````, `~~~~`), or null outside a code block. */
  open: string | null;
}

/** The fence state after `line` (a line that opens or closes a fence moves it). */
export function afterLine(state: FenceState, line: string): FenceState {
  const match = line.match(FENCE);
  if (state.open === null) return match ? { open: match[1] } : state;
  const mark = state.open;
  const closes = match !== null && match[1][0] === mark[0] && match[1].length >= mark.length &&
    line.trim() === match[1];
  return closes ? { open: null } : state;
}

/** Where a text's lines break: `\n`, CRLF, lone CR, NEL, Unicode's line and paragraph separators. */
const LINE_BREAK = /\r\n?|[\n\u0085\u2028\u2029]/;

export interface DocumentOptions {
  /** Levels the document's headings go down (2: under the part's own `##`). */
  depth?: number;
  /** The longest line kept. */
  maxLine?: number;
  /** At most this many characters will be shown: lines past them are only counted, unread. */
  shown?: number;
}

/** A stored document (the context file) made inert, headings `depth` levels down, fences closed. */
export function inertDocument(text: string, options: DocumentOptions = {}): string {
  const { depth = 2, maxLine = MAX_LINE_CHARS, shown = Infinity } = options;
  const breaks = new RegExp(LINE_BREAK.source, "g");
  const out: string[] = [];
  let fence: FenceState = { open: null };
  let above = "";
  let size = 0;
  let at = 0;
  while (at <= text.length) {
    // Past what can be shown the rest is only counted: kept as it is, one line per line.
    if (size > shown) return out.join("\n") + "\n" + text.slice(at).replace(breaks, "\n");
    breaks.lastIndex = at;
    const found = breaks.exec(text);
    const end = found ? found.index : text.length;
    const line = untagged(clean(text.slice(at, end)));
    const inside = fence.open !== null;
    fence = afterLine(fence, line);
    const done = cut(inside ? line : demoted(line, depth, above), maxLine);
    above = line;
    size += done.length + 1;
    out.push(done);
    at = found ? end + found[0].length : text.length + 1;
  }
  if (fence.open !== null) out.push(fence.open);
  return out.join("\n");
}

/** A heading `depth` levels down (at most level 6; deeper runs are escaped); others as they are. */
function demoted(line: string, depth: number, above: string): string {
  const atx = line.match(ATX);
  if (atx) {
    const level = atx[1].length;
    if (level > 6) return "\\" + line.replace(/^[ \t]+/, "");
    return `${"#".repeat(Math.min(level + depth, 6))} ${atx[2]}`.trimEnd();
  }
  if (SETEXT.test(line) && above.trim() !== "") return "\\" + line.replace(/^[ \t]+/, "");
  return line;
}

/**
 * The last check on a part's lines: cleaned, tags neutralised, cut, no heading over level 3
 * outside fences; mpm's own lines pass. An open fence is the caller's to close (`openFence`).
 */
export function fenceLines(
  lines: readonly string[],
  maxLine = MAX_LINE_CHARS,
  shown = Infinity,
): string[] {
  const out: string[] = [];
  let fence: FenceState = { open: null };
  let above = "";
  let size = 0;
  for (const [i, raw] of lines.entries()) {
    // Past what can be shown, lines are only counted: left as they are (see DocumentOptions).
    if (size > shown) return out.concat(lines.slice(i));
    let line = untagged(clean(raw).replace(/\n/g, " "));
    const inside = fence.open !== null;
    fence = afterLine(fence, line);
    if (!inside) {
      const atx = line.match(ATX);
      if ((atx && atx[1].length <= 2) || (SETEXT.test(line) && above.trim() !== "")) {
        line = "\\" + line.replace(/^[ \t]+/, "");
      }
    }
    above = line;
    const done = cut(line, maxLine);
    size += done.length + 1;
    out.push(done);
  }
  return out;
}

/** The mark that closes the fence left open after `lines`, or null when none is open. */
export function openFence(lines: readonly string[]): string | null {
  let fence: FenceState = { open: null };
  for (const line of lines) fence = afterLine(fence, line);
  return fence.open;
}
