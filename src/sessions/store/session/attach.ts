/**
 * The newest session made active again for a command that needs one while none is (`mpm todo`,
 * `pause`, `handoff`, `context use`): every conversation ends with a pause that leaves nothing
 * active, and a todo should join the person's words, not start a session of its own.
 */
import type { Snapshot } from "../../../kernel/snapshot.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { findSessionHistory, type SessionHistory } from "../snapshots/session_history.ts";
import { isFinished, type Transition } from "../records/lifecycle/lifecycle.ts";
import { sessionFromSnapshot, sessionLabel } from "./session.ts";
import type { ActiveSession, State } from "../records/state/state.ts";

/** Snapshots read, newest first, to find the newest session and the person's words in it. */
const SCAN_LIMIT = 40;

export interface Attached {
  session: ActiveSession;
  /** The session's newest snapshot, which the active session continues. */
  snapshot: Snapshot;
  /** The lifecycle's move, for events.jsonl: the paused session is active again. */
  transition: Transition;
  /** The person's newest summary in the session (carried or their own), never mpm's note. */
  words: string | null;
}

/** The newest session `mpm resume` would pick, active again; null if none. Under the lock. */
export async function attachNewestSession(
  paths: ProjectPaths,
  state: State,
  now: Date,
): Promise<Attached | null> {
  const history = await newestSessionHistory(paths);
  const last = history?.last ?? null;
  if (last === null || isFinished(last.mpm.state)) return null;
  const top = state.stack.at(-1);
  if (top && (top.snapshot_id === null || last.mpm.parent !== top.snapshot_id)) return null;
  return {
    session: sessionFromSnapshot(last, state.stack, now),
    snapshot: last,
    transition: { from: "paused", to: "active" },
    words: history?.words?.summary ?? null,
  };
}

/** The line naming the session a command went on with: its name and the person's last words. */
export function attachedLine(attached: Attached): string {
  const words = (attached.words ?? "").trim().split("\n")[0];
  const told = words && words.length <= 80 ? ` ("${words}")` : "";
  return `No session was active: continuing the newest work, ${
    sessionLabel(attached.session)
  }${told}.`;
}

/** What events.jsonl records of the newest session made active again. */
export function attachedEvent(attached: Attached | null) {
  return attached
    ? { attached: attached.snapshot.session_id, transition: attached.transition }
    : {};
}

/** The newest session and its words (store/snapshots/session_history.ts decides which). */
async function newestSessionHistory(paths: ProjectPaths): Promise<SessionHistory | null> {
  // The reading code loads only on this path: with a session active, `mpm todo` reads none.
  const [{ listSnapshots }, { loadSnapshot }] = await Promise.all([
    import("../listing/listing.ts"),
    import("../snapshots/read_snapshot.ts"),
  ]);
  const entries = (await listSnapshots(paths)).slice(0, SCAN_LIMIT);
  const loaded: Snapshot[] = [];
  for (const entry of entries) {
    try {
      // Without its paths, which no part of attaching reads (status_lists.ts).
      loaded.push(await loadSnapshot(paths, entry, { keepPaths: 0 }));
    } catch {
      // A damaged snapshot is reported by `list` and `doctor`; here it is just not a candidate.
      continue;
    }
    // Once the session found holds a person's words, older snapshots cannot change the choice.
    if (findSessionHistory(loaded)?.words) break;
  }
  return findSessionHistory(loaded);
}
