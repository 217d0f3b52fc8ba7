/**
 * The index of a large snapshots folder: what `listEntries` found there (each snapshot's id and
 * its record's format, newest first), kept in `.claude-mpm/cache/<location>.idx` so `mpm list`
 * need not read and sort 20,000 names on every run.
 *
 * Its shape is what reads fast in a fresh process: the ids as one string (one per line), checked
 * by one sticky regular expression walking it rather than item by item, and the formats as one
 * letter each. Sort keys are not stored: they follow from the ids (`sessionSortKey`), and only
 * the few a listing needs are computed.
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
 * than the index is read). Anything off in the file — another version, a bad line — and the
 * folder is listed as if there were none.
 */
import { checkValue, literal, number, object, string } from "../../../kernel/check.ts";
import { sessionSortKey } from "../../../kernel/ids.ts";
import { join } from "../../../kernel/path.ts";
import { readTextIfExists, statQuietly, writeCache } from "../../../disk/files/atomic.ts";
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

/** What identifies one state of a folder. */
export interface FolderStamp {
  ino: number;
  mtime: number;
  ctime: number;
}

const VERSION = 2;
export const RACY_MS = 2_000;
export const MIN_ENTRIES = 500;
/** Formats as one letter each, the index's `formats` string. */
const LETTER: Record<Format, string> = { json: "j", yaml: "y", md: "m", missing: "x" };
const FORMAT: Record<string, Format> = { j: "json", y: "yaml", m: "md", x: "missing" };

/** The index file: nothing but these keys. */
const indexCheck = object({
  version: literal(VERSION),
  folder: string(),
  ino: number,
  mtime: number,
  ctime: number,
  /** The ids, newest first, one per line; checked by ID_LINE below. */
  ids: string(),
  formats: string(),
}, "refuse");

/**
 * One id (kernel/ids.ts's ID_PATTERN: `session-YYYYMMDD-HHMMSS`, then `-N` or `-MMMxyz`) and its
 * line end. Sticky: walked along the ids string, one match per id, so the whole index is
 * checked without splitting it first.
 */
const ID_LINE = /session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?(?:\n|$)/y;

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

/** What the index says `folder` holds in state `stamp`, newest first; null when it cannot say. */
export async function readColumns(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<Columns | null> {
  const text = await readTextIfExists(file).catch(() => undefined);
  if (text === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const checked = checkValue(indexCheck, raw);
  if (!checked.ok) return null;
  const index = checked.value;
  const { ids, formats } = index;
  if (
    index.folder !== folder || index.ino !== stamp.ino || index.mtime !== stamp.mtime ||
    index.ctime !== stamp.ctime || !/^[jymx]*$/.test(formats) || !wholeIdLines(ids)
  ) {
    return null;
  }
  const list = ids === "" ? [] : ids.split("\n");
  return list.length === formats.length ? { ids: list, formats } : null;
}

/** Whether `text` is ids, one per line, and nothing else. */
function wholeIdLines(text: string): boolean {
  if (text === "") return true;
  if (text.endsWith("\n")) return false;
  ID_LINE.lastIndex = 0;
  while (ID_LINE.lastIndex < text.length) {
    if (!ID_LINE.test(text)) return false;
  }
  return true;
}

/** readColumns as one object per snapshot. */
export async function readListing(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<Found[] | null> {
  const columns = await readColumns(file, folder, stamp);
  return columns?.ids.map((id, i) => ({
    id,
    format: formatAt(columns, i),
    key: keyAt(columns, i),
  })) ??
    null;
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
  const text = JSON.stringify({
    version: VERSION,
    folder,
    ...stamp,
    ids: columns.ids.join("\n"),
    formats: columns.formats,
  });
  await writeCache(file, text + "\n", { root: paths.base });
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
