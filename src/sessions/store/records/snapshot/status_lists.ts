/**
 * A record's git status lists read without all their paths (a vendored tree stages a million):
 * the text is scanned, each `git_context.status` list longer than kept is cut before JSON.parse,
 * and kept as its count and a hash mark, so `sameState` still tells a change exactly. Pure.
 */

/** What a cut list held: its length and, when asked, its mark; without one, never the same. */
export interface ListCut {
  count: number;
  mark?: string;
}

/** The status lists a snapshot was read without, by name; set by the reader (read_snapshot.ts). */
export const STATUS_CUT = Symbol("status lists cut");

export type StatusCut = Record<string, ListCut>;

/** Paths of each list a start keeps of a snapshot (a staged vendored tree is a million). */
export const TOLD_PATHS = 5_000;

/** A 64-bit hash of items added one by one (two FNV-1a lanes; SHA-256 is too slow here). */
class ItemHash {
  #a = 0x811c9dc5;
  #b = 0x5bd1e995;
  add(json: string): void {
    let a = this.#a, b = this.#b;
    for (let i = 0; i < json.length; i++) {
      const c = json.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    // The end of an item, so that ["ab", "c"] and ["a", "bc"] differ.
    this.#a = Math.imul(a ^ 10, 0x01000193);
    this.#b = Math.imul(b ^ 10, 0x5bd1e995) ^ (b >>> 15);
  }
  hex(): string {
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
    return hex(this.#a) + hex(this.#b);
  }
}

/** The mark of a list as it is in memory: each item as JSON.stringify writes it. */
export function listMark(items: readonly unknown[]): string {
  const hash = new ItemHash();
  for (const item of items) hash.add(JSON.stringify(item) ?? "null");
  return hash.hex();
}

/** The mark of a snapshot's status list `name`, cut or whole; "none" when it lacks it. */
export function statusListMark(
  status: Readonly<Record<string, unknown>>,
  cut: StatusCut | undefined,
  name: string,
): string {
  const told = cut?.[name];
  if (told) return `${told.count}:${told.mark ?? "unmarked"}`;
  const list = status[name];
  return Array.isArray(list) ? `${list.length}:${listMark(list)}` : "none";
}

/** A cut made of the text, ready for JSON.parse; null when nothing was cut. */
export interface CutText {
  text: string;
  cut: StatusCut;
}

/** `text` with each `git_context.status` list longer than `keep` cut; null when none is. */
export function cutStatusLists(text: string, keep: number, mark = false): CutText | null {
  return cutFrom(new TextSource(text), keep, mark);
}

/** cutStatusLists of UTF-8 bytes, decoding only what is kept; null also for a byte-order mark. */
export function cutStatusListsOfBytes(
  bytes: Uint8Array,
  keep: number,
  mark = false,
): CutText | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return null;
  return cutFrom(new ByteSource(bytes), keep, mark);
}

function cutFrom(source: Source, keep: number, mark: boolean): CutText | null {
  try {
    const scan = new Scan(source, keep, mark);
    scan.object(0, 0);
    return scan.pieces.length === 0
      ? null
      : { text: scan.pieces.join("") + source.slice(scan.copied, source.length), cut: scan.cut };
  } catch {
    return null;
  }
}

/** A record's text or UTF-8 bytes: every character the scan looks for is ASCII. */
interface Source {
  readonly length: number;
  /** The code at `at` (NaN past the end). */
  code(at: number): number;
  /** Where the next `"` is from `from`, or -1. */
  quote(from: number): number;
  slice(start: number, end: number): string;
}

class TextSource implements Source {
  constructor(readonly text: string) {}
  get length(): number {
    return this.text.length;
  }
  code(at: number): number {
    return this.text.charCodeAt(at);
  }
  quote(from: number): number {
    return this.text.indexOf('"', from);
  }
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** Pieces of UTF-8 decoded as the whole would be (a byte-order mark inside stays). */
const pieceDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

class ByteSource implements Source {
  constructor(readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  code(at: number): number {
    return this.bytes[at] ?? NaN;
  }
  quote(from: number): number {
    return this.bytes.indexOf(QUOTE, from);
  }
  slice(start: number, end: number): string {
    return pieceDecoder.decode(this.bytes.subarray(start, end));
  }
}

const QUOTE = 34, BACKSLASH = 92, OPEN_BRACE = 123, CLOSE_BRACE = 125;
const OPEN_BRACKET = 91, CLOSE_BRACKET = 93, COMMA = 44, COLON = 58;
/** Where each object's members are followed: the top, `git_context`, `status`. */
const FOLLOWED = ["git_context", "status"];

class Scan {
  pieces: string[] = [];
  copied = 0;
  cut: StatusCut = {};
  constructor(readonly text: Source, readonly keep: number, readonly mark: boolean) {}

  #space(at: number): number {
    const t = this.text;
    for (;;) {
      const c = t.code(at);
      if (c === 32 || c === 10 || c === 13 || c === 9) at++;
      else return at;
    }
  }

  /** The end of the string whose opening quote is at `at`. */
  #stringEnd(at: number): number {
    const t = this.text;
    for (let from = at + 1;;) {
      const quote = t.quote(from);
      if (quote < 0) throw new Error("unterminated string");
      let slashes = 0;
      while (t.code(quote - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /** The end of any value at `at`. */
  #valueEnd(at: number): number {
    const t = this.text;
    const first = t.code(at);
    if (first === QUOTE) return this.#stringEnd(at);
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      let end = at;
      for (;;) {
        const c = t.code(end);
        if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET) break;
        if (c === 32 || c === 10 || c === 13 || c === 9) break;
        end++;
      }
      if (end === at) throw new Error("no value");
      return end;
    }
    let depth = 0;
    for (let i = at; i < t.length;) {
      const c = t.code(i);
      if (c === QUOTE) {
        i = this.#stringEnd(i);
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
    throw new Error("unterminated value");
  }

  /** The object at `at` (after space), `level` deep in FOLLOWED; returns its end. */
  object(at: number, level: number): number {
    const t = this.text;
    at = this.#space(at);
    if (t.code(at) !== OPEN_BRACE) throw new Error("not an object");
    at = this.#space(at + 1);
    if (t.code(at) === CLOSE_BRACE) return at + 1;
    for (;;) {
      if (t.code(at) !== QUOTE) throw new Error("no key");
      const keyEnd = this.#stringEnd(at);
      const key = JSON.parse(t.slice(at, keyEnd));
      at = this.#space(keyEnd);
      if (t.code(at) !== COLON) throw new Error("no colon");
      at = this.#space(at + 1);
      const c = t.code(at);
      if (level < FOLLOWED.length && key === FOLLOWED[level] && c === OPEN_BRACE) {
        at = this.object(at, level + 1);
      } else if (level === FOLLOWED.length && c === OPEN_BRACKET) {
        at = this.#list(at, key);
      } else at = this.#valueEnd(at);
      at = this.#space(at);
      const next = t.code(at);
      if (next === CLOSE_BRACE) return at + 1;
      if (next !== COMMA) throw new Error("no comma");
      at = this.#space(at + 1);
    }
  }

  /** The list `name` at `at`: cut when it is all strings and longer than `keep`. */
  #list(at: number, name: string): number {
    const t = this.text;
    const open = at;
    const hash = this.mark ? new ItemHash() : null;
    const kept: string[] = [];
    let count = 0;
    at = this.#space(at + 1);
    if (t.code(at) === CLOSE_BRACKET) return at + 1;
    for (;;) {
      if (t.code(at) !== QUOTE) return this.#valueEnd(open);
      const end = this.#stringEnd(at);
      if (hash) hash.add(t.slice(at, end));
      if (count < this.keep) kept.push(t.slice(at, end));
      count++;
      at = this.#space(end);
      const next = t.code(at);
      if (next === CLOSE_BRACKET) break;
      if (next !== COMMA) throw new Error("no comma");
      at = this.#space(at + 1);
    }
    if (count > this.keep) {
      this.pieces.push(t.slice(this.copied, open), `[${kept.join(",")}]`);
      this.copied = at + 1;
      this.cut[name] = hash ? { count, mark: hash.hex() } : { count };
    }
    return at + 1;
  }
}
