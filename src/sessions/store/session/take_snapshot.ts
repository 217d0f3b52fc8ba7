/**
 * Taking one snapshot of a session, as every command and automatic pause does: reads what it
 * needs (git, the session's last snapshots, the context file), builds and saves it. It changes no
 * state.json: callers that do hold the lock.
 */
import { buildSnapshot, gitContext, type GitFacts } from "./build_snapshot.ts";
import type { PauseRequest } from "../records/snapshot/request.ts";
import { requestWrittenBy } from "../records/snapshot/request.ts";
import {
  type GitContext,
  sessionKey,
  type SessionState,
  type Snapshot,
  writtenElsewhere,
} from "../../../kernel/snapshot.ts";
import { startEarly } from "../../../kernel/early.ts";
import { forgetReads } from "../state/state_store.ts";
import { type ActiveSession, contextPartition } from "../records/state/state.ts";
import { ensureExcluded } from "../../../git/run/exclude.ts";
import { type GitState, readGitState } from "../../../git/tree/status.ts";
import { MAX_HASHED_PATHS } from "../../../git/objects/blobs.ts";
import { lookAt } from "../marks/work_tree.ts";
import {
  dirtyCountOver,
  dirtyPathsOf,
  MAX_CAPTURED_PATHS,
} from "../../../git/objects/work_capture.ts";
import { dirtyAtPause } from "../records/snapshot/changes.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import type { SavedFiles } from "../snapshots/read_snapshot.ts";
import { freshSessionId, saveSnapshot } from "../snapshots/save_snapshot.ts";
import { snapshotForDisk } from "../snapshots/redact_snapshot.ts";
import { buildInfo } from "../../../cli/build_info.ts";
import {
  findSessionHistory,
  sameState,
  type SessionHistory,
} from "../snapshots/session_history.ts";
import { readContextRecord } from "../../../context/record.ts";
import type { MarkMoment, WorkMark } from "../marks/marks.ts";
import { recordMark } from "../marks/record_mark.ts";
import { workFilesAt } from "../marks/session_files.ts";
import { refuseLinkedFolders } from "../listing/store_folders.ts";

/** Snapshots read, newest first, to find a session's last one and its person's words. */
const SCAN_LIMIT = 40;

/** The session's snapshots in written order, not by date (a clock set back hides nothing). */
export async function readSessionHistory(
  paths: ProjectPaths,
  session: ActiveSession | null,
  queued?: { at: Date; writtenSince?: ReadonlySet<string> },
): Promise<SessionHistory | null> {
  // Loaded here, not with this file: a person's `mpm pause` reads no snapshot.
  const [{ listSnapshots }, { loadSnapshot }] = await Promise.all([
    import("../listing/listing.ts"),
    import("../snapshots/read_snapshot.ts"),
  ]);
  const entries = (await listSnapshots(paths)).slice(0, SCAN_LIMIT);
  const loaded: Snapshot[] = [];
  for (const entry of entries) {
    try {
      // Without its paths: what sameState compares of them is kept (status_lists.ts).
      const snapshot = await loadSnapshot(paths, entry, { keepPaths: 0, markPaths: true });
      // A queued pause folded in later carries no words written after it was queued: those the
      // written order names as written since (spool.ts `writtenSinceQueued`), whatever their
      // dates; only when the order cannot say, those dated after it. A pause written now comes
      // after every snapshot listed, whatever their dates say.
      if (queued && afterQueued(snapshot, entry.id, queued)) continue;
      // A snapshot not written here is not the person's: its words and key are never theirs.
      if (writtenElsewhere(snapshot)) continue;
      loaded.push(snapshot);
    } catch {
      // A damaged snapshot is reported by `list` and `doctor`; here it is just not a source.
      continue;
    }
    const history = findSessionHistory(loaded, session?.key);
    if (history?.words) return history;
  }
  return findSessionHistory(loaded, session?.key);
}

/** Whether a snapshot was written after a queued pause was queued. Pure. */
function afterQueued(
  snapshot: Snapshot,
  id: string,
  queued: { at: Date; writtenSince?: ReadonlySet<string> },
): boolean {
  if (queued.writtenSince) return queued.writtenSince.has(id);
  return snapshot.paused_at > queued.at.toISOString();
}

/** The paths the blobs and the mark need: what had uncommitted work (capped). Pure. */
function filesToLook(state: GitState, context: GitContext): string[] {
  // Counted first: a million paths are not listed and sorted for a mark that takes none.
  const over = dirtyCountOver(state.status, MAX_CAPTURED_PATHS) !== undefined;
  const forMark = over ? [] : dirtyPathsOf(state.status)?.paths ?? [];
  return [...new Set([...dirtyAtPause(context, MAX_HASHED_PATHS), ...forMark])];
}

/** Where and how a request becomes a snapshot; the words are all in `request`. */
export interface SnapshotWrite {
  root: string;
  paths: ProjectPaths;
  now: Date;
  request: PauseRequest;
  /** The session the snapshot is of; null for an ad-hoc pause. */
  session: ActiveSession | null;
  /** "paused" by default; "branched" and "completed" for `mpm branch` and `mpm return`. */
  state?: SessionState;
  /** The git state when the caller has just read it; read here otherwise. */
  git?: GitState | null;
  /** An id chosen beforehand (an intent recorded it): save_snapshot.ts `SaveOptions.fixedId`. */
  id?: string;
  /** Record the work tree for the session's mark too, as of now (even with no snapshot written). */
  mark?: MarkMoment;
  /** A pause queued while the lock was busy, folded in now: it sorts at the time it was queued. */
  queued?: boolean;
  /** For a queued pause: ids written since it was queued, whose words it does not carry. */
  writtenSince?: ReadonlySet<string>;
}

export interface Written {
  snapshot: Snapshot;
  files: SavedFiles;
  inGit: boolean;
}

/** Writes one snapshot and points LATEST-SESSION.txt at it. Changes no state. */
export async function takeSnapshot(write: SnapshotWrite): Promise<Written> {
  const written = await takeSnapshotUnlessUnchanged({
    ...write,
    request: { ...write.request, skipUnchanged: false },
  });
  return written!;
}

/** takeSnapshot, or with `skipUnchanged` null when the session's last snapshot holds this state. */
export async function takeSnapshotUnlessUnchanged(write: SnapshotWrite): Promise<Written | null> {
  const state = write.git !== undefined ? write.git : await readGitState(write.root);
  return await writeFrom(write, state);
}

async function writeFrom(write: SnapshotWrite, state: GitState | null): Promise<Written | null> {
  const { root, paths, now, request, session } = write;
  // The mark (threads/) is recorded before the snapshot (sessions/): both folders are asked first.
  refuseLinkedFolders(paths);
  const git: GitFacts | null = state ? { ...state.status, subject: state.subject } : null;
  // One look at the work tree from this status (work_tree.ts), begun now, beside everything
  // below: a pause sure to write hashes the uncommitted files once, for the snapshot's blobs and
  // the mark's tree alike (writing the blobs the mark keeps), and the work tree is captured for
  // `mpm diff` (the snapshot's mark, or the session's when nothing is new).
  const marking = write.mark && state && (session || !request.skipUnchanged);
  const look = state
    ? lookAt(root, {
      status: state.status,
      tree: state.tree,
      files: write.mark && git && !request.skipUnchanged
        ? filesToLook(state, gitContext(git))
        : undefined,
      capture: Boolean(marking),
    })
    : undefined;
  // Likewise `.claude-mpm/` is kept out of git status beside those reads, for a pause sure to
  // write or marking now (before anything is written, as below for the others). A session's mark
  // is recorded beside the reads below once it is: the snapshot names the files the session
  // changed up to it (`mpm.work_files`). An ad-hoc pause's key is known once it is built.
  const moment = write.mark;
  const markEarly = Boolean(marking && moment && session);
  const excluded = state && (!request.skipUnchanged || markEarly)
    ? startEarly(() => ensureExcluded(root))
    : undefined;
  const record = (mark: MarkMoment, under: string) =>
    recordMark(root, paths, under, mark, now, look);
  const early = markEarly
    ? startEarly(async () => {
      await excluded;
      return await record(moment!, session!.key);
    })
    : undefined;
  const [history, contextFile] = await Promise.all([
    requestWrittenBy(request) === "mpm"
      ? readSessionHistory(
        paths,
        session,
        write.queued ? { at: now, writtenSince: write.writtenSince } : undefined,
      )
      : null,
    readContextRecord(root, contextPartition(session)),
  ]);
  const info = buildInfo();
  const snapshot = buildSnapshot(request, {
    id: write.id ?? freshSessionId(now),
    now,
    git,
    projectPath: root,
    version: info.version,
    build: info.build,
    session,
    state: write.state,
    history,
    contextFile,
  });
  // Compared as it would be written: the last snapshot's texts were redacted.
  if (request.skipUnchanged && history?.last && !session?.dirty) {
    if (sameState(await snapshotForDisk(snapshot), history.last)) {
      // Nothing new to snapshot, but the session's work stops here all the same (`mpm diff`).
      await early;
      return null;
    }
  }
  if (state) await (excluded ?? ensureExcluded(root));
  // The mark is under the session's key, which is the snapshot's id for a pause outside one: in
  // the rare case that id was taken and the snapshot saved under another, it is recorded again.
  const key = sessionKey(snapshot);
  const marked = early ?? (marking && moment ? startEarly(() => record(moment, key)) : undefined);
  const outcome = marked ? await marked : null;
  const files = outcome && "marks" in outcome ? await workFiles(root, outcome.marks) : null;
  // LATEST-SESSION.txt is written with the renderings (save_snapshot.ts).
  const saved = await saveSnapshot(
    paths,
    files ? { ...snapshot, mpm: { ...snapshot.mpm, ...files } } : snapshot,
    {
      latest: true,
      fixedId: write.id !== undefined,
      queued: write.queued,
      look,
    },
  );
  forgetReads(paths);
  if (marked && moment && sessionKey(saved.snapshot) !== key) {
    await record(moment, sessionKey(saved.snapshot));
  }
  return { ...saved, inGit: state !== null };
}

/** The snapshot's `mpm.work_files` (session_files.ts); null where unknown or git failed. */
async function workFiles(root: string, marks: readonly WorkMark[]) {
  try {
    return await workFilesAt(root, marks);
  } catch {
    // Like its mark, never a reason for the pause to fail: the board falls back to older records.
    return null;
  }
}
