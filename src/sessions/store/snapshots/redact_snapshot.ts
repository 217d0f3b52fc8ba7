/**
 * The one place a snapshot is redacted: save_snapshot.ts calls it right before the record is
 * written, so no text reaches disk without it, whatever built the snapshot; `mpm sync pull`
 * passes each snapshot it imports here too, as a pause on this machine would have. Which fields
 * are free text and which are kept exact is the snapshot's declaration (`snapshotText`,
 * kernel/snapshot.ts); the store's writer (disk/files/written.ts) does the redacting. Redacting
 * twice changes nothing, so words carried from a snapshot redacted when it was first written
 * come out as they went in.
 */
import { forDisk } from "../../../disk/files/written.ts";
import { type Snapshot, snapshotText } from "../../../kernel/snapshot.ts";

/** The snapshot as it may be written: every secret in its free text `[REDACTED:<kind>]`. */
export function snapshotForDisk(snapshot: Snapshot): Promise<Snapshot> {
  return forDisk(snapshotText, snapshot);
}
