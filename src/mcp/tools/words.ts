/** Whose words an answer holds: only a snapshot sealed here is the person's. */
import { type Snapshot, writtenElsewhere } from "../../kernel/snapshot.ts";
import { snapshotMarker } from "../../kernel/safe_text/whose.ts";
import { shown as shownText } from "../../kernel/safe_text/shown.ts";

/** The line a snapshot's rendering starts with: whose it is. */
export function whoseSnapshot(snapshot: Snapshot): string {
  return snapshotMarker(writtenElsewhere(snapshot));
}

/** A record's text after its label, its later lines indented by `indent` (whose.ts). */
export function under(text: string, indent: string): string {
  return shownText(text, { as: "indented", indent });
}

export function when(iso: string | null): string {
  return iso === null ? "no time" : iso.replace("T", " ").slice(0, 16) + " UTC";
}
