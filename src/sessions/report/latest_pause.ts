/**
 * The status's "Latest pause": the newest snapshot this machine sealed (never a teammate's or a
 * clone's); an unreadable one on the way is the answer, named unreadable.
 */
import { writtenElsewhere } from "../../kernel/snapshot.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import type { SessionEntry } from "../store/listing/listing.ts";
import type { StatusView } from "./stack.ts";

/** How many snapshots newer than the person's own pause are read past, at most. */
const OWN_LOOKS = 50;

/** The person's latest pause among `entries` (newest first), as the status shows it; null: none. */
export async function latestOwnPause(
  paths: ProjectPaths,
  entries: readonly SessionEntry[],
): Promise<StatusView["latest"]> {
  for (const entry of entries.slice(0, OWN_LOOKS)) {
    const snapshot = await loadSnapshot(paths, entry).catch(() => undefined);
    if (snapshot === undefined) {
      return { id: entry.id, summary: null, paused_at: null, unreadable: true };
    }
    if (writtenElsewhere(snapshot)) continue;
    return {
      id: entry.id,
      summary: snapshot.conversation.summary,
      paused_at: snapshot.paused_at,
      state: snapshot.mpm.state,
      agent: agentOf(snapshot.mpm.agent),
    };
  }
  return null;
}
