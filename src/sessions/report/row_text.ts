/**
 * A list row's words: a time as a date and as "N ago", text of several lines on one row. Apart
 * from render_report.ts, whose redaction `mpm list` never needs.
 */
export { ago } from "../../kernel/format/ago.ts";

/** Text of several lines (a summary, a note) as one row of a list. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** "2025-10-20 14:30:22 UTC" from an ISO time. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
}
