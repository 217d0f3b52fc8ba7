/**
 * What SessionStart injects, put together within a limit (10,000 characters: Claude Code's own
 * cap on hook context). Parts come in priority order: each earlier part gets room first, but
 * room for every later part's heading and cut note is kept back, so no part disappears without
 * a trace. A part that does not fit whole is cut at a line end and ends with
 * "(truncated: N more lines in FILE)". Pure: parts in, text out.
 */
import { redact } from "../kernel/redact.ts";

export interface ContextPart {
  /** The heading the part goes under ("Context file"). */
  title: string;
  /** Where it came from, named in the heading and in a cut note (`.claude/context.md`). */
  source: string;
  text: string;
}

export const CONTEXT_LIMIT = 10_000;

const SEPARATOR = "\n\n";

function heading(part: ContextPart): string {
  return `## ${part.title} (${part.source})`;
}

export function truncationNote(more: number, source: string): string {
  return `(truncated: ${more} more lines in ${source})`;
}

/**
 * What SessionStart gives a new session from a context file (`shown`: its path in the project),
 * within `limit` characters and redacted like every text mpm hands on; "" for an empty file.
 */
export function contextInjection(shown: string, body: string, limit = CONTEXT_LIMIT): string {
  return assembleContext([{ title: "Context file", source: shown, text: redact(body) }], limit);
}

/** The part's lines: CRLF read as LF, trailing blank lines dropped. */
function linesOf(text: string): string[] {
  const body = text.replace(/\r\n/g, "\n").replace(/\s+$/, "");
  return body === "" ? [] : body.split("\n");
}

function render(part: ContextPart, lines: string[], more: number): string {
  const out = [heading(part), ...lines];
  if (more > 0) out.push(truncationNote(more, part.source));
  return out.join("\n");
}

/** The least a part can take: the whole of it when that is short, else its heading and note. */
function least(part: ContextPart): number {
  const lines = linesOf(part.text);
  return Math.min(render(part, lines, 0).length, render(part, [], lines.length).length);
}

/**
 * The parts, in order, within `limit` characters. A part too large for what is left keeps as
 * many of its first lines as fit; one that cannot even keep its heading and note is left out.
 */
export function assembleContext(given: ContextPart[], limit = CONTEXT_LIMIT): string {
  // An empty part would be a heading over nothing.
  const parts = given.filter((part) => linesOf(part.text).length > 0);
  const pieces: string[] = [];
  let used = 0;
  parts.forEach((part, i) => {
    const sep = pieces.length > 0 ? SEPARATOR.length : 0;
    const reserve = parts.slice(i + 1).reduce((sum, p) => sum + least(p) + SEPARATOR.length, 0);
    const room = limit - used - sep - reserve;
    const lines = linesOf(part.text);
    let piece = render(part, lines, 0);
    if (piece.length > room) {
      const kept = linesThatFit(part, lines, room);
      if (kept === undefined) return;
      piece = render(part, lines.slice(0, kept), lines.length - kept);
    }
    pieces.push(piece);
    used += sep + piece.length;
  });
  return pieces.join(SEPARATOR);
}

/**
 * How many first lines of a part that does not fit whole fit in `room` with its heading and
 * cut note (counted as they grow, so a 1 MB part costs one pass); undefined when not even the
 * heading and note do.
 */
function linesThatFit(part: ContextPart, lines: string[], room: number): number | undefined {
  const size = (kept: number, body: number) =>
    heading(part).length + body + 1 + truncationNote(lines.length - kept, part.source).length;
  if (lines.length === 0 || size(0, 0) > room) return undefined;
  let kept = 0;
  let body = 0;
  while (kept < lines.length - 1 && size(kept + 1, body + 1 + lines[kept].length) <= room) {
    body += 1 + lines[kept].length;
    kept++;
  }
  return kept;
}
