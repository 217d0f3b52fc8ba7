/**
 * A list row's words: a time as a date and as "N ago", text of several lines on one row. Apart
 * from render_report.ts, whose redaction `mpm list` never needs.
 */
export { ago } from "../../kernel/format/ago.ts";
import { oneLine } from "../../kernel/safe_text/one_line.ts";

/**
 * How much of a text a list row shows: a teammate's pulled summary may hold megabytes, and a list
 * of them is read by a person and by the model. `mpm show` prints a record whole.
 */
export const MAX_ROW_CHARS = 240;

/** Text of several lines (a summary, a note) as one row of a list: cleaned, cut with "…". */
export function rowLine(text: string): string {
  return oneLine(text, MAX_ROW_CHARS);
}

/** "2025-10-20 14:30:22 UTC" from an ISO time. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
}
