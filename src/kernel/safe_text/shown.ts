/**
 * What mpm shows, made safe in one place: text from outside is redacted here, then formed for its
 * place (`line`, `text`, `document`…). A text shown in part is cut before it is redacted, leaving
 * out the token it splits, so no secret is shown in part. No renderer redacts itself. Pure.
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
