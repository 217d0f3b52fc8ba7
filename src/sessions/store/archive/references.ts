/**
 * What the kept snapshots point to in the transcript vault: the key of every session that has a
 * snapshot in `sessions/` (its Claude sessions are in `threads/<key>/`), the Claude session a
 * snapshot names itself, and the active session and the branch stack. `mpm vault prune` never
 * removes a copy one of them points to; archived snapshots (`mpm prune`) keep nothing.
 */
import { IntegrityError } from "../../../kernel/errors.ts";
import { sessionKey } from "../../../kernel/snapshot.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import type { KeptReferences } from "../../../vault/copy/plan.ts";
import { readState } from "../state/state_store.ts";
import { listEntries } from "../listing/listing.ts";
import { loadSnapshot } from "../snapshots/read_snapshot.ts";

/**
 * The references of every kept snapshot. One that cannot be read might point to anything: the
 * caller is told (IntegrityError) rather than given a set that could let a prune remove its copy.
 */
export async function keptReferences(paths: ProjectPaths): Promise<KeptReferences> {
  const keys = new Set<string>();
  const claudeSessions = new Set<string>();
  const [entries, state] = await Promise.all([
    listEntries(paths, { locations: ["sessions", "pause"] }),
    readState(paths),
  ]);
  for (const entry of entries) {
    let snapshot;
    try {
      snapshot = await loadSnapshot(paths, entry);
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      throw new IntegrityError(
        `${entry.id} cannot be read, so mpm cannot tell which transcripts it points to: ${error.message}`,
        "Run `mpm doctor`; nothing was pruned.",
      );
    }
    keys.add(sessionKey(snapshot));
    const id = snapshot.mpm.claude_session_id;
    if (typeof id === "string" && id !== "") claudeSessions.add(id);
  }
  if (state.active) keys.add(state.active.key);
  for (const frame of state.stack) if (frame.key) keys.add(frame.key);
  return { keys, claudeSessions };
}
