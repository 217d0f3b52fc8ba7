/**
 * Pausing a project: one snapshot written and the active session marked paused, under the lock.
 * What `mpm pause` and the SessionEnd hook share; the command adds its flags, worktree pruning
 * and `--export` around it.
 */
import type { Snapshot } from "../kernel/snapshot.ts";
import { type ProjectPaths, projectPaths } from "../disk/paths.ts";
import type { SavedFiles } from "./store.ts";
import type { ActiveSession } from "./state.ts";
import { changeState } from "./state_store.ts";
import { type PauseRequest, writeSessionSnapshot } from "./capture.ts";

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
      },
    };
  }, { now: () => now, lockWaitMs: options.lockWaitMs });
}
