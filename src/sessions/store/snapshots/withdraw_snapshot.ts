/**
 * Taking back a snapshot written a moment ago, under the lock, for a move that then did not
 * happen: `mpm branch` writes the parent's "branched" snapshot before it stashes or switches (the
 * snapshot records the work the stash takes away), and when git refuses either, nothing was put
 * aside. Its files go in the reverse of the order save_snapshot.ts put them in place — the
 * renderings, the record, the claim — so a reader never meets a rendering without its record;
 * the folder's index and LATEST-SESSION.txt follow. The session's mark stays: the work tree was
 * as it records.
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
