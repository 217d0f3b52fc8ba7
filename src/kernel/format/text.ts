/**
 * Text from a stored record, made safe to print on a terminal. A snapshot can come from
 * another machine (`mpm sync pull`) or be edited by hand, and a terminal obeys what it is sent:
 * an escape sequence in a summary could retitle the window, clear the screen or hide the lines
 * around it. Pure.
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

/** `text` without terminal control characters and escape sequences; tabs and newlines stay. */
export function printable(text: string): string {
  // Fast path: almost every text has nothing to strip.
  // deno-lint-ignore no-control-regex
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, "").replace(C1_SEQUENCE, "").replace(CONTROL, "");
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
