/**
 * Keeping a snapshots folder's index current, under the lock. A writer sets the folder's mtime
 * RACY_MS back before stamping, so another program's change in the same tick stales the index.
 */
import { sessionSortKey } from "../../../kernel/ids.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { removeQuietly, setTimes } from "../../../disk/files/entries.ts";
import {
  addedLines,
  cacheFile,
  changedColumns,
  type Columns,
  type FolderChange,
  type FolderStamp,
  folderStamp,
  type Found,
  idAt,
  type IndexBytes,
  indexColumns,
  MIN_ENTRIES,
  RACY_MS,
  readIndexBytes,
  toColumns,
  writeIndex,
  writeIndexLines,
} from "./listing_cache.ts";
import { listFolder, type Location, snapshotFolder } from "./listing.ts";

export interface IndexUpdate {
  /**
   * The writer's change is in place: the index is brought up to date with it. Again after a later
   * change (none listed: a file no index lists, LATEST-SESSION.txt): from the index it wrote last,
   * nothing read again.
   */
  commit(change: FolderChange): Promise<void>;
  /**
   * The newest snapshot the folder held when the update was opened, as its index says (its first
   * line); null when there was no current index to say it.
   */
  newest(): string | null;
}

/** Opens an update of `location`'s index before the change: the current index, else a relist. */
export async function openIndexUpdate(
  paths: ProjectPaths,
  location: Location,
): Promise<IndexUpdate> {
  const dir = snapshotFolder(paths, location);
  const stamp = await folderStamp(dir);
  let before = stamp
    ? await readIndexBytes(cacheFile(paths, location), dir, stamp).catch(() => null)
    : null;
  const opened = before;
  return {
    commit: async (change) => {
      const from = before;
      before = await keep(paths, location, from ? () => changedIndex(from, change) : undefined);
    },
    newest: () => opened && opened.count > 0 ? idAt(opened, 0) : null,
  };
}

/** `before` with `change` made: as bytes when it only adds (a pull's, a pause's), else as Columns. */
function changedIndex(before: IndexBytes, change: FolderChange): Columns | IndexBytes {
  if (!change.added?.length && !change.removed?.length) return before;
  const lines = change.removed?.length ? null : addedLines(before, change.added ?? []);
  return lines ?? changedColumns(indexColumns(before), change);
}

/** After a writer changed `locations` in ways it does not list: each folder is listed again. */
export async function keepIndexes(
  paths: ProjectPaths,
  locations: readonly Location[],
): Promise<void> {
  for (const location of locations) await keep(paths, location);
}

/** A snapshot a writer just wrote (its record, the `.json`). */
export function written(id: string): Found {
  return { id, format: "json", key: sessionSortKey(id) };
}

/**
 * Writes the index stamped after setting the mtime back; best effort (else it is removed).
 * Returns what it wrote, or null.
 */
async function keep(
  paths: ProjectPaths,
  location: Location,
  columns?: () => Columns | IndexBytes,
): Promise<IndexBytes | null> {
  const dir = snapshotFolder(paths, location);
  const file = cacheFile(paths, location);
  try {
    const now = columns?.() ?? toColumns(await listFolder(dir));
    if (("ids" in now ? now.ids.length : now.count) < MIN_ENTRIES) {
      await removeQuietly(file);
      return null;
    }
    const stamp = await markedStamp(dir);
    if (stamp === null) throw new Error("no folder state to key the index by");
    if ("ids" in now) return await writeIndex(paths, file, dir, stamp, now);
    return await writeIndexLines(paths, file, dir, stamp, now);
  } catch {
    await removeQuietly(file);
    return null;
  }
}

/** The folder's stamp once its mtime is set RACY_MS back; null where no stamp is possible. */
async function markedStamp(dir: string): Promise<FolderStamp | null> {
  const info = await Deno.stat(dir);
  if (!info.isDirectory || info.ino === null || !info.mtime || !info.ctime) return null;
  const past = new Date(info.mtime.getTime() - RACY_MS);
  await setTimes(dir, info.atime ?? past, past);
  return await folderStamp(dir);
}
