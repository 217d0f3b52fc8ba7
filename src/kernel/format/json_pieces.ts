/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte, long arrays a bounded run at a time,
 * so a record of a million paths is never held as one text. Pure.
 */

/** Items of a long array rendered into one piece. */
const ITEMS_A_PIECE = 4096;

/** The pieces of `JSON.stringify(value, null, 2)`, long arrays a run at a time. */
export function* jsonPieces(value: unknown, indent = ""): Generator<string> {
  if (Array.isArray(value) && value.length > ITEMS_A_PIECE) {
    const inner = `${indent}  `;
    for (let start = 0; start < value.length; start += ITEMS_A_PIECE) {
      let piece = start === 0 ? "[" : "";
      const end = Math.min(start + ITEMS_A_PIECE, value.length);
      for (let i = start; i < end; i++) {
        // An item JSON has no text for (undefined, a function) is written null, as in an array.
        const text = stringified(value[i], inner) ?? "null";
        piece += `${i === 0 ? "" : ","}\n${inner}${text}`;
      }
      yield piece;
    }
    yield `\n${indent}]`;
    return;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((key) => written(value[key]));
    if (keys.length === 0) {
      yield "{}";
      return;
    }
    const inner = `${indent}  `;
    for (const [n, key] of keys.entries()) {
      yield `${n === 0 ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
      yield* jsonPieces(value[key], inner);
    }
    yield `\n${indent}}`;
    return;
  }
  const text = stringified(value, indent);
  if (text !== undefined) yield text;
}

/** JSON.stringify's text of `value` at `indent` (its lines after the first indented). */
function stringified(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined || indent === "" || !text.includes("\n")) return text;
  // A JSON text has line breaks only between its tokens (a string's are escaped).
  return text.replaceAll("\n", `\n${indent}`);
}

/** Whether an object's member is written at all (JSON leaves out undefined and functions). */
function written(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** An object JSON.stringify writes member by member (no `toJSON` of its own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** Small pieces gathered into pieces of at least `size` characters (the last may be shorter). */
export function* gathered(pieces: Iterable<string>, size = 256 * 1024): Generator<string> {
  let held = "";
  for (const piece of pieces) {
    held += piece;
    if (held.length >= size) {
      yield held;
      held = "";
    }
  }
  if (held !== "") yield held;
}
