/**
 * A strict JSON parser that keeps every value's place in the text, so a settings file is edited in
 * place and a broken one reported by line and column. Gemini CLI's settings may hold comments
 * (it reads them through strip-json-comments): withoutComments blanks them first, keeping every
 * offset, so the places found are the places in the person's text.
 */

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface JsonObject extends Span {
  kind: "object";
  members: JsonMember[];
}

/** A property: `start` is its key's opening quote, `end` its value's end. */
export interface JsonMember extends Span {
  key: string;
  value: JsonNode;
}

export interface JsonArray extends Span {
  kind: "array";
  items: JsonNode[];
}

export interface JsonScalar extends Span {
  kind: "scalar";
  value: string | number | boolean | null;
}

export type JsonNode = JsonObject | JsonArray | JsonScalar;

export interface JsonTextError {
  message: string;
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like an editor's column. */
  column: number;
}

export type JsonTextResult = { ok: true; root: JsonNode } | { ok: false; error: JsonTextError };

/** Nesting beyond this is refused rather than allowed to exhaust the stack. */
const MAX_DEPTH = 256;

/** Which values to build; others are checked but kept only as spans (a 100 MB file stays cheap). */
export type KeepPath = (keys: readonly string[]) => boolean;

export function parseJsonText(text: string, keep?: KeepPath): JsonTextResult {
  const parser = new Parser(text, keep);
  try {
    return { ok: true, root: parser.document() };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return {
      ok: false,
      error: { message: error.message, offset: error.offset, ...lineColumn(text, error.offset) },
    };
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The text with each `//` and `/* *\/` comment outside strings turned to spaces (its line breaks
 * and other white space kept), as Gemini CLI's strip-json-comments does: the same length, every
 * value at the same offset. An unclosed `/*` runs to the end.
 */
export function withoutComments(text: string): string {
  if (!text.includes("/")) return text;
  const blank = (from: number, to: number) => text.slice(from, to).replace(/\S/g, " ");
  let out = "";
  let done = 0;
  for (let at = 0; at < text.length; at++) {
    const c = text[at];
    if (c === '"') {
      const end = closingQuote(text, at);
      if (end < 0) break;
      at = end;
    } else if (c === "/" && (text[at + 1] === "/" || text[at + 1] === "*")) {
      const line = text[at + 1] === "/";
      let end = line ? text.indexOf("\n", at) : text.indexOf("*/", at + 2);
      end = end < 0 ? text.length : line ? end : end + 2;
      out += text.slice(done, at) + blank(at, end);
      done = end;
      at = end - 1;
    }
  }
  return out + text.slice(done);
}

/** Every string a possibly-invalid JSON text holds outside comments, in order. */
export function stringsIn(text: string): string[] {
  const found: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (text.startsWith("//", at)) {
      const end = text.indexOf("\n", at);
      at = end < 0 ? text.length : end + 1;
    } else if (text.startsWith("/*", at)) {
      const end = text.indexOf("*/", at + 2);
      at = end < 0 ? text.length : end + 2;
    } else if (text[at] === '"') {
      const end = closingQuote(text, at);
      if (end < 0) break;
      try {
        found.push(JSON.parse(text.slice(at, end + 1)));
      } catch {
        // A bad escape or a line break inside: not a string Claude Code would read.
      }
      at = end + 1;
    } else at++;
  }
  return found;
}

/** Where the string opened at `start` closes (its unescaped `"`), or -1. */
function closingQuote(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === '"') return at;
  }
  return -1;
}

class Failure extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string, private readonly keep?: KeepPath) {}

  document(): JsonNode {
    const root = this.value([]);
    this.space();
    if (this.pos < this.text.length) this.fail("unexpected text after the end of the JSON value");
    return root;
  }

  private fail(message: string, at = this.pos): never {
    throw new Failure(message, at);
  }

  private space(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      // A byte-order mark is tolerated at the very start, where editors put it.
      if (c === 32 || c === 9 || c === 10 || c === 13 || (c === 0xfeff && this.pos === 0)) {
        this.pos++;
      } else break;
    }
  }

  /** A value at `path` (its keys from the root), or null: checked, not built (KeepPath). */
  private value(path: readonly string[] | null): JsonNode {
    this.space();
    const c = this.text[this.pos];
    if (c === undefined) this.fail("unexpected end of file where a value was expected");
    const start = this.pos;
    if (c === "{" || c === "[") {
      const node = this.nested(() => c === "{" ? this.object(path) : this.array(path));
      return path === null ? { kind: "scalar", value: null, start, end: node.end } : node;
    }
    if (c === '"') {
      const value = this.string(path !== null);
      return { kind: "scalar", value: path === null ? null : value, start, end: this.pos };
    }
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return { kind: "scalar", value, start, end: this.pos };
      }
    }
    NUMBER.lastIndex = start;
    const number = NUMBER.exec(this.text);
    if (number === null) this.fail(`unexpected ${describe(c)} where a value was expected`);
    this.pos += number[0].length;
    return {
      kind: "scalar",
      value: path === null ? null : Number(number[0]),
      start,
      end: this.pos,
    };
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail("the JSON is nested too deeply");
    const node = parse();
    this.depth--;
    return node;
  }

  private object(path: readonly string[] | null): JsonObject {
    const start = this.pos++;
    const members: JsonMember[] = [];
    this.space();
    if (this.text[this.pos] === "}") return { kind: "object", members, start, end: ++this.pos };
    let comma = -1;
    for (;;) {
      this.space();
      const c = this.text[this.pos];
      if (c === "}" && comma !== -1) this.fail("trailing comma before '}'", comma);
      if (c !== '"') {
        this.fail(`expected a property name in double quotes, found ${describe(c)}`);
      }
      const keyStart = this.pos;
      const key = this.string(path !== null);
      this.space();
      if (this.text[this.pos] !== ":") {
        this.fail(`expected ':' after a property name, found ${describe(this.text[this.pos])}`);
      }
      this.pos++;
      const inner = path === null ? null : [...path, key];
      const kept = inner !== null && (this.keep === undefined || this.keep(inner));
      const value = this.value(kept ? inner : null);
      if (path !== null) members.push({ key, value, start: keyStart, end: value.end });
      this.space();
      const next = this.text[this.pos];
      if (next === "}") return { kind: "object", members, start, end: ++this.pos };
      if (next !== ",") {
        this.fail(`expected ',' or '}' after a property value, found ${describe(next)}`);
      }
      comma = this.pos++;
    }
  }

  private array(path: readonly string[] | null): JsonArray {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.pos] === "]") return { kind: "array", items, start, end: ++this.pos };
    let comma = -1;
    for (;;) {
      this.space();
      if (this.text[this.pos] === "]" && comma !== -1) {
        this.fail("trailing comma before ']'", comma);
      }
      const item = this.value(path);
      if (path !== null) items.push(item);
      this.space();
      const next = this.text[this.pos];
      if (next === "]") return { kind: "array", items, start, end: ++this.pos };
      if (next !== ",") {
        this.fail(`expected ',' or ']' after an array item, found ${describe(next)}`);
      }
      comma = this.pos++;
    }
  }

  /** A string, decoded when `decode`, else only checked (""). */
  private string(decode = true): string {
    const text = this.text;
    const start = this.pos++;
    for (;;) {
      if (this.pos >= text.length) this.fail("unterminated string", start);
      const c = text.charCodeAt(this.pos);
      if (c === 34) break;
      if (c < 0x20) this.fail("a control character (such as a line break) inside a string");
      if (c === 92) {
        const escape = text[this.pos + 1];
        if (escape !== undefined && '"\\/bfnrt'.includes(escape)) this.pos += 2;
        else if (escape === "u" && HEX4.test(text.slice(this.pos + 2, this.pos + 6))) this.pos += 6;
        else this.fail("an invalid escape sequence in a string");
      } else this.pos++;
    }
    this.pos++;
    return decode ? JSON.parse(text.slice(start, this.pos)) : "";
  }
}

function describe(c: string | undefined): string {
  if (c === undefined) return "the end of the file";
  return `'${c}'`;
}
