/**
 * The remote's ids as the sync record keeps them, `kind\tid` a line, looked up in that one text
 * with what changed since held beside it: a pull of a store of 60,000 holds one string it read
 * anyway, not a set of 60,000 ids (and their copy, and their lines made again to be kept). Pure.
 */
import type { Kind } from "./plan.ts";

/** One kind's ids, as a pull asks and changes them (a Set serves as one). */
export interface IdSet {
  has(id: string): boolean;
  add(id: string): unknown;
  delete(id: string): unknown;
  readonly size: number;
}

export class IdLines {
  readonly #text: string;
  readonly #added = new Set<string>();
  readonly #removed = new Set<string>();
  readonly #counts = new Map<Kind, number>();

  /**
   * Each line's hash, open addressed (0: none): a line not among them is not in the text, told
   * without looking through it (a pull's new ids); 4 bytes a line, twice over.
   */
  readonly #hashes: Uint32Array;

  /** `text`: lines already checked (`of`), or "". */
  private constructor(text: string, hashes: number[]) {
    this.#text = text;
    this.#hashes = new Uint32Array(2 ** Math.ceil(Math.log2(2 * hashes.length + 2)));
    for (const hash of hashes) {
      let at = hash & (this.#hashes.length - 1);
      while (this.#hashes[at] !== 0 && this.#hashes[at] !== hash) {
        at = (at + 1) & (this.#hashes.length - 1);
      }
      this.#hashes[at] = hash;
    }
  }

  /** The ids of `text`, or undefined when a line is not `kind\tid` of `kinds` with `isId`'s id. */
  static of(text: string, kinds: readonly Kind[], isId: (kind: Kind, id: string) => boolean) {
    const hashes: number[] = [];
    for (let at = 0; at < text.length;) {
      const end = text.indexOf("\n", at);
      const line = text.slice(at, end < 0 ? text.length : end);
      at = end < 0 ? text.length : end + 1;
      if (line === "") continue;
      const tab = line.indexOf("\t");
      const kind = line.slice(0, tab) as Kind;
      if (tab < 0 || !kinds.includes(kind) || !isId(kind, line.slice(tab + 1))) return undefined;
      hashes.push(hashOf(line));
    }
    return new IdLines(text, hashes);
  }

  static empty(): IdLines {
    return new IdLines("", []);
  }

  #inText(line: string): boolean {
    const hash = hashOf(line);
    let at = hash & (this.#hashes.length - 1);
    while (this.#hashes[at] !== hash) {
      if (this.#hashes[at] === 0) return false;
      at = (at + 1) & (this.#hashes.length - 1);
    }
    const text = this.#text;
    if (text === line || text.startsWith(`${line}\n`) || text.endsWith(`\n${line}`)) return true;
    return text.includes(`\n${line}\n`);
  }

  #count(kind: Kind): number {
    let n = this.#counts.get(kind);
    if (n === undefined) {
      n = this.#text.startsWith(`${kind}\t`) ? 1 : 0;
      const mark = `\n${kind}\t`;
      for (let at = this.#text.indexOf(mark); at >= 0; at = this.#text.indexOf(mark, at + 1)) n++;
      this.#counts.set(kind, n);
    }
    return n;
  }

  has(line: string): boolean {
    return this.#added.has(line) || (!this.#removed.has(line) && this.#inText(line));
  }

  add(line: string): void {
    if (!this.#removed.delete(line) && !this.#inText(line)) this.#added.add(line);
  }

  delete(line: string): void {
    if (!this.#added.delete(line) && this.#inText(line)) this.#removed.add(line);
  }

  size(kind: Kind): number {
    const changed = (lines: Set<string>) => [...lines].filter((l) => l.startsWith(`${kind}\t`));
    return this.#count(kind) + changed(this.#added).length - changed(this.#removed).length;
  }

  /** The lines as the record keeps them. */
  text(): string {
    const text = this.#removed.size === 0
      ? this.#text
      : this.#text.split("\n").filter((l) => !this.#removed.has(l)).join("\n");
    const added = [...this.#added].join("\n");
    return added === "" ? text : text === "" ? added : `${text}\n${added}`;
  }
}

/** FNV-1a of a line's characters, never 0 (the empty slot). */
function hashOf(line: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) hash = Math.imul(hash ^ line.charCodeAt(i), 0x01000193);
  return (hash >>> 0) || 1;
}

/** `lines`' ids of one kind, as a Set is asked and changed. */
class KindIds implements IdSet {
  constructor(readonly lines: IdLines, readonly kind: Kind) {}
  has(id: string): boolean {
    return this.lines.has(`${this.kind}\t${id}`);
  }
  add(id: string): void {
    this.lines.add(`${this.kind}\t${id}`);
  }
  delete(id: string): void {
    this.lines.delete(`${this.kind}\t${id}`);
  }
  get size(): number {
    return this.lines.size(this.kind);
  }
}

/** Ids by kind, and the lines they are kept as. */
export type KindIdLines = Record<Kind, IdSet> & { lines: IdLines };

/** `lines` by kind, as readRemote and the planner use them. */
export function byKind(lines: IdLines): KindIdLines {
  const ids = (kind: Kind) => new KindIds(lines, kind);
  return { session: ids("session"), checkpoint: ids("checkpoint"), handoff: ids("handoff"), lines };
}
