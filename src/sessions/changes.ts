/**
 * Change detection: what happened to the repository between a pause and now, from facts the
 * git adapter gathered. Pure, so every case is tested without a repository.
 */
import type { AheadBehind, GitContext } from "../kernel/snapshot.ts";

export interface CommitInfo {
  sha: string;
  subject: string;
  author: string;
  date: string;
}

export interface FileChange {
  status: string;
  path: string;
}

/** What git says about history since the paused commit. */
export interface HistoryFacts {
  current_commit: string | null;
  paused_commit_exists: boolean;
  is_ancestor: boolean;
  new_commits: CommitInfo[];
  files: FileChange[];
}

/** The working tree now. */
export interface StatusFacts {
  branch: string | null;
  head: string | null;
  staged: string[];
  modified: string[];
  untracked: string[];
  deleted: string[];
  conflicted: string[];
  ahead_behind: AheadBehind | null;
}

export interface Changes {
  paused_commit: string | null;
  current_commit: string | null;
  branch: { from: string | null; to: string | null };
  new_commits: CommitInfo[];
  files: FileChange[];
  conflicts: string[];
  missing_files: string[];
  working_tree: WorkingTree;
  ahead_behind: AheadBehind | null;
  history_rewritten: boolean;
}

/**
 * The uncommitted work now. A deletion not yet staged and an unmerged path are in no other
 * list, so without their own lists a tree holding them would read as clean.
 */
export interface WorkingTree {
  modified: string[];
  staged: string[];
  untracked: string[];
  deleted: string[];
  conflicted: string[];
}

/** Paths that had uncommitted work at pause (the ones a new commit may collide with). */
export function dirtyAtPause(git: GitContext): string[] {
  const { modified, staged, untracked, renamed, deleted } = git.status;
  return unique([
    ...modified,
    ...staged,
    ...untracked,
    ...(deleted ?? []),
    ...(renamed ?? []).map((r) => r.to),
  ]);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * Whether history was rewritten since the pause: the paused commit is gone, or the branch it was
 * paused on no longer holds it (rebase, reset, amend). On another branch now, HEAD not holding
 * it is just the switch — `pausedBranchHolds` (is the commit still in the paused branch?) then
 * decides; undefined when that branch no longer exists or was not asked.
 */
export function historyRewritten(
  paused: GitContext,
  history: HistoryFacts,
  nowBranch: string | null,
  pausedBranchHolds?: boolean,
): boolean {
  if (paused.commit === null) return false;
  if (!history.paused_commit_exists) return true;
  if (paused.branch !== nowBranch && pausedBranchHolds !== undefined) return !pausedBranchHolds;
  return !history.is_ancestor;
}

export function analyzeChanges(
  paused: GitContext,
  history: HistoryFacts,
  now: StatusFacts,
  missingFiles: string[],
  pausedBranchHolds?: boolean,
): Changes {
  const rewritten = historyRewritten(paused, history, now.branch, pausedBranchHolds);
  const touched = new Set(history.files.map((f) => f.path));
  const conflicts = dirtyAtPause(paused).filter((path) => touched.has(path)).sort();
  return {
    paused_commit: paused.commit,
    current_commit: history.current_commit ?? now.head,
    branch: { from: paused.branch, to: now.branch },
    new_commits: history.new_commits,
    files: history.files,
    conflicts,
    missing_files: [...missingFiles].sort(),
    working_tree: {
      modified: now.modified,
      staged: now.staged,
      untracked: now.untracked,
      deleted: now.deleted,
      conflicted: now.conflicted,
    },
    ahead_behind: now.ahead_behind,
    history_rewritten: rewritten,
  };
}

/** True when nothing at all happened since the pause. */
export function nothingChanged(changes: Changes): boolean {
  return changes.new_commits.length === 0 && changes.files.length === 0 &&
    changes.branch.from === changes.branch.to && !changes.history_rewritten &&
    changes.missing_files.length === 0;
}
