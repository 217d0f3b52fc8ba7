/**
 * The index of a large snapshots folder: what `listEntries` found there (each snapshot's id and
 * its record's format, newest first), kept in `.claude-mpm/cache/<location>.idx` so `mpm list`
 * need not read and sort 20,000 names on every run.
 *
 * Its shape is what reads fast in a fresh process: a line of JSON saying which folder state it
 * names and how many snapshots, then one line per snapshot (its format's letter and its id),
 * each padded to the same width, so entry `i` is at a known offset. A listing decodes and checks
 * only the lines it uses (`mpm list`'s page: about 20 of 10,000), not every id; the whole index,
 * as one JSON string split into 10,000, cost a fresh process about 8 ms more. Sort keys are not
 * stored: they follow from the ids (`sessionSortKey`), and only the few a listing needs are
 * computed.
 *
 * It can never disagree with the folder: it is keyed by the folder's inode, modification and
 * status-change times (any file added, removed or renamed there moves both; setting the times
 * back by hand moves the status-change time), and is only used when all three match. Whatever
 * adds, removes or renames snapshots keeps it, under the project's lock (listing_update.ts), so
 * the first listing after a pause reads it too. A reader that finds it stale lists the folder and
 * writes it again only for a folder unchanged for RACY_MS, so a change in the same clock tick as
 * its listing cannot hide behind an equal time (git's "racy" rule); a writer cannot wait for
 * that, and sets the folder's modification time back instead (listing_update.ts says why that is
 * as safe). Only folders of at least MIN_ENTRIES snapshots have one (a small folder lists faster
 * than the index is read). Anything off in the file — another version, a size its header does
 * not account for, a bad line met while reading — and the folder is listed as if there were none.
 */
import { checkValue, literal, number, object, string } from "../../../kernel/check.ts";
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

/**
 * What a folder holds, newest first, as columns: the index's own shape, so a listing of 10,000
 * builds objects only for the entries a page shows.
 */
export interface Columns {
  ids: string[];
  /** One letter per id (LETTER). */
  formats: string;
  /** Each id's sort key, when known; else `sessionSortKey(id)` (keyAt). */
  keys?: string[];
}

/**
 * What a folder holds, newest first, by position: Columns, or an index read line by line as the
 * listing asks (readEntries).
 */
export interface Entries {
  readonly length: number;
  /** Whether an index gave way to the folder's own listing (a bad line was met). */
  readonly relisted: boolean;
  id(i: number): string;
  format(i: number): Format;
  key(i: number): string;
}

/** Columns as Entries. */
export function columnEntries(columns: Columns): Entries {
  return {
    length: columns.ids.length,
    relisted: false,
    id: (i) => columns.ids[i],
    format: (i) => formatAt(columns, i),
    key: (i) => keyAt(columns, i),
  };
}

/** What identifies one state of a folder. */
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

/**
 * One snapshot's line: its format's letter, its id (kernel/ids.ts's ID_PATTERN:
 * `session-YYYYMMDD-HHMMSS`, then `-N` or `-MMMxyz`), spaces up to the width, a line break.
 */
const LINE_PATTERN = String.raw`([jymx])(session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?) *\n`;
const LINE = new RegExp(`^${LINE_PATTERN}$`);
/** LINE walked along the whole index: one match per line, without cutting the text up first. */
const NEXT_LINE = new RegExp(LINE_PATTERN, "y");

const decoder = new TextDecoder();

/**
 * A line's bytes as text, one character a byte: LINE matches ASCII only, and a byte past it
 * fails the match as its UTF-8 reading would. A window's thousands of lines are read this way
 * without a decoder call each.
 */
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

/** Found entries as columns (what a listing of the folder itself gives). */
export function toColumns(found: Found[]): Columns {
  return {
    ids: found.map((f) => f.id),
    formats: found.map((f) => LETTER[f.format]).join(""),
    keys: found.map((f) => f.key),
  };
}

/**
 * What the index says `folder` holds in state `stamp`, newest first, each line decoded and
 * checked when it is first asked for; null when it cannot say. A bad line met later gives what
 * `relist` lists instead, from then on.
 */
export async function readEntries(
  file: string,
  folder: string,
  stamp: FolderStamp,
  relist: () => Columns,
): Promise<Entries | null> {
  const size = statQuietly(file)?.size;
  if (size === undefined) return null;
  // Its head first: a listing mostly asks for the newest few, and at 50,000 snapshots the
  // whole index is 1.6 MB to read for them.
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
      // Past what was read: more of it (four times as much, at least to this line; a board's
      // window of a long history needs its first part, not all), and only while its header
      // and size still say the same.
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

/**
 * The index's first `upTo` bytes (all, when it is shorter), when it is still the one whose head
 * was read (same header, same size).
 */
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
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes.subarray(0, end)));
  } catch {
    return null;
  }
  const checked = checkValue(headerCheck, raw);
  if (!checked.ok) return null;
  const header = checked.value;
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

/**
 * What the index says `folder` holds in state `stamp`, every line checked (a writer's whole
 * index, decoded at once); null when it cannot say.
 */
export async function readColumns(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<Columns | null> {
  const bytes = await readBytesIfExists(file).catch(() => undefined);
  const index = bytes && indexLines(bytes, folder, stamp);
  if (!index) return null;
  const body = decoder.decode(bytes.subarray(index.start));
  const ids: string[] = [];
  let formats = "";
  NEXT_LINE.lastIndex = 0;
  for (let at = 0; at < body.length; at += index.width) {
    if (!NEXT_LINE.test(body) || NEXT_LINE.lastIndex !== at + index.width) return null;
    ids.push(body.slice(at + 1, at + index.width - 1).trimEnd());
    formats += body[at];
  }
  return ids.length === index.count ? { ids, formats } : null;
}

/**
 * Keeps what was found in `folder` (stamped before it was read) for the next listing, when the
 * folder is large and has been still long enough. Best effort: a read-only project just lists.
 */
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

/**
 * Writes the index saying that `folder`, in state `stamp`, holds `columns`. Without fsyncs
 * (writeCache): after a crash it is missing, or it names a state the folder is no longer in.
 */
export async function writeIndex(
  paths: ProjectPaths,
  file: string,
  folder: string,
  stamp: FolderStamp,
  columns: Columns,
): Promise<void> {
  await writeCache(file, indexText({ folder, ...stamp, ...columns }), { root: paths.base });
}

/** An index's fields, its lines as one string each (the shape of version 2, for tests). */
export interface IndexFields extends FolderStamp {
  folder: string;
  /** The ids, newest first, one per line. */
  ids: string;
  /** One letter per id. */
  formats: string;
}

/** The index file's text for these fields, ids given one per line or as a list. */
export function indexText(
  fields: Omit<IndexFields, "ids"> & { ids: string | readonly string[] },
): string {
  const ids = typeof fields.ids === "string" ? fields.ids.split("\n") : fields.ids;
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

/** An index file's fields, read back as written (unchecked); null when it has no header. */
export function indexFields(text: string): IndexFields & { version: unknown } | null {
  const end = text.indexOf("\n");
  if (end < 0) return null;
  const header = JSON.parse(text.slice(0, end));
  const lines = text.slice(end + 1).split("\n").slice(0, -1);
  return {
    ...header,
    ids: lines.map((line) => line.slice(1).trimEnd()).join("\n"),
    formats: lines.map((line) => line[0]).join(""),
  };
}

/** What a writer did to a folder's snapshots. */
export interface FolderChange {
  /** Snapshots now there (one already listed is listed again with its new format). */
  added?: Found[];
  /** Ids no longer there. */
  removed?: string[];
}

/**
 * `before` (newest first) with `change` made: the few ids it adds are put in their place, found
 * by a binary search that computes the sort keys of a few ids, not of every id a large folder
 * holds; one already there keeps its place and takes its new format.
 */
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
