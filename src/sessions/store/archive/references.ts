/**
 * What the kept snapshots point to in the transcript vault (their sessions' keys, named Claude
 * sessions, the active session and stack): `mpm vault prune` never removes those copies.
 */
import { IntegrityError } from "../../../kernel/errors.ts";
import { sessionKey } from "../../../kernel/snapshot.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import type { KeptReferences } from "../../../vault/copy/plan.ts";
import { readState } from "../state/state_store.ts";
import { listEntries } from "../listing/listing.ts";
import { loadSnapshot } from "../snapshots/read_snapshot.ts";

/** The references of every kept snapshot; an unreadable one throws rather than risk a copy. */
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
