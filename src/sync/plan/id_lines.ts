/**
 * The remote's ids as the sync record keeps them: `kind\tid` lines, sorted, in parts of about
 * PART_IDS lines (`cache/sync-remote/<n>.txt`), each named in the record's head by its number,
 * sha256 and first line. A pull asks of and changes the few ids its changes name: only their parts
 * are read, by the reader given (which checks each against its sha256), and only the parts that
 * changed are written again (and those the new head no longer names removed: sync_record.ts); a
 * store of 60,000 is never held or rewritten whole. Pure but for the reader it is given.
 */
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import type { Kind } from "./plan.ts";

/** One kind's ids, as a pull asks and changes them (a Set serves as one). */
export interface IdSet {
  has(id: string): boolean;
  add(id: string): unknown;
  delete(id: string): unknown;
  readonly size: number;
}

/** One part as the head names it: its file's number, its lines' sha256, and its first line. */
export interface IdPart {
  n: number;
  tag: string;
  first: string;
}

/** A part's text when its file holds the lines `tag` names; else undefined. */
export type PartReader = (part: IdPart) => string | undefined;

/** Lines a part is cut to; one grows to twice that before it is cut again. */
export const PART_IDS = 500;

/** The kinds in the order the head keeps their sizes. */
const ORDER: Kind[] = ["session", "checkpoint", "handoff"];

export class IdLines {
  readonly #parts: readonly IdPart[];
  readonly #sizes: readonly number[];
  readonly #valid: (line: string) => boolean;
  readonly #read: PartReader;
  /** Each part read, by its place; null for one that did not read (the whole is then broken). */
  readonly #loaded = new Map<number, Set<string> | null>();
  readonly #added = new Set<string>();
  readonly #removed = new Set<string>();
  #broken = false;

  private constructor(
    parts: readonly IdPart[],
    sizes: readonly number[],
    valid: (line: string) => boolean,
    read: PartReader,
  ) {
    [this.#parts, this.#sizes, this.#valid, this.#read] = [parts, sizes, valid, read];
  }

  /**
   * The ids of the head's parts (`n\tsha256\tkind\tid` each, in order) and sizes (by ORDER), read
   * by `read` as they are asked of; undefined when the head's lines do not parse.
   */
  static kept(
    parts: readonly string[],
    sizes: readonly number[],
    kinds: readonly Kind[],
    isId: (kind: Kind, id: string) => boolean,
    read: PartReader,
  ): IdLines | undefined {
    const valid = (line: string) => {
      const tab = line.indexOf("\t");
      const kind = line.slice(0, tab) as Kind;
      return tab > 0 && kinds.includes(kind) && isId(kind, line.slice(tab + 1));
    };
    const table: IdPart[] = [];
    for (const entry of parts) {
      const [n, tag, ...first] = entry.split("\t");
      const part = { n: Number(n), tag, first: first.join("\t") };
      const before = table.at(-1);
      if (!/^\d+$/.test(n) || !/^[0-9a-f]{64}$/.test(tag) || !valid(part.first)) return undefined;
      if (before !== undefined && before.first >= part.first) return undefined;
      if (table.some((p) => p.n === part.n)) return undefined;
      table.push(part);
    }
    const counted = sizes.length === ORDER.length && sizes.every((n) => Number.isSafeInteger(n));
    return counted ? new IdLines(table, sizes, valid, read) : undefined;
  }

  static empty(): IdLines {
    return new IdLines([], [0, 0, 0], () => true, () => undefined);
  }

  /** Whether a part did not read: what it holds is not known, and the whole is not kept. */
  get broken(): boolean {
    return this.#broken;
  }

  /** The place of the part `line` belongs in: the last whose first line is not after it. */
  #at(line: string): number {
    let [low, high] = [0, this.#parts.length - 1];
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#parts[mid].first <= line) low = mid;
      else high = mid - 1;
    }
    return high;
  }

  #part(at: number): Set<string> | null {
    let lines = this.#loaded.get(at);
    if (lines === undefined) {
      const text = this.#read(this.#parts[at]);
      const all = text === undefined || text === "" ? undefined : text.split("\n");
      lines = all?.every(this.#valid) ? new Set(all) : null;
      this.#loaded.set(at, lines);
      if (lines === null) this.#broken = true;
    }
    return lines;
  }

  #inParts(line: string): boolean {
    const at = this.#at(line);
    return at >= 0 && this.#part(at)?.has(line) === true;
  }

  has(line: string): boolean {
    return this.#added.has(line) || (!this.#removed.has(line) && this.#inParts(line));
  }

  add(line: string): void {
    if (!this.#removed.delete(line) && !this.#inParts(line)) this.#added.add(line);
  }

  delete(line: string): void {
    if (!this.#added.delete(line) && this.#inParts(line)) this.#removed.add(line);
  }

  size(kind: Kind): number {
    const changed = (lines: Set<string>) => [...lines].filter((l) => l.startsWith(`${kind}\t`));
    const kept = this.#sizes[ORDER.indexOf(kind)];
    return kept + changed(this.#added).length - changed(this.#removed).length;
  }

  /**
   * The head's lines and sizes after the changes, and the parts to write (the only ones changed,
   * or cut from one that grew); undefined when a part did not read.
   */
  write():
    | { parts: string[]; sizes: number[]; changed: { n: number; text: string }[] }
    | undefined {
    if (this.#broken) return undefined;
    const into = new Map<number, string[]>();
    for (const line of this.#added) {
      const at = Math.max(0, this.#at(line));
      const lines = into.get(at);
      if (lines === undefined) into.set(at, [line]);
      else lines.push(line);
    }
    for (const line of this.#removed) if (!into.has(this.#at(line))) into.set(this.#at(line), []);
    const table: IdPart[] = [];
    const changed: { n: number; text: string }[] = [];
    let free = Math.max(-1, ...this.#parts.map((p) => p.n)) + 1;
    const cut = (lines: string[], n?: number) => {
      const whole = lines.length <= 2 * PART_IDS;
      for (let at = 0; at < lines.length; at += whole ? lines.length : PART_IDS) {
        const text = lines.slice(at, whole ? lines.length : at + PART_IDS).join("\n");
        const part = { n: at === 0 && n !== undefined ? n : free++, tag: sha256Hex(text) };
        table.push({ ...part, first: lines[at] });
        changed.push({ n: part.n, text });
      }
    };
    if (this.#parts.length === 0) cut([...this.#added].sort());
    for (const [at, part] of this.#parts.entries()) {
      const added = into.get(at);
      if (added === undefined) table.push(part);
      else {cut(
          [...this.#part(at)!].filter((l) => !this.#removed.has(l)).concat(added).sort(),
          part.n,
        );}
    }
    return {
      parts: table.map((p) => `${p.n}\t${p.tag}\t${p.first}`),
      sizes: ORDER.map((kind) => this.size(kind)),
      changed,
    };
  }
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
