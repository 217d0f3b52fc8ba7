/** Pausing a project under the lock: one snapshot, the session marked paused. */
import type { Snapshot } from "../../kernel/snapshot.ts";
import { type ProjectPaths, projectPaths } from "../../disk/paths.ts";
import type { SavedFiles } from "../store/snapshots/read_snapshot.ts";
import type { ActiveSession } from "../store/records/state/state.ts";
import { type Attached, attachNewestSession } from "../store/session/attach.ts";
import { changeState, readState } from "../store/state/state_store.ts";
import type { PauseRequest } from "../store/records/snapshot/request.ts";
import { LockBusyError } from "../../disk/lock.ts";
import { gitUnderLock, gitUnlocked } from "./early_git.ts";
import { spooledNames } from "../store/session/spool.ts";
import { takeSnapshot, takeSnapshotUnlessUnchanged } from "../store/session/take_snapshot.ts";
import type { PauseVault } from "../../vault/copy/copy.ts";
import type { VaultReport } from "../../vault/copy/vault_run.ts";
import { vaultThere } from "../store/state/peek.ts";
import { basename } from "../../kernel/path.ts";

/** Folds earlier queued automatic pauses first, except the caller's own (`except`). */
async function foldQueued(
  paths: ProjectPaths,
  lockWaitMs: number | undefined,
  except?: string,
): Promise<void> {
  if ((await spooledNames(paths)).every((name) => name === except)) return;
  const { foldSpool } = await import("../store/session/spool.ts");
  await foldSpool(paths, { lockWaitMs, except });
}

export interface PauseOutcome {
  snapshot: Snapshot;
  files: SavedFiles;
  paths: ProjectPaths;
  inGit: boolean;
  /** The session saved: the active one, or the newest paused one it went on with (`attached`). */
  session: ActiveSession | null;
  /** With nothing active, the newest paused session this pause continued. */
  attached?: Attached | null;
  /** What the copy into the transcript vault did after the pause, when one was asked for. */
  vault?: VaultReport | null;
}

export interface PauseProjectOptions {
  lockWaitMs?: number;
  /** Told who holds the lock when it has been held a while (state_store.ts lockWaitNotice). */
  onLockWait?: (holder: string) => void;
  /** Keep the session active after saving it (an automatic pause may want that). */
  keepActive?: boolean;
  /** Copy the transcripts seen so far into the vault after the snapshot, outside the lock. */
  vault?: PauseVault;
}

/** The pause's copy into the vault, loaded only where `vault/` exists. */
async function keepTranscripts(
  paths: ProjectPaths,
  now: Date,
  vault: PauseVault | undefined,
): Promise<VaultReport | null> {
  if (vault === undefined) return null;
  if (!(await vaultThere(paths))) return null;
  const { copyAfterPause } = await import("../../vault/copy/copy.ts");
  return await copyAfterPause(paths, now, vault);
}

/** Writes a snapshot of the project at `root` and marks the active session paused. */
export async function pauseProject(
  root: string,
  now: Date,
  request: PauseRequest,
  options: PauseProjectOptions = {},
): Promise<PauseOutcome> {
  const paths = projectPaths(root);
  await foldQueued(paths, options.lockWaitMs);
  const outcome = await changeState(paths, "pause", async (state) => {
    // With nothing active, the pause goes on with the newest paused work, as `mpm todo add` does.
    const attached = state.active ? null : await attachNewestSession(paths, state, now);
    const session = state.active ?? attached?.session ?? null;
    // The caller's early read of git when nothing moved since, else a read now.
    const saved = await takeSnapshot({
      root,
      paths,
      now,
      request,
      session,
      git: await gitUnderLock(paths),
      mark: "pause",
    });
    const active = session && options.keepActive
      ? { ...session, dirty: false, resumed_from: saved.snapshot.session_id }
      : null;
    return {
      state: { ...state, active },
      result: { ...saved, paths, session, attached },
      event: {
        command: "pause",
        session: session?.key ?? null,
        snapshot: saved.snapshot.session_id,
        ...(request.summarySource === "auto" ? { auto: true } : {}),
        ...(attached ? { attached: attached.snapshot.session_id } : {}),
        // The lifecycle's move; none with nothing active, nor for paused work gone on with.
        ...(state.active && !options.keepActive
          ? {
            transition: { from: session!.resumed_from === null ? "new" : "active", to: "paused" },
          }
          : {}),
      },
    };
  }, { now: () => now, lockWaitMs: options.lockWaitMs, onLockWait: options.onLockWait });
  return { ...outcome, vault: await keepTranscripts(paths, now, options.vault) };
}

/** What an automatic pause did: wrote, found nothing new, queued, or found itself folded. */
export type AutoPauseOutcome =
  | { kind: "written"; outcome: PauseOutcome }
  | { kind: "unchanged"; session: ActiveSession | null }
  | { kind: "spooled"; file: string }
  | { kind: "folded" };

export interface AutoPauseOptions extends PauseProjectOptions {
  /** The spool file this pause was written to first, and its snapshot id (removed once saved). */
  queued?: { file: string; snapshotId: string };
}

/** SessionEnd's pause: nothing if nothing changed; queued in `spool/` while the lock is busy. */
export async function autoPauseProject(
  root: string,
  now: Date,
  request: PauseRequest,
  options: AutoPauseOptions = {},
): Promise<AutoPauseOutcome> {
  const paths = projectPaths(root);
  const auto = { ...request, skipUnchanged: true };
  // YAML loads only once a snapshot is written: most automatic pauses find nothing new.
  const queued = options.queued;
  const spool = queued && await import("../store/session/spool.ts");
  try {
    await foldQueued(paths, options.lockWaitMs, queued && basename(queued.file));
    const outcome = await changeState<AutoPauseOutcome>(paths, "pause", async (state, save) => {
      // Another mpm folded this pause while the hook read git: it is saved already.
      if (queued && spool && !(await spool.stillQueued(queued.file))) {
        return { state, result: { kind: "folded" } };
      }
      const session = state.active;
      const saved = await takeSnapshotUnlessUnchanged({
        root,
        paths,
        now,
        request: auto,
        session,
        git: await gitUnderLock(paths),
        mark: "pause",
        id: queued?.snapshotId,
      });
      // Unchanged, it still recorded the session's work-tree mark (take_snapshot.ts).
      const outcome: AutoPauseOutcome = saved
        ? { kind: "written", outcome: { ...saved, paths, session } }
        : { kind: "unchanged", session };
      const next = { ...state, active: null };
      if (queued && spool) {
        // The queued file goes under the lock, so no other mpm folds what this pause settled:
        // after the state when written; before it when unchanged (a fold would decide again).
        if (saved) await save(next);
        await spool.dropQueued(queued.file);
      }
      return {
        state: next,
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
    return outcome;
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    // Read without the lock: both are written atomically, and the fold checks the session.
    const [state, git] = await Promise.all([
      readState(paths).catch(() => null),
      gitUnlocked(paths),
    ]);
    const { spoolPause } = spool ?? await import("../store/session/spool.ts");
    const file = await spoolPause(paths, now, auto, state?.active ?? null, git, {
      snapshotId: queued?.snapshotId,
      file: queued?.file,
    });
    return { kind: "spooled", file };
  }
}
