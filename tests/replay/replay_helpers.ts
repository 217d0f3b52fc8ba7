/**
 * What the replay tests share: Claude Code transcripts from the fixtures, moved in time so that
 * they fall inside a session the test has just recorded (mpm reads the real clock, and a replay
 * shows a transcript only within its session's time).
 */
import { join } from "node:path";
import { type HtmlEnd, htmlEnd, htmlEvent, htmlStart } from "../../src/replay/render_html.ts";
import type { TimelineEvent } from "../../src/replay/timeline.ts";

export const TRANSCRIPTS = join(
  import.meta.dirname!,
  "..",
  "fixtures",
  "claude-code",
  "transcripts",
);
/** Recorded by the real Claude Code 2.1.328: Write, Edit, a failing Bash, Read, /compact. */
export const REAL = join(TRANSCRIPTS, "real-2.1.328-edit-bash-compact.jsonl");
export const REAL_ID = "cadbfc5a-a60b-4b11-b6dd-f1e040faa948";
/** Thinking, MultiEdit, a subagent, keys in a tool result, an unknown type, a cut last line. */
export const MIXED = join(TRANSCRIPTS, "replay-multiedit-subagent-truncated.jsonl");
export const MIXED_ID = "7c1d0e52-3b8a-4f6e-9d21-5a0b6c4e8f13";

/** The secrets MIXED's Bash result prints; none may appear in any output. */
export const SECRETS = ["4eC39HqLyjWDarjtT1zdp7dc", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"];

/**
 * The transcript with its timestamps spread evenly, in their order, over (from, to]. Lines that
 * do not parse (a cut last line) are kept as they are.
 */
export function retime(text: string, from: Date, to: Date): string {
  const lines = text.split("\n");
  const stamps = [
    ...new Set(lines.flatMap((line) => {
      const match = line.match(/"timestamp":\s*"([^"]+)"/);
      return match ? [match[1]] : [];
    })),
  ].sort();
  const step = (to.getTime() - from.getTime()) / Math.max(1, stamps.length);
  const moved = new Map(
    stamps.map((s, i) => [s, new Date(from.getTime() + step * (i + 1)).toISOString()]),
  );
  return lines.map((line) =>
    line.replace(/("timestamp":\s*")([^"]+)(")/, (_, a, s, b) => `${a}${moved.get(s) ?? s}${b}`)
  ).join("\n");
}

/** The whole page at once, as `mpm replay --html` streams it. */
export function renderHtml(events: readonly TimelineEvent[], end: HtmlEnd): string {
  return htmlStart(end.session) + events.map(htmlEvent).join("") + htmlEnd(end);
}
