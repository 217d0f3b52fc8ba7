/**
 * The index of a large snapshots folder (`cache/<location>.idx`), one padded line a snapshot; used
 * only while the folder's inode, mtime and ctime match, rewritten only past RACY_MS (git's rule).
 */
import { checkedJson, literal, number, object, string } from "../../../kernel/check.ts";
import { sessionSortKey } from "../../../kernel/ids.ts";
import { join } from "../../../kernel/path.ts";
import {
  MAX_READ_BYTES,
  readBytesIfExists,
  readSpan,
  readSpanSync,
} from "../../../disk/read/read.ts";
import { statQuietly } from "../../../disk/read/stat.ts";
import { writeCache } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";

export type Format = "json" | "yaml" | "md" | "missing";

/** One snapshot a folder holds, as listEntries keys it. */
export interface Found {
  id: string;
  format: Format;
  key: string;
}

/** What a folder holds, newest first, as columns: a page builds objects only for its entries. */
export interface Columns {
  ids: string[];
  /** One letter per id (LETTER). */
  formats: string;
  /** Each id's sort key, when known; else `sessionSortKey(id)` (keyAt). */
  keys?: string[];
}

/** What a folder holds, newest first, by position: Columns, or an index read as asked. */
export interface Entries {
  readonly length: number;
  /** Whether an index gave way to the folder's own listing (a bad line was met). */
  readonly relisted: boolean;
  id(i: number): string;
  format(i: number): Format;
  key(i: number): string;
}

export function columnEntries(columns: Columns): Entries {
  return {
    length: columns.ids.length,
    relisted: false,
    id: (i) => columns.ids[i],
    format: (i) => formatAt(columns, i),
    key: (i) => keyAt(columns, i),
  };
}

export interface FolderStamp {
  ino: number;
  mtime: number;
  ctime: number;
}

const VERSION = 3;
export const RACY_MS = 2_000;
export const MIN_ENTRIES = 500;
/** Formats as one letter each, the index's `formats` string. */
const LETTER: Record<Format, string> = { json: "j", yaml: "y", md: "m", missing: "x" };
const FORMAT: Record<string, Format> = { j: "json", y: "yaml", m: "md", x: "missing" };

/** The index's first line: nothing but these keys. */
const headerCheck = object({
  version: literal(VERSION),
  folder: string(),
  ino: number,
  mtime: number,
  ctime: number,
  /** How many snapshots: the lines after this one. */
  count: number,
  /** Each of those lines' length, its line break included (all are padded to the longest). */
  width: number,
}, "refuse");

/** One snapshot's line: format letter, id (kernel/ids.ts), padding, a line break. */
const LINE_PATTERN = String.raw`([jymx])(session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?) *\n`;
const LINE = new RegExp(`^${LINE_PATTERN}$`);
/** LINE walked along the whole index: one match per line, without cutting the text up first. */
const NEXT_LINE = new RegExp(LINE_PATTERN, "y");

const decoder = new TextDecoder();

/** A line's bytes as text, one character a byte (LINE matches ASCII only). */
function asciiOf(bytes: Uint8Array): string {
  // An index's lines are a few dozen bytes; a header that says wider is read the usual way.
  if (bytes.length > 256) return decoder.decode(bytes);
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

export function cacheFile(paths: ProjectPaths, location: string): string {
  return join(paths.base, "cache", `${location}.idx`);
}

/** The folder's stamp, or null when it has none to trust (missing, or a file system without). */
// deno-lint-ignore require-await
export async function folderStamp(folder: string): Promise<FolderStamp | null> {
  const info = statQuietly(folder);
  if (!info?.isDirectory || info.ino === null || !info.mtime || !info.ctime) return null;
  return { ino: info.ino, mtime: info.mtime.getTime(), ctime: info.ctime.getTime() };
}

export function formatAt(columns: Columns, i: number): Format {
  return FORMAT[columns.formats[i]];
}

export function keyAt(columns: Columns, i: number): string {
  return columns.keys?.[i] ?? sessionSortKey(columns.ids[i]);
}

export function toColumns(found: Found[]): Columns {
  return {
    ids: found.map((f) => f.id),
    formats: found.map((f) => LETTER[f.format]).join(""),
    keys: found.map((f) => f.key),
  };
}

/** What the index says `folder` holds in state `stamp`, lines checked lazily; null when unknown. */
export async function readEntries(
  file: string,
  folder: string,
  stamp: FolderStamp,
  relist: () => Columns,
): Promise<Entries | null> {
  const size = statQuietly(file)?.size;
  if (size === undefined) return null;
  // Its head first: a listing mostly asks for the newest few.
  const head = await (size <= HEAD_BYTES ? readBytesIfExists(file) : readSpan(file, 0, HEAD_BYTES))
    .catch(() => undefined);
  const index = head && indexLines(head, folder, stamp, size);
  if (!index) return null;
  let bytes = head;
  let listed: Entries | null = null;
  const line = (i: number): RegExpExecArray | null => {
    if (!Number.isInteger(i) || i < 0 || i >= index.count) return null;
    const at = index.start + i * index.width;
    if (at + index.width > bytes.length) {
      // Past what was read: more of it, while its header and size still say the same.
      const upTo = Math.max(bytes.length * 4, at + index.width);
      const more = indexPrefix(file, head.subarray(0, index.start), size, upTo);
      if (more === null) return null;
      bytes = more;
    }
    return LINE.exec(asciiOf(bytes.subarray(at, at + index.width)));
  };
  // An entry's id and format are asked one after the other: its line is decoded once.
  let last: { i: number; found: RegExpExecArray | null } | null = null;
  const entry = (i: number) => {
    const found = listed !== null ? null : last?.i === i ? last.found : line(i);
    last = { i, found };
    if (found === null) listed ??= columnEntries(relist());
    return found;
  };
  return {
    get length() {
      return listed?.length ?? index.count;
    },
    get relisted() {
      return listed !== null;
    },
    id: (i) => entry(i)?.[2] ?? listed!.id(i),
    format: (i) => {
      const found = entry(i);
      return found ? FORMAT[found[1]] : listed!.format(i);
    },
    key: (i) => {
      const found = entry(i);
      return found ? sessionSortKey(found[2]) : listed!.key(i);
    },
  };
}

/** How much of an index a listing reads first: its header and about 2,000 lines. */
const HEAD_BYTES = 64 * 1024;

/** The index's first `upTo` bytes while it is still the one whose head was read. */
function indexPrefix(
  file: string,
  header: Uint8Array,
  size: number,
  upTo: number,
): Uint8Array | null {
  // One larger than mpm reads of a file is not mpm's: the folder is listed instead.
  if (size > MAX_READ_BYTES) return null;
  let read: { bytes: Uint8Array; size: number } | undefined;
  try {
    read = readSpanSync(file, 0, Math.min(upTo, size));
  } catch {
    return null;
  }
  if (read === undefined || read.size !== size || read.bytes.length < Math.min(upTo, size)) {
    return null;
  }
  const { bytes } = read;
  for (let i = 0; i < header.length; i++) if (bytes[i] !== header[i]) return null;
  return bytes;
}

/** Where an index's lines start, how many and how wide, when its header names this state. */
function indexLines(
  bytes: Uint8Array,
  folder: string,
  stamp: FolderStamp,
  size = bytes.length,
): { start: number; count: number; width: number } | null {
  const end = bytes.indexOf(0x0a);
  if (end < 0) return null;
  const header = checkedJson(headerCheck, decoder.decode(bytes.subarray(0, end)));
  if (header === null) return null;
  const { count, width } = header;
  if (
    header.folder !== folder || header.ino !== stamp.ino || header.mtime !== stamp.mtime ||
    header.ctime !== stamp.ctime || !Number.isInteger(count) || count < 0 ||
    !Number.isInteger(width) || width < 2 || size !== end + 1 + count * width
  ) {
    return null;
  }
  return { start: end + 1, count, width };
}

/** An index as read, every line checked: its bytes, where its lines start, how many, how wide. */
export interface IndexBytes {
  bytes: Uint8Array;
  start: number;
  count: number;
  width: number;
}

/** The index of `folder` in state `stamp` as read, every line checked; null: unknown. */
export async function readIndexBytes(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<IndexBytes | null> {
  // Read into one buffer of its size, not in pieces joined after: the index is a store's size.
  const size = statQuietly(file)?.size;
  if (size === undefined || size > MAX_READ_BYTES) return null;
  const bytes = await readSpan(file, 0, size).catch(() => undefined);
  const index = bytes && indexLines(bytes, folder, stamp);
  if (!index) return null;
  // Checked a page of lines at a time: a store of 60,000 is never one string besides its bytes.
  const page = CHECK_LINES * index.width;
  for (let from = index.start; from < bytes.length; from += page) {
    const body = decoder.decode(bytes.subarray(from, from + page));
    NEXT_LINE.lastIndex = 0;
    for (let at = 0; at < body.length; at += index.width) {
      if (!NEXT_LINE.test(body) || NEXT_LINE.lastIndex !== at + index.width) return null;
    }
    if (body.length % index.width !== 0) return null;
  }
  return { bytes, ...index };
}

/** Lines readIndexBytes checks as one string. */
const CHECK_LINES = 2048;

/**
 * Bytes left before a changed index's lines (addedLines) for the header writeIndexLines puts
 * there: the file is written from the one buffer, not copied behind a header.
 */
const HEADER_ROOM = 512;

/** The id on line `i` of a checked index (line 0: the newest, as its lines are sorted). */
export function idAt(index: IndexBytes, i: number): string {
  const at = index.start + i * index.width;
  return asciiOf(index.bytes.subarray(at + 1, at + index.width - 1)).trimEnd();
}

/** The format's letter (LETTER) on line `i` of a checked index. */
export const letterAt = (index: IndexBytes, i: number): string =>
  String.fromCharCode(index.bytes[index.start + i * index.width]);

/** A checked index's lines as Columns. */
export function indexColumns(index: IndexBytes): Columns {
  const ids: string[] = [];
  let formats = "";
  for (let i = 0; i < index.count; i++) {
    ids.push(idAt(index, i));
    formats += letterAt(index, i);
  }
  return { ids, formats };
}

/**
 * The lines of `index` with `added` placed as changedColumns places them (one already there takes
 * its format), without a string a line: a pull's hundred into a store of 60,000 copy bytes. Null
 * when an id is wider than the index's lines (the caller goes by Columns).
 */
export function addedLines(index: IndexBytes, added: readonly Found[]): IndexBytes | null {
  const { bytes, start, count, width } = index;
  const body = bytes.subarray(start, start + count * width);
  // Known ids' new formats, by line, set once the lines are copied.
  const letters = new Map<number, number>();
  const inserts = new Map<string, { at: number; found: Found }>();
  for (const found of added) {
    if (found.id.length + 2 > width) return null;
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (sessionSortKey(idAt(index, mid)) > found.key) low = mid + 1;
      else high = mid;
    }
    if (low < count && idAt(index, low) === found.id) {
      letters.set(low, LETTER[found.format].charCodeAt(0));
      inserts.delete(found.id);
    } else inserts.set(found.id, { at: low, found });
  }
  const ordered = [...inserts.values()].sort((x, y) =>
    x.at - y.at || (x.found.key > y.found.key ? -1 : x.found.key < y.found.key ? 1 : 0)
  );
  const out = new Uint8Array(HEADER_ROOM + (count + ordered.length) * width);
  const encoder = new TextEncoder();
  let from = 0;
  let to = HEADER_ROOM;
  const copy = (upTo: number) => {
    out.set(body.subarray(from * width, upTo * width), to);
    for (const [line, letter] of letters) {
      if (line >= from && line < upTo) out[to + (line - from) * width] = letter;
    }
    to += (upTo - from) * width;
    from = upTo;
  };
  for (const { at, found } of ordered) {
    copy(at);
    out.set(encoder.encode(`${LETTER[found.format]}${found.id}`.padEnd(width - 1) + "\n"), to);
    to += width;
  }
  copy(count);
  return { bytes: out, start: HEADER_ROOM, count: count + ordered.length, width };
}

/** Keeps what was found for the next listing, when the folder is large and still. Best effort. */
export async function writeListing(
  paths: ProjectPaths,
  file: string,
  folder: string,
  stamp: FolderStamp,
  found: Found[],
  now: number,
): Promise<void> {
  if (found.length < MIN_ENTRIES) return;
  if (now - Math.max(stamp.mtime, stamp.ctime) < RACY_MS) return;
  await writeIndex(paths, file, folder, stamp, toColumns(found)).catch(() => {});
}

/** Writes the index, without fsyncs (writeCache): a crash leaves none, or a stale one. */
export async function writeIndex(
  paths: ProjectPaths,
  file: string,
  folder: string,
  stamp: FolderStamp,
  columns: Columns,
): Promise<IndexBytes | null> {
  const bytes = new TextEncoder().encode(indexText({ folder, ...stamp, ...columns }));
  await writeCache(file, bytes, { root: paths.base });
  return written(bytes, folder, stamp);
}

/** An index just written, as readIndexBytes gives it (its lines are the writer's own). */
function written(bytes: Uint8Array, folder: string, stamp: FolderStamp): IndexBytes | null {
  const index = indexLines(bytes, folder, stamp);
  return index && { bytes, ...index };
}

/** Writes an index of `lines` (addedLines) in state `stamp`, as writeIndex does. */
export async function writeIndexLines(
  paths: ProjectPaths,
  file: string,
  folder: string,
  stamp: FolderStamp,
  lines: IndexBytes,
): Promise<IndexBytes | null> {
  const { count, width } = lines;
  const { ino, mtime, ctime } = stamp;
  const header = new TextEncoder().encode(
    JSON.stringify({ version: VERSION, folder, ino, mtime, ctime, count, width }) + "\n",
  );
  const end = lines.start + count * width;
  // The header in the room before the lines (addedLines', or the header read): no copy.
  const into = lines.start >= header.length ? lines.bytes : null;
  into?.set(header, lines.start - header.length);
  const out = into?.subarray(lines.start - header.length, end) ??
    concat(header, lines.bytes.subarray(lines.start, end));
  await writeCache(file, out, { root: paths.base });
  const index = written(out, folder, stamp);
  // Kept with the room before its header: a second write (the LATEST-SESSION stamp) uses it too.
  return index && into ? { ...index, bytes: into, start: lines.start } : index;
}

function concat(head: Uint8Array, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** The index file's text for these fields. */
export function indexText(
  fields: FolderStamp & Omit<Columns, "keys"> & { folder: string },
): string {
  const { ids } = fields;
  const width = ids.reduce((w, id) => Math.max(w, id.length + 2), 2);
  const { folder, ino, mtime, ctime } = fields;
  const header = JSON.stringify({
    version: VERSION,
    folder,
    ino,
    mtime,
    ctime,
    count: ids.length,
    width,
  });
  const lines = ids.map((id, i) => `${fields.formats[i] ?? "?"}${id}`.padEnd(width - 1) + "\n");
  return `${header}\n${lines.join("")}`;
}

export interface FolderChange {
  /** Snapshots now there (one already listed is listed again with its new format). */
  added?: Found[];
  /** Ids no longer there. */
  removed?: string[];
}

/** `before` with `change` made: new ids placed by binary search; one there takes its format. */
export function changedColumns(before: Columns, change: FolderChange): Columns {
  let ids = before.ids.slice();
  let formats = before.formats;
  let keys = before.keys?.slice();
  if (change.removed?.length) {
    const gone = new Set(change.removed);
    const kept = ids.flatMap((id, i) => gone.has(id) ? [] : [i]);
    ids = kept.map((i) => before.ids[i]);
    formats = kept.map((i) => before.formats[i]).join("");
    keys = keys && kept.map((i) => keys![i]);
  }
  const keyOf = (i: number) => keys?.[i] ?? sessionSortKey(ids[i]);
  for (const found of change.added ?? []) {
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (keyOf(mid) > found.key) low = mid + 1;
      else high = mid;
    }
    const letter = LETTER[found.format];
    if (ids[low] === found.id) {
      formats = formats.slice(0, low) + letter + formats.slice(low + 1);
      continue;
    }
    ids.splice(low, 0, found.id);
    keys?.splice(low, 0, found.key);
    formats = formats.slice(0, low) + letter + formats.slice(low);
  }
  return keys ? { ids, formats, keys } : { ids, formats };
}
