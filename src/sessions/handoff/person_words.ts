/** The person's last words in a session, shown before Claude's in every view of a handoff. */
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import { findSessionHistory } from "../store/snapshots/session_history.ts";
import { listSnapshots } from "../store/listing/listing.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import type { PersonWords } from "../store/snapshots/claude_render.ts";

/** Snapshots read, newest first, to find a session and the person's last words in it. */
const SCAN_LIMIT = 40;

/** The snapshots a session is found in, newest first (damaged ones are not sources here). */
export async function recentSnapshots(paths: ProjectPaths): Promise<Snapshot[]> {
  const entries = (await listSnapshots(paths)).slice(0, SCAN_LIMIT);
  const loaded: Snapshot[] = [];
  for (const entry of entries) {
    const snapshot = await loadSnapshot(paths, entry).catch(() => undefined);
    if (snapshot) loaded.push(snapshot);
  }
  return loaded;
}

/** The person's last words in session `line` (undefined: `mpm resume`'s pick); null: none. */
export async function personWords(
  paths: ProjectPaths,
  line: string | null | undefined,
): Promise<PersonWords | null> {
  if (line === null) return null;
  const words = findSessionHistory(await recentSnapshots(paths), line)?.words;
  return words
    ? {
      from: words.from,
      written_at: words.written_at,
      summary: words.summary,
      next_steps: words.next_steps,
    }
    : null;
}
