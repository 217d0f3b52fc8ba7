/**
 * The index of a large snapshots folder: what `listEntries` found there (each snapshot's id, its
 * record's format and its sort key, newest first), kept in `.claude-mpm/cache/<location>.idx` so
 * `mpm list` need not read and sort 20,000 names on every run. Figures (issue 17, bench `list`,
 * 10,000 sessions): listing and sorting the folder was ~40 ms of `mpm list`'s ~100 over the
 * floor; reading the index takes ~3 ms.
 *
 * It can never disagree with the folder: it is keyed by the folder's inode, modification and
 * status-change times (any file added, removed or renamed there moves both; setting the times
 * back by hand moves the status-change time), and is only used when all three match. It is
 * written only for a folder unchanged for RACY_MS, so a change in the same clock tick as the
 * listing cannot hide behind an equal time (git's "racy" rule), and only for folders of at least
 * MIN_ENTRIES snapshots (a small folder lists faster than the index is read). Anything off in
 * the file — another version, a bad line — and the folder is listed as if there were none.
 */
import * as z from "../kernel/zod.ts";
import { isSessionId } from "../kernel/ids.ts";
import { join } from "../kernel/path.ts";
import { readTextIfExists, writeAtomic } from "../disk/atomic.ts";
import type { ProjectPaths } from "../disk/paths.ts";

export type Format = "json" | "yaml" | "md" | "missing";

/** One snapshot a folder holds, as listEntries keys it. */
export interface Found {
  id: string;
  format: Format;
  key: string;
}

/** What identifies one state of a folder. */
export interface FolderStamp {
  ino: number;
  mtime: number;
  ctime: number;
}

const VERSION = 1;
export const RACY_MS = 2_000;
export const MIN_ENTRIES = 500;
/** Formats as one letter each, the index's `formats` string. */
const LETTER: Record<Format, string> = { json: "j", yaml: "y", md: "m", missing: "x" };
const FORMAT: Record<string, Format> = { j: "json", y: "yaml", m: "md", x: "missing" };

// Columns, not an object per snapshot: JSON.parse of three arrays is native work, where 10,000
// lines split and picked apart by hand took ~12 ms here.
const IndexSchema = z.strictObject({
  version: z.literal(VERSION),
  folder: z.string(),
  ino: z.number(),
  mtime: z.number(),
  ctime: z.number(),
  // Checked below, item by item, without a schema per item (10,000 of them).
  ids: z.array(z.unknown()),
  keys: z.array(z.unknown()),
  formats: z.string(),
});

export function cacheFile(paths: ProjectPaths, location: string): string {
  return join(paths.base, "cache", `${location}.idx`);
}

/** The folder's stamp, or null when it has none to trust (missing, or a file system without). */
export async function folderStamp(folder: string): Promise<FolderStamp | null> {
  const info = await Deno.stat(folder).catch(() => null);
  if (!info?.isDirectory || info.ino === null || !info.mtime || !info.ctime) return null;
  return { ino: info.ino, mtime: info.mtime.getTime(), ctime: info.ctime.getTime() };
}

/** What the index says `folder` holds in state `stamp`, newest first; null when it cannot say. */
export async function readListing(
  file: string,
  folder: string,
  stamp: FolderStamp,
): Promise<Found[] | null> {
  const text = await readTextIfExists(file).catch(() => undefined);
  if (text === undefined) return null;
  let index: z.infer<typeof IndexSchema>;
  try {
    index = IndexSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
  const { ids, keys, formats } = index;
  if (
    index.folder !== folder || index.ino !== stamp.ino || index.mtime !== stamp.mtime ||
    index.ctime !== stamp.ctime || keys.length !== ids.length || formats.length !== ids.length
  ) {
    return null;
  }
  const found: Found[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const [id, key, format] = [ids[i], keys[i], FORMAT[formats[i]]];
    if (typeof id !== "string" || !isSessionId(id) || typeof key !== "string" || !format) {
      return null;
    }
    found[i] = { id, key, format };
  }
  return found;
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
  const text = JSON.stringify({
    version: VERSION,
    folder,
    ...stamp,
    ids: found.map((f) => f.id),
    keys: found.map((f) => f.key),
    formats: found.map((f) => LETTER[f.format]).join(""),
  });
  await writeAtomic(file, text + "\n", { root: paths.base }).catch(() => {});
}
