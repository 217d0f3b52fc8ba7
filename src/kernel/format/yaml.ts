/**
 * JSON data as block-style YAML (a snapshot's `.yaml` rendering, `--format yaml`), written here so
 * a pause loads no YAML library. A string is bare only where YAML 1.1 and 1.2 both read it back as
 * that string; else double-quoted with JSON's escapes (and YAML's own line breaks escaped).
 */

/** `value` (JSON data: what JSON.stringify would write) as a YAML document. */
export function yamlText(value: unknown): string {
  return block(value, "") ?? `${inline(value)}\n`;
}

type Json = unknown;

/** Items of a long list of scalars written into one piece. */
const ITEMS_A_PIECE = 4096;

/**
 * yamlText in pieces, so a snapshot's million paths are never one string. A value of fewer than
 * ITEMS_A_PIECE items in all is one piece, no longer than a run: a pull renders a hundred
 * records three times faster whole than through the generators.
 */
export function* yamlPieces(value: unknown): Generator<string> {
  if (block(value, "", true) === undefined) yield `${inline(value)}\n`;
  else if (itemsUnder(value, { left: ITEMS_A_PIECE })) yield yamlText(value);
  else yield* blockPieces(value, "");
}

/** Whether `value`'s lists and mappings hold fewer than `budget.left` items in all. */
function itemsUnder(value: Json, budget: { left: number }): boolean {
  if (!Array.isArray(value) && !isMapping(value)) return true;
  const items = Array.isArray(value) ? value : Object.values(value);
  budget.left -= items.length;
  return budget.left > 0 && items.every((item) => itemsUnder(item, budget));
}

/** `block(value, indent)` in pieces, for a value that has a block. */
function* blockPieces(value: Json, indent: string): Generator<string> {
  if (Array.isArray(value)) {
    if (!value.every((item) => block(item, indent, true) === undefined)) {
      yield block(value, indent)!;
      return;
    }
    const dash = `${indent}- `;
    for (let start = 0; start < value.length; start += ITEMS_A_PIECE) {
      const run = value.slice(start, start + ITEMS_A_PIECE);
      yield dash + run.map(inline).join(`\n${dash}`) + "\n";
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, Json>)) {
    if (v === undefined) continue;
    yield head(key, indent);
    if (Array.isArray(v) && v.length > 0) {
      yield "\n";
      yield* blockPieces(v, `${indent}  `);
    } else if (isMapping(v) && block(v, `${indent}  `, true) !== undefined) {
      yield "\n";
      yield* blockPieces(v, `${indent}  `);
    } else yield ` ${inline(v)}\n`;
  }
}

/** A mapping's key and its colon. */
function head(key: string, indent: string): string {
  const name = scalar(key);
  // A key longer than an implicit key may be (1024 characters) is written as an explicit one.
  return name.length > 1000 ? `${indent}? ${name}\n${indent}:` : `${indent}${name}:`;
}

/** `value` as a block's lines under a key, or undefined for a scalar or empty collection. */
function block(value: Json, indent: string, onlyWhether = false): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (onlyWhether) return "";
    // A list of scalars (a snapshot's million paths) in one join: no string a line to collect.
    if (value.every((item) => block(item, indent, true) === undefined)) {
      const dash = `${indent}- `;
      return dash + value.map(inline).join(`\n${dash}`) + "\n";
    }
    return value.map((item) => {
      // A collection in a sequence starts on the dash's line: `- key: value`, `- - item`.
      const inner = block(item, `${indent}  `);
      return inner === undefined
        ? `${indent}- ${inline(item)}\n`
        : `${indent}- ${inner.slice(indent.length + 2)}`;
    }).join("");
  }
  if (isMapping(value)) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    if (fields.length === 0) return undefined;
    if (onlyWhether) return "";
    return fields.map(([key, v]) => head(key, indent) + entry(v, indent)).join("");
  }
  return undefined;
}

/** What follows `key:` or `-`: a scalar on the same line, or a block below it. */
function entry(value: Json, indent: string): string {
  if (Array.isArray(value) && value.length > 0) {
    // A sequence under a key sits two spaces in, as under a dash.
    return `\n${block(value, `${indent}  `)}`;
  }
  if (isMapping(value)) {
    const inner = block(value, `${indent}  `);
    if (inner !== undefined) return `\n${inner}`;
  }
  return ` ${inline(value)}\n`;
}

function inline(value: Json): string {
  if (Array.isArray(value)) return "[]";
  if (isMapping(value)) return "{}";
  if (typeof value === "string") return scalar(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "boolean") return String(value);
  return "null";
}

function isMapping(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Words of letters, digits and these marks, one space apart, starting with a letter. */
const BARE = /^\p{L}[\p{L}\p{M}\p{N}_.\/@+-]*(?: [\p{L}\p{M}\p{N}_.\/@+-]+)*$/u;
/** Bare words YAML 1.1 reads as no string: booleans, null, numbers (`0x1F`, `1:20`), dates. */
const TYPED = /^(?:y|yes|n|no|true|false|on|off|null|\.?(?:inf|nan))$/i;

/** `e5`: a float to some 1.1 readers (the `yaml` package's). */
const EXPONENT = /^[eE]\d/;

/** A string as a YAML scalar that reads back as the same string. */
function scalar(text: string): string {
  if (BARE.test(text) && !TYPED.test(text) && !EXPONENT.test(text)) return text;
  return JSON.stringify(text).replace(UNKEPT, (char) => `\\u${hex4(char)}`);
}

/** What JSON keeps but YAML would not: DEL, C1, U+2028/U+2029, the BOM and U+FFFE/U+FFFF. */
const UNKEPT = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

function hex4(char: string): string {
  return char.charCodeAt(0).toString(16).padStart(4, "0");
}
