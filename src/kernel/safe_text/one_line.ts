/**
 * Text from a transcript, a file name or a remote as one line, which can never start a line of its
 * own (a `# SYSTEM:` heading) nor act on the terminal: white space runs become one space; escapes,
 * control, bidi and zero-width characters go. Pure.
 */
import { printable } from "../format/text.ts";
import { cut } from "./inert.ts";

/** Line breaks of every kind, and the other white space a terminal or markdown moves by. */
const BREAKS = /[\r\n\v\f\u0085\u2028\u2029]+/g;

/** `text` on one line, cleaned, its white space runs one space, at most `max` characters. */
export function oneLine(text: string, max = Infinity): string {
  const flat = printable(text.replace(BREAKS, " ")).replace(/\s+/g, " ")
    .trim();
  return Number.isFinite(max) ? cut(flat, max) : flat;
}
