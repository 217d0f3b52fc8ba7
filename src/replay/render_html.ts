/**
 * The replay as one self-contained HTML file, made piecewise so a 200 MB transcript streams.
 * Nothing in it reaches outside: the CSP allows only its own hashed script and style and `data:`
 * images; events go in a JSON block with `<` escaped and controls out; the viewer uses textContent.
 */
import { pagePolicy, scriptJson } from "../kernel/safe_text/html_page.ts";
import { printableDeep } from "../kernel/format/text.ts";
import { shown } from "../kernel/safe_text/shown.ts";
import css from "./page/viewer.css" with { type: "text" };
import body from "./page/viewer.html" with { type: "text" };
import js from "./page/viewer.js" with { type: "text" };
import type { TimelineEvent } from "./timeline.ts";

export interface HtmlSession {
  key: string;
  name: string | null;
  task: string | null;
  active: boolean;
  span: { start: string; end: string };
}

export interface HtmlEnd {
  session: HtmlSession;
  notes: readonly string[];
  claude: readonly { id: string; transcript: string | null }[];
  /** When the page was made, and by which mpm. */
  generated: string;
  version: string;
}

/** The policy the page carries; exported so tests can hold it to its promise. */
export const CSP = pagePolicy(js, css);

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#39;",
  );
}

/** Everything before the first event. */
export function htmlStart(session: HtmlSession): string {
  const title = `Replay: ${session.name ?? session.key}`;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mpm replay">',
    `<title>${escapeHtml(shown(title, { as: "printable" }))}</title>`,
    `<style>${css}</style>`,
    "</head>",
    "<body>",
    body,
    '<script id="mpm-events" type="application/json">[',
  ].join("\n");
}

/** One event; `index` 0 is the first (no comma before it). */
export function htmlEvent(event: TimelineEvent, index: number): string {
  return `${index === 0 ? "" : ",\n"}${scriptJson(printableDeep(event))}`;
}

/** Everything after the last event. */
export function htmlEnd(end: HtmlEnd): string {
  const meta = {
    session: {
      ...end.session,
      name: end.session.name === null ? null : shown(end.session.name),
      task: end.session.task === null ? null : shown(end.session.task),
    },
    notes: end.notes.map((note) => shown(note)),
    claude: end.claude.map((c) => ({
      id: c.id,
      transcript: c.transcript === null ? null : shown(c.transcript),
    })),
    generated: end.generated,
    version: end.version,
  };
  return [
    "]</script>",
    `<script id="mpm-meta" type="application/json">${scriptJson(printableDeep(meta))}</script>`,
    `<script>${js}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
