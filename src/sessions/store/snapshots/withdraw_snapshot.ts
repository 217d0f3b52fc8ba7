/**
 * Taking back a snapshot just written, under the lock, for a move that did not happen (git
 * refused `mpm branch`'s stash or switch): its files go in the reverse of the order they were
 * placed, so a reader never meets a rendering without its record. The mark stays.
 */
import type { ProjectPaths } from "../../../disk/paths.ts";
import { removeQuietly } from "../../../disk/files/entries.ts";
import { keepIndexes } from "../listing/listing_update.ts";
import { type SavedFiles, updateLatest } from "./read_snapshot.ts";

/** Removes the snapshot saved as `files` (takeSnapshot's answer). The caller holds the lock. */
export async function withdrawSnapshot(paths: ProjectPaths, files: SavedFiles): Promise<void> {
  for (const file of [files.yaml, files.md, files.json, `${files.json}.sha256`]) {
    await removeQuietly(file);
  }
  await keepIndexes(paths, ["sessions"]);
  await updateLatest(paths);
}
