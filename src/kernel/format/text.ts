/**
 * Text from a stored record, made safe to print on a terminal (which obeys escape sequences, and
 * where an invisible character makes one name pass for another); `quoted` shows them. Pure.
 */

/** ESC-introduced sequences (CSI, OSC/DCS… strings, two-character escapes), removed whole. */
const ESCAPE_SEQUENCE =
  // deno-lint-ignore no-control-regex
  /\x1b(?:\[[0-?]*[ -\/]*[@-~]?|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~]?)/g;
/** 8-bit CSI/OSC/DCS… introducers and their strings, as above. */
// deno-lint-ignore no-control-regex
const C1_SEQUENCE = /\x9b[0-?]*[ -\/]*[@-~]?|[\x90\x98\x9d\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)?/g;
/** What else a terminal acts on: C0 controls but tab and line feed, DEL, C1, bidi overrides. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/** Unicode-property patterns, made when first needed (`unseen`: what a quote escapes). */
let unicode: { invisible: RegExp; any: RegExp; unseen: RegExp } | undefined;

function patterns(): { invisible: RegExp; any: RegExp; unseen: RegExp } {
  return unicode ??= {
    invisible:
      /(?<!\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?)\u200d|\u200d(?!\p{Extended_Pictographic})|[^\P{Cf}\u200d]/gu,
    // deno-lint-ignore no-control-regex
    any: /[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cf}]/u,
    unseen: /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
  };
}

/** `text` without control characters, escape sequences or format characters; tabs, newlines stay. */
export function printable(text: string): string {
  // Fast path: almost every text has nothing to strip.
  const { any, invisible } = patterns();
  if (!any.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, "").replace(C1_SEQUENCE, "").replace(CONTROL, "")
    .replace(invisible, "");
}

/** Every string in a JSON-like value made printable (keys included); other values kept. */
export function printableDeep<T>(value: T): T {
  if (typeof value === "string") return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableDeep) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[printable(key)] = printableDeep(item);
    return out as T;
  }
  return value;
}

/** A path or word quoted for a POSIX shell, so a command line can be pasted as it is. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** At most this many characters of outside text are quoted in a sentence: enough to know it by. */
export const QUOTED_CHARS = 60;

/** Outside text in mpm's sentence: double-quoted, `max` chars, one line, controls escaped. */
export function quoted(text: string, max = QUOTED_CHARS): string {
  // A code point is at most two UTF-16 units: the first 2·max hold max of them, if there are.
  const head = [...text.slice(0, 2 * max)];
  const kept = head.length <= max && text.length <= 2 * max
    ? text
    : `${head.slice(0, max - 1).join("")}…`;
  return JSON.stringify(kept).replace(patterns().unseen, (char) => {
    const code = char.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** A word from the command line as an error names it: as typed when short and plain, else quoted. */
export function typedWord(word: string): string {
  return word.length <= QUOTED_CHARS && /^[!-~]+$/.test(word) ? word : quoted(word);
}
