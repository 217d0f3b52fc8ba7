/**
 * What SessionStart injects, within Claude Code's 10,000-character cap: parts in priority order,
 * room kept for every later part's heading and cut note, so none vanishes without a trace. No line
 * inside a part can pass for a heading (inert.ts `fenceLines`) or leave a fence open. Pure.
 */
import { shown as shownText } from "../../kernel/safe_text/shown.ts";
import {
  afterLine,
  fenceLines,
  type FenceState,
  inertLine,
  openFence,
} from "../../kernel/safe_text/inert.ts";

export interface ContextPart {
  /** The heading the part goes under ("Context file"). */
  title: string;
  /** Where it came from, named in the heading and in a cut note (`.claude/context.md`). */
  source: string;
  text: string;
}

export const CONTEXT_LIMIT = 10_000;

const SEPARATOR = "\n\n";

/** The longest title and source a heading shows. */
const MAX_HEADING_CHARS = 300;

function heading(part: ContextPart): string {
  return `## ${inertLine(part.title, MAX_HEADING_CHARS)} (${
    inertLine(part.source, MAX_HEADING_CHARS)
  })`;
}

export function truncationNote(more: number, source: string): string {
  return `(truncated: ${more} more lines in ${inertLine(source, MAX_HEADING_CHARS)})`;
}

/** What SessionStart gives from a context file, within `limit`, redacted; "" for an empty file. */
export function contextInjection(shown: string, body: string, limit = CONTEXT_LIMIT): string {
  return assembleContext(
    [{
      title: "Context file",
      source: shown,
      text: shownText(body, { as: "document", document: { shown: limit } }),
    }],
    limit,
  );
}

/** The part's lines, fenced, CRLF as LF, trailing blanks dropped; past `limit` only counted. */
function linesOf(text: string, limit: number): string[] {
  const body = text.replace(/\r\n/g, "\n").replace(/\s+$/, "");
  return body === "" ? [] : fenceLines(body.split("\n"), undefined, limit);
}

/** The part's heading, its lines, the code fence they left open closed, and its cut note. */
function render(part: ContextPart, lines: string[], more: number): string {
  const out = [heading(part), ...lines];
  const open = openFence(lines);
  if (open !== null) out.push(open);
  if (more > 0) out.push(truncationNote(more, part.source));
  return out.join("\n");
}

/** The least a part can take: the whole of it when that is short, else its heading and note. */
function least(part: ContextPart, lines: string[]): number {
  const note = render(part, [], lines.length).length;
  let whole = heading(part).length;
  for (const line of lines) {
    whole += 1 + line.length;
    if (whole > note) return note;
  }
  return Math.min(render(part, lines, 0).length, note);
}

/** The parts within `limit`: one too large keeps its first lines; one without room is left out. */
export function assembleContext(given: ContextPart[], limit = CONTEXT_LIMIT): string {
  // An empty part would be a heading over nothing.
  const parts = given.map((part) => ({ part, lines: linesOf(part.text, limit) }))
    .filter(({ lines }) => lines.length > 0);
  const leasts = parts.map(({ part, lines }) => least(part, lines));
  const pieces: string[] = [];
  let used = 0;
  parts.forEach(({ part, lines }, i) => {
    const sep = pieces.length > 0 ? SEPARATOR.length : 0;
    const reserve = leasts.slice(i + 1).reduce((sum, n) => sum + n + SEPARATOR.length, 0);
    const room = limit - used - sep - reserve;
    let piece = fits(part, lines, room) ? render(part, lines, 0) : "";
    if (piece === "") {
      const kept = linesThatFit(part, lines, room);
      if (kept === undefined) return;
      piece = render(part, lines.slice(0, kept), lines.length - kept);
    }
    pieces.push(piece);
    used += sep + piece.length;
  });
  return pieces.join(SEPARATOR);
}

/** Whether the whole part fits in `room` (counted, not rendered: a part may be 1 MiB). */
function fits(part: ContextPart, lines: string[], room: number): boolean {
  let size = heading(part).length;
  for (const line of lines) {
    size += 1 + line.length;
    if (size > room) return false;
  }
  return render(part, lines, 0).length <= room;
}

/** How many first lines of a part fit in `room` with heading and note; undefined: none do. */
function linesThatFit(part: ContextPart, lines: string[], room: number): number | undefined {
  const closing = (fence: FenceState) => fence.open === null ? 0 : 1 + fence.open.length;
  const size = (kept: number, body: number, fence: FenceState) =>
    heading(part).length + body + closing(fence) + 1 +
    truncationNote(lines.length - kept, part.source).length;
  let fence: FenceState = { open: null };
  if (lines.length === 0 || size(0, 0, fence) > room) return undefined;
  let kept = 0;
  let body = 0;
  while (kept < lines.length - 1) {
    const next = afterLine(fence, lines[kept]);
    if (size(kept + 1, body + 1 + lines[kept].length, next) > room) break;
    body += 1 + lines[kept].length;
    fence = next;
    kept++;
  }
  return kept;
}
