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
  const clean = redact(text);
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
