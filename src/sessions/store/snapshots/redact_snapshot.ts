/**
 * The one place a snapshot is redacted, right before it is written (and each one `mpm sync pull`
 * imports), by its declaration (`snapshotText`). Redacting twice changes nothing.
 */
import { forDisk } from "../../../disk/files/written.ts";
import { type Snapshot, snapshotText } from "../../../kernel/snapshot.ts";

/** The snapshot as it may be written: every secret in its free text `[REDACTED:<kind>]`. */
export function snapshotForDisk(snapshot: Snapshot): Promise<Snapshot> {
  return forDisk(snapshotText, snapshot);
}
