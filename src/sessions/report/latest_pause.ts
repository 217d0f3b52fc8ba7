/**
 * The status's "Latest pause": the newest snapshot this machine sealed (never a teammate's or a
 * clone's); an unreadable one on the way is the answer, named unreadable.
 */
import { type Snapshot, writtenElsewhere } from "../../kernel/snapshot.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import type { SessionEntry } from "../store/listing/listing.ts";
import { readOrder } from "../store/listing/order.ts";
import type { StatusView } from "./stack.ts";

/** How many of the newest snapshots are read in turn before only the ones written here are. */
const OWN_LOOKS = 50;

/**
 * The person's latest pause among `entries` (newest first), as the status shows it; null: none.
 * Past the newest OWN_LOOKS (a teammate's many pulled pauses), only the ids `order.json` says were
 * written here are read.
 */
export async function latestOwnPause(
  paths: ProjectPaths,
  entries: readonly SessionEntry[],
): Promise<StatusView["latest"]> {
  for (const entry of entries.slice(0, OWN_LOOKS)) {
    const snapshot = await loadSnapshot(paths, entry).catch(() => undefined);
    if (snapshot === undefined) {
      return { id: entry.id, summary: null, paused_at: null, unreadable: true };
    }
    if (!writtenElsewhere(snapshot)) return shownPause(entry, snapshot);
  }
  // The ids written here last are newer than any other written here (order.ts): only those are
  // read, so a store of a team's thousands of pulled snapshots is never read whole for a status.
  const written = new Set(readOrder(paths).recent);
  for (const entry of entries.slice(OWN_LOOKS).filter((entry) => written.has(entry.id))) {
    const snapshot = await loadSnapshot(paths, entry).catch(() => undefined);
    if (snapshot !== undefined && !writtenElsewhere(snapshot)) return shownPause(entry, snapshot);
  }
  return null;
}

function shownPause(entry: SessionEntry, snapshot: Snapshot): NonNullable<StatusView["latest"]> {
  return {
    id: entry.id,
    summary: snapshot.conversation.summary,
    paused_at: snapshot.paused_at,
    state: snapshot.mpm.state,
    agent: agentOf(snapshot.mpm.agent),
  };
}
