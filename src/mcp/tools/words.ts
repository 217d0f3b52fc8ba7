/**
 * Whose words an answer holds, said as SessionStart and the terminal say it
 * (kernel/safe_text/whose.ts): only a snapshot this machine wrote and sealed is the person's
 * (kernel/snapshot.ts `writtenElsewhere`); a teammate's or a clone's is shown as that, never as
 * the person's words. Every text of a record of several lines goes under its label with its later
 * lines indented, so that no line of an answer starts with a marker (`[…]`) mpm did not write.
 */
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
