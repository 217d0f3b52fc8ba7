/**
 * What `mpm diff` and `mpm revert` read: the session, its marks, and the changes between them,
 * for plan.ts; it writes only dirty files' blobs to git's store (unreferenced, collected later).
 */
import { NothingToDo } from "../kernel/errors.ts";
import { sessionKey } from "../kernel/snapshot.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { pickSession, type Project } from "../sessions/store/session/project.ts";
import { readMarks } from "../sessions/store/marks/marks_store.ts";
import { isMarkKey, type WorkMark } from "../sessions/store/marks/marks.ts";
import { markedChanges } from "../sessions/store/marks/session_files.ts";
import {
  captureWorkTree,
  type TreeChange,
  treeChanges,
  type WorkCapture,
} from "../git/objects/work_capture.ts";
import type { SessionChanges } from "./plan.ts";

export interface DiffSession {
  key: string;
  name: string | null;
  /** The active session: its work runs up to now. */
  active: boolean;
}

/** The session SESSION names (a key, or a snapshot of it); without one, active, else newest. */
export async function sessionToDiff(
  project: Project,
  selector: string | undefined,
): Promise<DiffSession> {
  const state = await readState(project.paths);
  const active = state.active;
  if (selector === undefined && active) return { key: active.key, name: active.name, active: true };
  if (selector !== undefined && active?.key === selector) {
    return { key: active.key, name: active.name, active: true };
  }
  if (selector !== undefined && isMarkKey(selector) && await readMarks(project.paths, selector)) {
    return { key: selector, name: null, active: false };
  }
  const { snapshot } = await pickSession(project, selector);
  // Its key as written: marks are never synced, so a snapshot from elsewhere has none here.
  const key = sessionKey(snapshot);
  return {
    key,
    name: typeof snapshot.mpm.name === "string" ? snapshot.mpm.name : null,
    active: active?.key === key,
  };
}

export interface Gathered {
  session: DiffSession;
  /** The marks compared, oldest first (those that could be captured). */
  marks: WorkMark[];
  changes: SessionChanges;
  /** The work tree now, when it was captured (the active session, or a revert). */
  now: WorkCapture | null;
  /** What changed from the last mark to now (a revert's check for a finished session). */
  since: TreeChange[];
  /** Sentences about what could not be compared. */
  notes: string[];
}

function noMarks(session: DiffSession): NothingToDo {
  return new NothingToDo(
    `No work tree was recorded for session ${session.key} (mpm records it at start, resume and ` +
      "every pause since this version), so there is nothing to compare.",
    "Its next `mpm resume` and pause record one; `mpm checkpoint save` and " +
      "`mpm checkpoint diff` compare by hand meanwhile.",
  );
}

/** The session's changes; `captureNow` also reads the work tree now for a finished session. */
export async function gatherChanges(
  project: Project,
  session: DiffSession,
  options: { captureNow: boolean },
): Promise<Gathered> {
  const record = await readMarks(project.paths, session.key);
  if (record === null || record.marks.length === 0) throw noMarks(session);
  const notes: string[] = [];
  const marks = record.marks.filter((mark) => mark.tree !== null);
  const skipped = record.marks.length - marks.length;
  if (skipped > 0) {
    notes.push(
      `${skipped} of the session's marks could not hold the work tree (too many uncommitted ` +
        "paths then): the stretches around them count as the session's.",
    );
  }
  if (marks.length === 0) throw noMarks(session);
  const now = session.active || options.captureNow ? await captureWorkTree(project.root) : null;
  if ((session.active || options.captureNow) && (now === null || now.tree === null)) {
    throw new NothingToDo(
      `The work tree has ${now?.dirty ?? "too many"} uncommitted paths: too many to compare.`,
      "Commit or stash some of them, then run it again.",
    );
  }
  const changes = await markedChanges(
    project.root,
    marks,
    session.active && now ? { tree: now.tree!, leftOut: now.leftOut } : null,
  );
  const since = !session.active && now?.tree
    ? await treeChanges(project.root, marks[marks.length - 1].tree!, now.tree)
    : [];
  return { session, marks, changes, now, since, notes };
}
