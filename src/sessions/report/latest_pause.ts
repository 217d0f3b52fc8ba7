/**
 * The status's "Latest pause" (`mpm status`, the MCP server's `current_work`): the newest
 * snapshot this machine sealed, the person's own. A teammate's newer pause, pulled, is never it;
 * nor a clone's committed record or an older mpm's unsealed one. A snapshot that cannot be read
 * on the way is the answer (named unreadable): it may be the person's newest.
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
