/**
 * What happened to the repository between a pause and now, from facts the git adapter gathered.
 * Pure. It decides by content, not names: work committed as it was is no conflict, a rebase's
 * copy of a paused commit is not new, a commit this clone never had is no rewrite.
 */
import type { AheadBehind, GitContext } from "../../../../kernel/snapshot.ts";

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

/** What git says about history since the paused commit (git/history/history.ts). */
export interface HistoryFacts {
  current_commit: string | null;
  paused_commit_exists: boolean;
  is_ancestor: boolean;
  /** HEAD's history holds a copy (same patch) of the paused commit. */
  paused_commit_replayed?: boolean;
  new_commits: CommitInfo[];
  /** Copies of paused-side commits in HEAD's history (a rebase's), oldest first. */
  replayed_commits?: CommitInfo[];
  files: FileChange[];
}

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

/**
 * Where the paused commit stands: `none` (no commit at pause), `in_history`, `on_paused_branch`
 * (a switch), `replayed` (a copy with the same patch), `rewritten` (reset, amend, rebase), or
 * `not_in_clone` (never fetched).
 */
export type PausedCommitState =
  | "none"
  | "in_history"
  | "on_paused_branch"
  | "replayed"
  | "rewritten"
  | "not_in_clone";

/** Files uncommitted at pause in another place than this work tree. */
export interface PausedElsewhere {
  /** The machine the snapshot was made on (null: not recorded). */
  machine: string | null;
  project_path: string;
  /** Its uncommitted files that this work tree has no copy of (another machine: all of them). */
  files: string[];
}

export interface Changes {
  paused_commit: string | null;
  current_commit: string | null;
  paused_commit_state: PausedCommitState;
  branch: { from: string | null; to: string | null };
  /** Commits since the pause, oldest first; a rebase's copies of paused commits left out. */
  new_commits: CommitInfo[];
  /** Copies of commits the pause already had (same patch), made by a rebase or cherry-pick. */
  replayed_commits: CommitInfo[];
  files: FileChange[];
  /** Uncommitted at pause, changed by new commits, and HEAD's content is not what was paused. */
  conflicts: string[];
  /** Uncommitted at pause, and HEAD now holds exactly the content they had then. */
  committed_as_paused: string[];
  missing_files: string[];
  /** Uncommitted here at pause, clean now, untouched by commits: undone. Null: not known. */
  undone_since_pause: string[] | null;
  /** The pause was made elsewhere: its uncommitted files are there, not missing here. */
  paused_elsewhere: PausedElsewhere | null;
  working_tree: WorkingTree;
  /** Paths uncommitted now whose content is not what the pause recorded; null: not known. */
  edited_since_pause: string[] | null;
  ahead_behind: AheadBehind | null;
  /** `paused_commit_state` is `rewritten`. */
  history_rewritten: boolean;
}

/** The uncommitted work now; unstaged deletions and unmerged paths need their own lists. */
export interface WorkingTree {
  modified: string[];
  staged: string[];
  untracked: string[];
  deleted: string[];
  conflicted: string[];
}

/** Facts about the paused files that need the disk or git beyond history and status. */
export interface PausedFileFacts {
  gone: string[];
  /** Paths whose recorded content at pause (`git_context.blobs`) is what HEAD holds now. */
  headHolds: string[];
  /** Set when the snapshot was made on another machine or in another folder. */
  elsewhere?: { machine: string | null; project_path: string; other_machine: boolean };
  /** The paused branch still holds the paused commit (asked only when on another branch). */
  pausedBranchHolds?: boolean;
  /** Each path uncommitted now as git's blob id (null: absent); absent: not looked at. */
  blobsNow?: ReadonlyMap<string, string | null>;
}

/** Paths uncommitted at pause, conflicts included; with `limit`, only the first `limit`. */
export function dirtyAtPause(git: GitContext, limit = Infinity): string[] {
  const { modified, staged, untracked, renamed, deleted, conflicted } = git.status;
  const found = new Set<string>();
  const lists: Iterable<string>[] = [
    modified,
    staged,
    untracked,
    deleted ?? [],
    // Mid-merge or mid-rebase: a file in conflict holds uncommitted work too.
    conflicted ?? [],
    (renamed ?? []).map((r) => r.to),
  ];
  for (const list of lists) {
    for (const path of list) {
      if (found.size >= limit) return [...found];
      found.add(path);
    }
  }
  return [...found];
}

/** Paths uncommitted now whose content is not what the pause recorded (if it recorded it). */
export function editedSincePause(
  paused: GitContext,
  now: ReadonlyMap<string, string | null>,
): string[] {
  const atPause = new Map<string, string | null | undefined>(
    (paused.status.renamed ?? []).map((r) => [r.from, null]),
  );
  for (const path of dirtyAtPause(paused)) atPause.set(path, paused.blobs?.[path]);
  const folders = paused.status.untracked.filter((path) => path.endsWith("/"));
  return [...now].filter(([path, blob]) => {
    if (folders.some((folder) => path.startsWith(folder))) return false;
    if (!atPause.has(path)) return true;
    const then = atPause.get(path);
    return then !== undefined && then !== blob;
  }).map(([path]) => path).sort();
}

/** Where the paused commit stands; on another branch `pausedBranchHolds` decides. */
export function pausedCommitState(
  paused: Pick<GitContext, "commit" | "branch">,
  history: HistoryFacts,
  nowBranch: string | null,
  pausedBranchHolds?: boolean,
): PausedCommitState {
  if (paused.commit === null) return "none";
  if (!history.paused_commit_exists) return "not_in_clone";
  if (history.is_ancestor) return "in_history";
  if (paused.branch !== nowBranch && pausedBranchHolds === true) return "on_paused_branch";
  if (history.paused_commit_replayed) return "replayed";
  return "rewritten";
}

/** Whether history was rewritten since the pause (rebase, reset or amend that changed it). */
export function historyRewritten(
  paused: Pick<GitContext, "commit" | "branch">,
  history: HistoryFacts,
  nowBranch: string | null,
  pausedBranchHolds?: boolean,
): boolean {
  return pausedCommitState(paused, history, nowBranch, pausedBranchHolds) === "rewritten";
}

export function analyzeChanges(
  paused: GitContext,
  history: HistoryFacts,
  now: StatusFacts,
  facts: PausedFileFacts = { gone: [], headHolds: [] },
): Changes {
  const state = pausedCommitState(paused, history, now.branch, facts.pausedBranchHolds);
  const touched = new Set(history.files.map((f) => f.path));
  const dirty = dirtyAtPause(paused);
  // HEAD holding what was paused is news only where the paused commit did not already hold it:
  // a path changed since (or any path, when this clone lacks the paused commit).
  const holds = new Set(facts.headHolds);
  const committed = dirty.filter((path) =>
    holds.has(path) && (touched.has(path) || state === "not_in_clone")
  ).sort();
  const settled = new Set(committed);
  const conflicts = dirty.filter((path) => touched.has(path) && !settled.has(path)).sort();
  // A path deleted at pause is expected gone; one git lists is not (U+FFFD in non-UTF-8 names).
  const deletedAtPause = new Set(paused.status.deleted ?? []);
  const deletedNow = new Set(now.deleted);
  const thereNow = new Set(
    [...now.modified, ...now.staged, ...now.untracked, ...now.conflicted]
      .filter((path) => !deletedNow.has(path)),
  );
  const gone = new Set(
    facts.gone.filter((path) => !deletedAtPause.has(path) && !thereNow.has(path)),
  );
  const open = dirty.filter((path) => !settled.has(path));
  const elsewhere = facts.elsewhere;
  let pausedElsewhere: PausedElsewhere | null = null;
  let missing: string[];
  if (elsewhere) {
    // Another machine's files are on that machine; another folder's are missing only from it.
    const there = elsewhere.other_machine ? open : open.filter((path) => gone.has(path));
    pausedElsewhere = {
      machine: elsewhere.machine,
      project_path: elsewhere.project_path,
      files: there.sort(),
    };
    missing = [];
  } else {
    missing = open.filter((path) => gone.has(path)).sort();
  }
  // Clean now, and no commit since touched it: what was uncommitted then is not here.
  const dirtyNow = new Set([...deletedNow, ...thereNow]);
  const undone = elsewhere || state !== "in_history"
    ? null
    : open.filter((path) =>
      !path.endsWith("/") && !dirtyNow.has(path) && !touched.has(path) && !gone.has(path)
    ).sort();
  return {
    paused_commit: paused.commit,
    current_commit: history.current_commit ?? now.head,
    paused_commit_state: state,
    branch: { from: paused.branch, to: now.branch },
    new_commits: history.new_commits,
    replayed_commits: history.replayed_commits ?? [],
    files: history.files,
    conflicts,
    committed_as_paused: committed,
    missing_files: missing,
    undone_since_pause: undone,
    paused_elsewhere: pausedElsewhere,
    working_tree: {
      modified: now.modified,
      staged: now.staged,
      untracked: now.untracked,
      deleted: now.deleted,
      conflicted: now.conflicted,
    },
    edited_since_pause: facts.blobsNow && !elsewhere
      ? editedSincePause(paused, facts.blobsNow)
      : null,
    ahead_behind: now.ahead_behind,
    history_rewritten: state === "rewritten",
  };
}

/** The parts of `git status` that decide whether work is uncommitted. */
export interface TreeStatus {
  staged: string[];
  modified: string[];
  untracked: string[];
  deleted: string[];
  renamed: { from: string; to: string }[];
  conflicted: string[];
}

/** Paths with changes git tracks (staged, modified, deleted, renamed, unmerged). */
export function trackedChanges(status: TreeStatus): string[] {
  return [
    ...new Set([
      ...status.staged,
      ...status.modified,
      ...status.deleted,
      ...status.renamed.map((r) => r.to),
      ...status.conflicted,
    ]),
  ];
}

/** Every uncommitted path, untracked files included (what `git stash -u` would take). */
export function uncommitted(status: TreeStatus): string[] {
  return [...new Set([...trackedChanges(status), ...status.untracked])];
}
