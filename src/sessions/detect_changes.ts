/**
 * Gathers what changed since a snapshot: git history, the working tree, what HEAD holds at the
 * paths that were uncommitted, and which of those are gone. sessions/changes.ts judges them.
 */
import { join } from "../kernel/path.ts";
import { analyzeChanges, type Changes, dirtyAtPause, type PausedFileFacts } from "./changes.ts";
import type { GitContext, Snapshot } from "../kernel/snapshot.ts";
import { branchHolds, readHistorySince } from "../git/history.ts";
import { readGitState } from "../git/status.ts";
import { entriesAt } from "../git/tree_files.ts";
import { exists } from "../disk/atomic.ts";
import { machineName } from "./machine.ts";

/**
 * `null` outside git (or when the snapshot recorded no git state). `here` is this machine's
 * name (tests pass another to stand for a second machine).
 */
export async function detectChanges(
  root: string,
  snapshot: Snapshot,
  here: string | undefined = machineName(),
): Promise<Changes | null> {
  const paused = snapshot.git_context;
  if (!paused) return null;
  const [state, history] = await Promise.all([
    readGitState(root),
    readHistorySince(root, paused.commit),
  ]);
  if (!state || !history) return null;
  // On another branch now: whether the paused branch still holds the commit tells a switch
  // from a rewrite.
  const switched = paused.branch !== null && paused.commit !== null &&
    paused.branch !== state.status.branch && history.paused_commit_exists;
  const dirty = dirtyAtPause(paused);
  const [holds, headHolds, gone] = await Promise.all([
    switched ? branchHolds(root, paused.branch!, paused.commit!) : undefined,
    holdsPausedContent(root, history.current_commit, paused),
    Promise.all(dirty.map(async (path) => (await exists(join(root, path))) ? null : path)),
  ]);
  const machine = typeof snapshot.mpm.machine === "string" ? snapshot.mpm.machine : null;
  const otherMachine = machine !== null && here !== undefined && machine !== here;
  const facts: PausedFileFacts = {
    gone: gone.filter((p): p is string => p !== null),
    headHolds,
    pausedBranchHolds: holds,
    ...(otherMachine || snapshot.project_path !== root
      ? {
        elsewhere: {
          machine,
          project_path: snapshot.project_path,
          other_machine: otherMachine,
        },
      }
      : {}),
  };
  return analyzeChanges(paused, history, state.status, facts);
}

/** The paths whose content at pause (recorded blob ids) is exactly what HEAD holds now. */
async function holdsPausedContent(
  root: string,
  head: string | null,
  paused: GitContext,
): Promise<string[]> {
  const recorded = Object.entries(paused.blobs ?? {});
  if (head === null || recorded.length === 0) return [];
  const entries = await entriesAt(root, head, recorded.map(([path]) => path)).catch(() => null);
  if (!entries) return [];
  return recorded.filter(([path, blob]) => {
    const entry = entries.get(path);
    if (entry === undefined) return false; // not asked (a line break in the name): unknown
    return entry === null ? blob === null : entry.type === "blob" && entry.oid === blob;
  }).map(([path]) => path);
}
