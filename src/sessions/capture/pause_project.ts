/**
 * Pausing a project: one snapshot written and the active session marked paused, under the lock.
 * What `mpm pause` and the SessionEnd hook share; the command adds its flags, worktree pruning
 * and `--export` around it.
 */
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

/**
 * Automatic pauses queued earlier come first: they happened before this one. `except`: the
 * caller's own queued pause (SessionEnd's), which it saves itself.
 */
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
  /** Whether git was found (the snapshot has a git_context). */
  inGit: boolean;
  /**
   * The session this pause saved (and marked paused), if there was one: the active one, or the
   * newest paused one it went on with (`attached`).
   */
  session: ActiveSession | null;
  /**
   * With nothing active, the newest paused session this pause continued
   * (store/session/attach.ts).
   */
  attached?: Attached | null;
  /** What the copy into the transcript vault did after the pause, when one was asked for. */
  vault?: VaultReport | null;
}

export interface PauseProjectOptions {
  /** How long to wait for another mpm holding the project's lock. */
  lockWaitMs?: number;
  /** Told who holds the lock when it has been held a while (state_store.ts lockWaitNotice). */
  onLockWait?: (holder: string) => void;
  /** Keep the session active after saving it (an automatic pause may want that). */
  keepActive?: boolean;
  /**
   * Copy the Claude Code transcripts seen so far into the vault once the snapshot is saved
   * (src/vault/), outside the state's lock, within a pause's budget.
   */
  vault?: PauseVault;
}

/**
 * The pause's copy into the vault. Its code is loaded only when there can be something to copy
 * or keep: `vault/` is there once the hooks have recorded a Claude session in the project
 * (claude_sessions_store.ts makes it), and a project without one reads no `threads/`.
 */
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
  await foldQueued(paths, options.lockWaitMs);
  const outcome = await changeState(paths, "pause", async (state) => {
    // With nothing active, the pause goes on with the newest paused work, as `mpm todo add` does.
    const attached = state.active ? null : await attachNewestSession(paths, state, now);
    const session = state.active ?? attached?.session ?? null;
    // The caller's early read of git when nothing moved since (`mpm branch` stashes and
    // switches under the lock), else a read now.
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
        // The lifecycle's move (lifecycle.ts); a pause with nothing active records none, nor one
        // that went on with paused work (it stays paused).
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

/**
 * What an automatic pause did: wrote a snapshot, found nothing new, queued it, or found its
 * queued file already folded by another mpm.
 */
export type AutoPauseOutcome =
  | { kind: "written"; outcome: PauseOutcome }
  | { kind: "unchanged"; session: ActiveSession | null }
  | { kind: "spooled"; file: string }
  | { kind: "folded" };

export interface AutoPauseOptions extends PauseProjectOptions {
  /**
   * The queued file (spool.ts) this pause was written to first, and the snapshot id it chose:
   * saved here, the file is removed once the state is written; queued, the file gets the git
   * state; stopped or failed, it stays for the next command to fold.
   */
  queued?: { file: string; snapshotId: string };
}

/**
 * The SessionEnd hook's pause. Nothing is written when nothing changed since the session's last
 * snapshot (it is still marked paused). When the lock stays busy for `lockWaitMs`,
 * the pause is queued in `.claude-mpm/spool/` instead of lost; the next command folds it in.
 * Earlier queued pauses are folded first, so they keep their order.
 */
export async function autoPauseProject(
  root: string,
  now: Date,
  request: PauseRequest,
  options: AutoPauseOptions = {},
): Promise<AutoPauseOutcome> {
  const paths = projectPaths(root);
  const auto = { ...request, skipUnchanged: true };
  // YAML loads only once a snapshot is written (save_snapshot.ts): most automatic pauses find
  // nothing new, so they need no YAML renderer.
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
        // The queued file goes while the lock is held, so no other mpm folds a pause this one
        // has settled. Written, it goes once the state is (stopped before, the fold finds the
        // snapshot under its id and marks the session paused). Unchanged, before the state:
        // stopped after, the state and events record nothing of this end, whereas a fold would
        // decide again from a later git state and write what this pause found unchanged.
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
    // The state and git are read without the lock: both are written atomically, so what is
    // read is whole, and the fold checks the session is still the one seen here.
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
