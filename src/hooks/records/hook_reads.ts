/**
 * What one hook call reads of the project's sessions, each read at most once: the state, the
 * snapshots' listing and every snapshot loaded. The Claude session's sighting
 * (claude_sessions_store.ts) and SessionStart's text (start_text.ts) both want the state and
 * the newest snapshot, and one Claude Code start should list, read, checksum and check them once.
 *
 * A failure is kept like a value: each reader decides what it means to it (the sighting skips
 * a damaged snapshot quietly, SessionStart names it). Whoever changes what was read — folding
 * queued pauses, say — starts a fresh `sessionReads` afterwards.
 *
 * The listing's code (sessions/store/listing/listing.ts) loads on the first listing, and the snapshot store's
 * (the snapshot schemas, claude-mpm's layouts) on the first snapshot read: with a session active,
 * Stop learns the work key from the state and never lists, and a SessionStart told from its
 * digest (start_digest.ts) lists but reads no snapshot.
 */
import { startEarly } from "../../kernel/early.ts";
import { readTextIfExists } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Snapshot } from "../../kernel/snapshot.ts";
import type { State } from "../../sessions/store/records/state.ts";
import { parseState } from "../../sessions/store/state/state_store.ts";
import type { SessionEntry } from "../../sessions/store/listing/listing.ts";

export interface SessionReads {
  /** `state.json` as readState reads it. */
  state(): Promise<State>;
  /** `state.json`'s text as it is on disk; null when there is none. */
  stateText(): Promise<string | null>;
  /** The snapshots in sessions/ and pause/, newest first (listEntries). */
  entries(): Promise<SessionEntry[]>;
  /** One snapshot, checksum verified (loadSnapshot). */
  snapshot(entry: SessionEntry): Promise<Snapshot>;
}

export function sessionReads(paths: ProjectPaths): SessionReads {
  let state: Promise<State> | undefined;
  let stateText: Promise<string | null> | undefined;
  let entries: Promise<SessionEntry[]> | undefined;
  const snapshots = new Map<string, Promise<Snapshot>>();
  let store: Promise<typeof import("../../sessions/store/snapshots/store.ts")> | undefined;
  const loadStore = () => store ??= import("../../sessions/store/snapshots/store.ts");
  const reads: SessionReads = {
    // One read of the file serves both: the digest's text is the text the state came from.
    stateText: () =>
      stateText ??= startEarly(() => readTextIfExists(paths.state).then((text) => text ?? null)),
    state: () =>
      state ??= startEarly(() =>
        reads.stateText().then((text) => parseState(paths, text ?? undefined))
      ),
    // The listing's code is light; reading a snapshot loads claude-mpm's layouts (store.ts).
    entries: () =>
      entries ??= startEarly(() =>
        import("../../sessions/store/listing/listing.ts").then((m) => m.listEntries(paths))
      ),
    snapshot: (entry) => {
      let loaded = snapshots.get(entry.file);
      if (loaded === undefined) {
        loaded = startEarly(() => loadStore().then((m) => m.loadSnapshot(paths, entry)));
        snapshots.set(entry.file, loaded);
      }
      return loaded;
    },
  };
  return reads;
}
