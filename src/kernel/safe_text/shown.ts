/**
 * What mpm shows, made safe in one place: every renderer of text that came from outside (a
 * snapshot, a transcript, git, a file, another machine) passes it here — the SessionStart
 * context, replay and its page, summary, search, the status line and the MCP server. Secrets are
 * redacted first (a record written before a rule existed, a commit subject, a transcript), then
 * the text takes the form its place needs: one inert line (`line`), a person's prose under its
 * heading (`text`), a document moved under a part's heading (`document`), text for a terminal
 * with no control byte or escape sequence left (`printable`: search's hits, the status line), a
 * record's text of several lines for a terminal, its later lines indented under its label
 * (`indented`: `mpm show`, and `mpm mcp`, which makes each line inert after), or
 * redacted only (`plain`: for a page or JSON that escapes its own text, or a part made inert line
 * by line).
 * A text shown only in part (`max`) is cut before it is redacted, not after: redacting megabytes
 * to show 300 characters cost a start seconds per record. The cut keeps a margin past `max` and
 * leaves out the token it splits (kernel/format/safe_cut.ts), so a secret that starts before `max`
 * is either whole in what is redacted, or left out: never shown in part.
 * No renderer calls redaction itself. Pure.
 */
import { redact, redactDeep } from "./redact.ts";
import {
  cut,
  type DocumentOptions,
  indentedText,
  inertDocument,
  inertLine,
  inertText,
  LATER_INDENT,
} from "./inert.ts";
import { printable } from "../format/text.ts";
import { safeCut } from "../format/safe_cut.ts";

/** How far past what is shown a text is kept for redaction: longer than any vendor token. */
export const REDACT_MARGIN = 1024;

/** What of `text` is redacted to show at most `max` characters of it (see the header). */
export function headToShow(text: string, max: number): string {
  return text.length > max + REDACT_MARGIN ? safeCut(text, max + REDACT_MARGIN) : text;
}

export interface ShownOptions {
  /** The form it takes; `plain` by default. */
  as?: "plain" | "line" | "text" | "document" | "printable" | "indented";
  /** For `text` and `indented`: how far the later lines sit in (two spaces by default). */
  indent?: string;
  /** At most this many characters (per line for `text`): cut with "…". */
  max?: number;
  /** For `document`: how the document's lines are kept (inert.ts). */
  document?: DocumentOptions;
}

/** `text` as it may be shown: redacted, then in the form `options.as` names. */
export function shown(text: string, options: ShownOptions = {}): string {
  // `text` keeps `max` per line: any line may be shown, so all is redacted.
  const whole = options.max === undefined || options.as === "text" || options.as === "document";
  const clean = redact(whole ? text : headToShow(text, options.max!));
  switch (options.as ?? "plain") {
    case "line":
      return options.max === undefined ? inertLine(clean) : inertLine(clean, options.max);
    case "text":
      return inertText(clean, options.max, options.indent);
    case "indented": {
      const text = indentedText(clean, options.indent ?? LATER_INDENT);
      return options.max === undefined ? text : cut(text, options.max);
    }
    case "document":
      return inertDocument(clean, options.document);
    case "printable":
      return options.max === undefined ? printable(clean) : cut(printable(clean), options.max);
    default:
      return options.max === undefined ? clean : cut(clean, options.max);
  }
}

/** A JSON-like value (a tool's arguments) as it may be shown: every string redacted. */
export function shownDeep<T>(value: T): T {
  return redactDeep(value);
}
