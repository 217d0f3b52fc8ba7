/**
 * Finding the snapshots, newest first, from the folder listings alone, so that asking which exist
 * loads none of the code that decodes claude-mpm's layouts (read_snapshot.ts reads one).
 */
import { sep } from "../../../kernel/path.ts";
import { idTime, isSessionId, sessionSortKey } from "../../../kernel/ids.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { statQuietly } from "../../../disk/read/stat.ts";
import { readOrder, writtenOrderKeys } from "./order.ts";
import { refuseLinkedFolder } from "./store_folders.ts";
import {
  cacheFile,
  columnEntries,
  type Entries,
  folderStamp,
  type Found,
  readEntries,
  toColumns,
  writeListing,
} from "./listing_cache.ts";

export type Location = "sessions" | "pause" | "archive";

export interface SessionEntry {
  id: string;
  /** The record's file: its .json, else claude-mpm's .yaml or .md; `missing`: the .json is gone. */
  file: string;
  format: "json" | "yaml" | "md" | "missing";
  location: Location;
}

/** The file names in a folder; readDirSync is several times quicker on a large one. */
function readDirNames(dir: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile || entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    // A file where the folder should be is thrown, said as one sentence (faultError).
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

const FOLDER: Record<Location, (paths: ProjectPaths) => string> = {
  sessions: (p) => p.sessions,
  pause: (p) => p.legacyPause,
  archive: (p) => p.archive,
};

/** A location's snapshots folder; refused when a link leads out of `.claude-mpm/`. */
export function snapshotFolder(paths: ProjectPaths, location: Location): string {
  const dir = FOLDER[location](paths);
  refuseLinkedFolder(paths, dir);
  return dir;
}

/** The snapshots in `dir`, newest first, from its file names (no index). */
// deno-lint-ignore require-await
export async function listFolder(dir: string): Promise<Found[]> {
  return foundIn(readDirNames(dir));
}

/** Every snapshot, newest first, from the folder listings (sessions/ over pause/ over archive/). */
export async function listEntries(
  paths: ProjectPaths,
  options: { locations?: Location[] } = {},
): Promise<SessionEntry[]> {
  return (await listSnapshots(paths, options)).slice();
}

/** listEntries' snapshots, newest first, built only when sliced; an array is a Listing too. */
export interface Listing {
  readonly length: number;
  slice(start?: number, end?: number): SessionEntry[];
}

/** A listing's entries, newest first, built a page at a time. */
export function* newestFirst(listing: Listing, page = 64): Generator<SessionEntry> {
  for (let start = 0; start < listing.length; start += page) {
    yield* listing.slice(start, start + page);
  }
}

/** listEntries without building every entry: see Listing. */
export async function listSnapshots(
  paths: ProjectPaths,
  options: { locations?: Location[] } = {},
): Promise<Listing> {
  const locations = options.locations ?? ["sessions", "pause"];
  const folders = await Promise.all(locations.map((location) => folderEntries(paths, location)));
  const filled = folders.filter((found) => found.columns.length > 0);
  // The snapshots written here last keep the order they were written in (order.ts).
  const recent = locations.includes("sessions") ? readOrder(paths).recent : [];
  const reordered = writtenOrderKeys(recent, (id) => sessionSortKey(id)) !== null;
  if (filled.length <= 1 && !reordered) {
    // One folder's entries come sorted: only the newest few are looked at (capFutureIds).
    const only = filled[0] ?? folders[0] ?? { location: "sessions", dir: "", columns: EMPTY };
    const head = keyedRange(only, 0, MAX_ARRIVAL_CHECKS);
    if (!capFutureIds(head)) return columnListing(only);
    return movedListing(only, head);
  }
  const byId = new Map<string, Keyed>();
  for (const found of filled) {
    for (const k of keyedRange(found, 0, found.columns.length)) {
      if (!byId.has(k.entry.id)) byId.set(k.entry.id, k);
    }
  }
  const keyed = [...byId.values()].sort(byKey);
  if (capFutureIds(keyed)) keyed.sort(byKey);
  if (reordered) {
    const moved = writtenOrderKeys(recent, (id) => {
      const k = byId.get(id);
      return k?.entry.location === "sessions" ? k.key : undefined;
    });
    for (const [id, key] of moved ?? []) byId.get(id)!.key = key;
    if (moved) keyed.sort(byKey);
  }
  return keyed.map((k) => k.entry);
}

const byKey = (a: { key: string }, b: { key: string }) =>
  a.key < b.key ? 1 : a.key > b.key ? -1 : 0;

const EMPTY: Entries = columnEntries({ ids: [], formats: "" });

interface Keyed {
  entry: SessionEntry;
  key: string;
}

/** One folder's snapshots, newest first. */
interface FolderFound {
  location: Location;
  dir: string;
  columns: Entries;
}

function entryAt(found: FolderFound, i: number): SessionEntry {
  const id = found.columns.id(i);
  const format = found.columns.format(i);
  return {
    id,
    file: `${found.dir}${sep}${id}.${format === "missing" ? "json" : format}`,
    format,
    location: found.location,
  };
}

function keyedRange(found: FolderFound, start: number, end: number): Keyed[] {
  return whole(found, () => {
    const stop = Math.min(end, found.columns.length);
    const out: Keyed[] = [];
    for (let i = start; i < stop; i++) {
      out.push({ entry: entryAt(found, i), key: found.columns.key(i) });
    }
    return out;
  });
}

/** `build`'s answer, built again if the index gave way to the listing meanwhile. */
function whole<T>(found: FolderFound, build: () => T): T {
  const before = found.columns.relisted;
  const out = build();
  return found.columns.relisted === before ? out : build();
}

function columnListing(found: FolderFound): Listing {
  return {
    // Read each time: an index found bad partway gives way to the folder's own listing.
    get length() {
      return found.columns.length;
    },
    slice(start = 0, end?: number) {
      return whole(found, () => {
        const length = found.columns.length;
        const [from, to] = [clampIndex(start, length), clampIndex(end ?? length, length)];
        const out: SessionEntry[] = [];
        for (let i = from; i < to; i++) out.push(entryAt(found, i));
        return out;
      });
    },
  };
}

/** The few newest a listing moves (capFutureIds), each with where it lands. */
interface Moves {
  relisted: boolean;
  /** By where they land, each at its index in the listing. */
  moved: { entry: SessionEntry; at: number }[];
  /** Their places in the folder's order, ascending. */
  from: number[];
}

/** Where `head`'s entries whose keys capFutureIds changed land among the folder's others. */
function movesOf(found: FolderFound, head: Keyed[]): Moves {
  const columns = found.columns;
  const changed = head.map((k, i) => ({ ...k, i })).filter((k) => k.key !== columns.key(k.i));
  // As a stable sort of the whole folder by key would place them: by key, then folder order.
  changed.sort((a, b) => byKey(a, b) || a.i - b.i);
  const from = changed.map((k) => k.i).sort((a, b) => a - b);
  const moved = changed.map((k, rank) => {
    // The folder's entries that sort before it: a prefix, its keys newest first.
    const before = (c: number) => {
      const key = columns.key(c);
      return key > k.key || (key === k.key && c < k.i);
    };
    let [low, high] = [0, columns.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (before(mid)) low = mid + 1;
      else high = mid;
    }
    return { entry: k.entry, at: low - from.filter((f) => f < low).length + rank };
  });
  return { relisted: columns.relisted, moved, from };
}

/**
 * A folder's listing with the few ids dated after their arrival moved to where their arrival
 * sorts, built a page at a time as columnListing is: a teammate's clock set ahead costs a listing
 * of 60,000 no more than of 20. Planned again if the index gives way to the folder's listing.
 */
function movedListing(found: FolderFound, head: Keyed[]): Listing {
  let moves = movesOf(found, head);
  const current = () => {
    if (moves.relisted !== found.columns.relisted) {
      const again = keyedRange(found, 0, MAX_ARRIVAL_CHECKS);
      capFutureIds(again);
      moves = movesOf(found, again);
    }
    return moves;
  };
  return {
    get length() {
      return found.columns.length;
    },
    slice(start = 0, end?: number) {
      return whole(found, () => {
        const { moved, from } = current();
        const length = found.columns.length;
        const [first, last] = [clampIndex(start, length), clampIndex(end ?? length, length)];
        const out: SessionEntry[] = [];
        let j = moved.findIndex((m) => m.at >= first);
        if (j === -1) j = moved.length;
        for (let at = first; at < last; at++) {
          if (j < moved.length && moved[j].at === at) {
            out.push(moved[j++].entry);
            continue;
          }
          // The (at - j)th of the folder's entries that did not move.
          let c = at - j;
          for (const f of from) if (f <= c) c++;
          out.push(entryAt(found, c));
        }
        return out;
      });
    },
  };
}

/** Array.prototype.slice's reading of an index (negative counts from the end). */
function clampIndex(index: number, length: number): number {
  const i = Math.trunc(index) || 0;
  return i < 0 ? Math.max(length + i, 0) : Math.min(i, length);
}

/** One folder's snapshots, newest first: from its current index, else listed (and indexed). */
async function folderEntries(paths: ProjectPaths, location: Location): Promise<FolderFound> {
  const dir = snapshotFolder(paths, location);
  const index = cacheFile(paths, location);
  // Stamped before the folder is read: a change while it is read makes the index stale.
  const stamp = await folderStamp(dir);
  // A bad line met while reading the index: the folder is listed instead.
  const relist = () => toColumns(foundIn(readDirNames(dir)));
  const read = stamp ? await readEntries(index, dir, stamp, relist) : null;
  if (read !== null) return { location, dir, columns: read };
  const found = await listFolder(dir);
  if (stamp) await writeListing(paths, index, dir, stamp, found, Date.now());
  return { location, dir, columns: columnEntries(toColumns(found)) };
}

/** The snapshots among a folder's file names, newest first. */
function foundIn(names: string[]): Found[] {
  const byId = new Map<string, Found>();
  const present = new Set(names);
  for (const name of names) {
    // String tests, not a regular expression per name: this loop is most of the listing's time.
    const dot = name.lastIndexOf(".");
    const ext = name.slice(dot + 1);
    if (dot <= 0 || (ext !== "json" && ext !== "yaml" && ext !== "md")) continue;
    const id = name.slice(0, dot);
    if (byId.has(id) || !isSessionId(id)) continue;
    // The record first: a .json, else claude-mpm's full .yaml, else its .md.
    if (ext !== "json" && present.has(`${id}.json`)) continue;
    if (ext === "md" && present.has(`${id}.yaml`)) continue;
    // A rendering beside a claimed checksum but no .json: the record itself is gone.
    const missing = ext !== "json" && present.has(`${id}.json.sha256`);
    // Keys are computed once: a comparator that parses ids costs more than the listing itself.
    byId.set(id, { id, format: missing ? "missing" : ext, key: sessionSortKey(id) });
  }
  return [...byId.values()].sort((a, b) => a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

/** A file written this long before the time its id names is dated after its arrival. */
const ARRIVAL_SLACK_MS = 5 * 60_000;
/** At most this many of the newest are looked at (a whole folder of forged ids, say). */
const MAX_ARRIVAL_CHECKS = 50;

/** Caps forged future ids: the newest sort no later than their file's arrival here. */
function capFutureIds(keyed: Keyed[]): boolean {
  let changed = false;
  for (const item of keyed.slice(0, MAX_ARRIVAL_CHECKS)) {
    const made = idTime(item.entry.id);
    if (made === undefined) break;
    const written = item.entry.format === "missing"
      ? null
      : statQuietly(item.entry.file)?.mtime ?? null;
    if (written === null) continue;
    if (made.getTime() <= written.getTime() + ARRIVAL_SLACK_MS) break;
    item.key = sessionSortKey(item.entry.id, written);
    changed = true;
  }
  return changed;
}
