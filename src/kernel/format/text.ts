/**
 * Text from a stored record, made safe to print on a terminal. A snapshot can come from
 * another machine (`mpm sync pull`) or be edited by hand, and a terminal obeys what it is sent:
 * an escape sequence in a summary could retitle the window, clear the screen or hide the lines
 * around it, and a character that prints as nothing can make one name pass for another. Quoting
 * such text in a sentence (`quoted`) shows those characters instead, and bounds it. Pure.
 */

/**
 * ESC-introduced sequences, removed whole so no half of one is left to print: CSI
 * (`ESC [ … final`), OSC/DCS/SOS/PM/APC strings (up to BEL or ST), and two-character escapes.
 */
const ESCAPE_SEQUENCE =
  // deno-lint-ignore no-control-regex
  /\x1b(?:\[[0-?]*[ -\/]*[@-~]?|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~]?)/g;
/** 8-bit CSI/OSC/DCS… introducers and their strings, as above. */
// deno-lint-ignore no-control-regex
const C1_SEQUENCE = /\x9b[0-?]*[ -\/]*[@-~]?|[\x90\x98\x9d\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)?/g;
/**
 * What remains that a terminal acts on: C0 controls except tab and line feed (a carriage
 * return lets later text overwrite earlier), DEL, C1 controls, and the bidirectional overrides
 * that make text display in another order than it reads.
 */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
/**
 * The patterns that name Unicode properties, made the first time one is needed: making such a
 * pattern costs a process a fraction of a millisecond even when it never runs, and every mpm
 * process loads this file (SessionStart's made-ready answer uses none of them).
 *
 * `invisible`: format characters (Unicode's Cf) print as nothing yet change what text seems to
 * say: zero-width spaces and joiners make two names look the same, direction marks reorder it,
 * tag characters spell words no one sees but a model reads. All go — the soft hyphen, word
 * joiners, invisible operators and the byte-order mark too — except a zero-width joiner between
 * two pictographs, which only makes one emoji of them (👩‍💻). `any`: whether there is anything to
 * take out at all (printable's fast path). `unseen`: what a quote shows as escapes — controls,
 * format characters, line and paragraph separators.
 */
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

/**
 * `text` as a terminal may show it: no control character, escape sequence or format character
 * (Cf) left; tabs and newlines stay. The one place outside text is made so for a terminal or a
 * model; what is stored keeps its bytes.
 */
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

/**
 * Text from outside (a name typed, an option's value, a line a program printed) quoted in one of
 * mpm's sentences, an error's above all: in double quotes, at most `max` characters of it (cut
 * with "…"), on one line, every control, format or line-breaking character written as its escape
 * (`\n`, `\u001b`, `\u202e`) — seen, never obeyed by the terminal.
 */
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

/**
 * A word from the command line (an option, a command's name) as an error names it: as typed
 * when it is short and plain, else quoted.
 */
export function typedWord(word: string): string {
  return word.length <= QUOTED_CHARS && /^[!-~]+$/.test(word) ? word : quoted(word);
}
