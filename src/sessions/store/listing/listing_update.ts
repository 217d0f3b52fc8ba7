/**
 * Keeping a snapshots folder's index (listing_cache.ts) current from the commands that add,
 * remove or rename snapshots — pause and the hooks' pause (save_snapshot.ts), prune, sync pull,
 * migrate — under the project's lock, so the first `mpm list` after one reads the index instead
 * of listing and sorting the folder. A pause adds its one id to the index it found current; the
 * others list the folder again once they are done.
 *
 * The index names the folder's state (inode, modification and status-change times), and a reader
 * trusts it only while the folder is in that state. A writer records the state just after its own
 * change, in the file system's current clock tick, where another program's change a moment later
 * could leave both times as they are (on file systems whose times are coarse, for up to seconds).
 * So before stamping it sets the folder's modification time RACY_MS back: any later change to the
 * folder sets it to the time of that change, which is never that past time, and the index is
 * stale at once. The folder's modification time then reads RACY_MS earlier than its last change;
 * nothing of mpm's reads it otherwise.
 *
 * What no stamp can show is another program changing the folder while a writer is changing it
 * (between the check below and the writer's own last change): the index then misses that change
 * until the next one.
 */
import { sessionSortKey } from "../../../kernel/ids.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { removeQuietly, setTimes } from "../../../disk/files/entries.ts";
import {
  cacheFile,
  changedColumns,
  type Columns,
  type FolderChange,
  type FolderStamp,
  folderStamp,
  type Found,
  MIN_ENTRIES,
  RACY_MS,
  readColumns,
  toColumns,
  writeIndex,
} from "./listing_cache.ts";
import { listFolder, type Location, snapshotFolder } from "./listing.ts";

export interface IndexUpdate {
  /** The writer's change is in place: the index is brought up to date with it. */
  commit(change: FolderChange): Promise<void>;
}

/**
 * Opens an update of `location`'s index before the writer changes the folder: the index as it is
 * while it is current, to add the change to; else the folder is listed again at the commit.
 */
export async function openIndexUpdate(
  paths: ProjectPaths,
  location: Location,
): Promise<IndexUpdate> {
  const dir = snapshotFolder(paths, location);
  const stamp = await folderStamp(dir);
  const before = stamp
    ? await readColumns(cacheFile(paths, location), dir, stamp).catch(() => null)
    : null;
  return {
    commit: (change) =>
      keep(paths, location, before ? () => changedColumns(before, change) : undefined),
  };
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
 * Writes the index of `location` as `columns` says (or as the folder lists), stamped with the
 * folder's state after setting its modification time back (the top of this file says why). Best
 * effort, as a reader's is: when it cannot be written, the index is removed, and a listing reads
 * the folder.
 */
async function keep(
  paths: ProjectPaths,
  location: Location,
  columns?: () => Columns,
): Promise<void> {
  const dir = snapshotFolder(paths, location);
  const file = cacheFile(paths, location);
  try {
    const now = columns?.() ?? toColumns(await listFolder(dir));
    if (now.ids.length < MIN_ENTRIES) {
      await removeQuietly(file);
      return;
    }
    const stamp = await markedStamp(dir);
    if (stamp === null) throw new Error("no folder state to key the index by");
    await writeIndex(paths, file, dir, stamp, now);
  } catch {
    await removeQuietly(file);
  }
}

/**
 * The folder's state once its modification time is set RACY_MS before its last change; null
 * (and the time left alone) where the file system gives no state to key an index by.
 */
async function markedStamp(dir: string): Promise<FolderStamp | null> {
  const info = await Deno.stat(dir);
  if (!info.isDirectory || info.ino === null || !info.mtime || !info.ctime) return null;
  const past = new Date(info.mtime.getTime() - RACY_MS);
  await setTimes(dir, info.atime ?? past, past);
  return await folderStamp(dir);
}
