/** Gathers what changed since a snapshot: git history, the working tree, and vanished files. */
import { join } from "node:path";
import { analyzeChanges, type Changes, dirtyAtPause } from "./changes.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import { branchHolds, readHistorySince } from "../git/history.ts";
import { readGitState } from "../git/status.ts";
import { exists } from "../disk/atomic.ts";

/** `null` outside git (or when the snapshot recorded no git state). */
export async function detectChanges(root: string, snapshot: Snapshot): Promise<Changes | null> {
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
  const holds = switched ? await branchHolds(root, paused.branch!, paused.commit!) : undefined;
  // A path deleted at pause is expected to be gone; only the others are news.
  const deleted = new Set(paused.status.deleted ?? []);
  const dirty = dirtyAtPause(paused).filter((path) => !deleted.has(path));
  const gone = await Promise.all(
    dirty.map(async (path) => (await exists(join(root, path))) ? null : path),
  );
  const missing = gone.filter((p): p is string => p !== null);
  return analyzeChanges(paused, history, state.status, missing, holds);
}
