/**
 * The child `mpm return` completes when it is not active (SessionEnd paused it), found by its
 * snapshots: written since the branch, with the frame's parent, depth and child name. One whose
 * newest snapshot is finished is named, never completed again.
 */
import type { Snapshot } from "../../kernel/snapshot.ts";
import { localSessionKey, writtenElsewhere } from "../../kernel/snapshot.ts";
import { idTime } from "../../kernel/ids.ts";
import type { StackFrame } from "../store/records/state/state.ts";
import { isFinished } from "../store/records/lifecycle/lifecycle.ts";
import { listEntries } from "../store/listing/listing.ts";
import { loadSnapshot } from "../store/snapshots/read_snapshot.ts";
import type { Project } from "../store/session/project.ts";

export interface PausedChildren {
  /** The newest snapshot of each child session still open (one, when all is as usual). */
  open: Snapshot[];
  /** The newest snapshot of each child session already completed or cancelled. */
  finished: Snapshot[];
}

/** An old id names its second only: a snapshot of that second may come before `branched_at`. */
const ID_SLACK_MS = 1000;

/** Whether `snapshot` is of the child the frame at `depth - 1` put its parent aside for. Pure. */
export function isChildOf(snapshot: Snapshot, frame: StackFrame, depth: number): boolean {
  const name = frame.child_name ?? null;
  return !writtenElsewhere(snapshot) && snapshot.mpm.parent === frame.snapshot_id &&
    snapshot.mpm.depth === depth && (name === null || snapshot.mpm.name === name);
}

/** The child sessions of `frame` (top of a `depth`-deep stack), newest first. */
export async function pausedChildren(
  project: Project,
  frame: StackFrame,
  depth: number,
): Promise<PausedChildren> {
  const since = new Date(frame.branched_at).getTime() - ID_SLACK_MS;
  // Each session's newest snapshot tells its state; any can say it is the child (`mpm done ID`).
  const newest = new Map<string, Snapshot>();
  const children = new Set<string>();
  for (const entry of await listEntries(project.paths)) {
    if (entry.id === frame.snapshot_id) break;
    const made = idTime(entry.id)?.getTime();
    if (made !== undefined && made < since) break;
    const snapshot = await loadSnapshot(project.paths, entry).catch(() => undefined);
    if (snapshot === undefined) continue;
    const key = localSessionKey(snapshot);
    if (!newest.has(key)) newest.set(key, snapshot);
    if (isChildOf(snapshot, frame, depth)) children.add(key);
  }
  const found: PausedChildren = { open: [], finished: [] };
  for (const key of children) {
    const snapshot = newest.get(key)!;
    (isFinished(snapshot.mpm.state) ? found.finished : found.open).push(snapshot);
  }
  return found;
}
