/**
 * Pausing a project: one snapshot written and the active session marked paused, under the lock.
 * What `mpm pause` and the SessionEnd hook share; the command adds its flags, worktree pruning
 * and `--export` around it.
 */
import type { Snapshot } from "../kernel/snapshot.ts";
import { type ProjectPaths, projectPaths } from "../disk/paths.ts";
import type { SavedFiles } from "./store.ts";
import type { ActiveSession } from "./state.ts";
import { changeState, readState } from "./state_store.ts";
import {
  type PauseRequest,
  writeSessionSnapshot,
  writeSnapshotUnlessUnchanged,
} from "./capture.ts";
import { LockBusyError } from "../disk/lock.ts";
import { readGitState } from "../git/status.ts";
import { foldSpool, spoolPause } from "./spool.ts";

export type { PauseRequest } from "./capture.ts";

export interface PauseOutcome {
  snapshot: Snapshot;
  files: SavedFiles;
  paths: ProjectPaths;
  /** Whether git was found (the snapshot has a git_context). */
  inGit: boolean;
  /** The active session this pause saved (and marked paused), if there was one. */
  session: ActiveSession | null;
}

export interface PauseProjectOptions {
  /** How long to wait for another mpm holding the project's lock. */
  lockWaitMs?: number;
  /** Keep the session active after saving it (an automatic pause may want that). */
  keepActive?: boolean;
}

/**
 * Writes a snapshot of the project at `root` (git state, the request's words, the active
 * session's todos and the request's) and marks the active session paused. Used by `mpm pause`
 * and by the SessionEnd hook.
 */
export async function pauseProject(
  root: string,
  now: Date,
  request: PauseRequest,
  options: PauseProjectOptions = {},
): Promise<PauseOutcome> {
  const paths = projectPaths(root);
  // Automatic pauses queued while the lock was busy come first: they happened before this one.
  await foldSpool(paths, { lockWaitMs: options.lockWaitMs });
  return await changeState(paths, "pause", async (state) => {
    const session = state.active;
    const saved = await writeSessionSnapshot({ root, paths, now, request, session });
    const active = session && options.keepActive
      ? { ...session, dirty: false, resumed_from: saved.snapshot.session_id }
      : null;
    return {
      state: { ...state, active },
      result: { ...saved, paths, session },
      event: {
        command: "pause",
        session: session?.key ?? null,
        snapshot: saved.snapshot.session_id,
        ...(request.summarySource === "auto" ? { auto: true } : {}),
        // The lifecycle's move (lifecycle.ts); a pause with nothing active records none.
        ...(session && !options.keepActive
          ? { transition: { from: session.resumed_from === null ? "new" : "active", to: "paused" } }
          : {}),
      },
    };
  }, { now: () => now, lockWaitMs: options.lockWaitMs });
}

/** What an automatic pause did: wrote a snapshot, found nothing new, or queued it. */
export type AutoPauseOutcome =
  | { kind: "written"; outcome: PauseOutcome }
  | { kind: "unchanged"; session: ActiveSession | null }
  | { kind: "spooled"; file: string };

/**
 * The SessionEnd hook's pause. Nothing is written when nothing changed since the line's last
 * snapshot (the session is still marked paused). When the lock stays busy for `lockWaitMs`,
 * the pause is queued in `.claude-mpm/spool/` instead of lost; the next command folds it in.
 * Earlier queued pauses are folded first, so they keep their order.
 */
export async function autoPauseProject(
  root: string,
  now: Date,
  request: PauseRequest,
  options: PauseProjectOptions = {},
): Promise<AutoPauseOutcome> {
  const paths = projectPaths(root);
  const auto = { ...request, skipUnchanged: true };
  try {
    await foldSpool(paths, { lockWaitMs: options.lockWaitMs });
    return await changeState(paths, "pause", async (state) => {
      const session = state.active;
      const saved = await writeSnapshotUnlessUnchanged({
        root,
        paths,
        now,
        request: auto,
        session,
      });
      const outcome: AutoPauseOutcome = saved
        ? { kind: "written", outcome: { ...saved, paths, session } }
        : { kind: "unchanged", session };
      return {
        state: { ...state, active: null },
        result: outcome,
        event: {
          command: "pause",
          session: session?.key ?? null,
          snapshot: saved?.snapshot.session_id ?? null,
          auto: true,
          ...(saved ? {} : { unchanged: true }),
        },
      };
    }, { now: () => now, lockWaitMs: options.lockWaitMs });
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    // The state and git are read without the lock: both are written atomically, so what is
    // read is whole, and the fold checks the session is still the one seen here.
    const [state, git] = await Promise.all([
      readState(paths).catch(() => null),
      readGitState(root),
    ]);
    const file = await spoolPause(paths, now, auto, state?.active ?? null, git);
    return { kind: "spooled", file };
  }
}
