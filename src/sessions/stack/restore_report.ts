/** Did `mpm return` give the parent's work back exactly? The branch's record against now. Pure. */
import type { PathRecord } from "../../git/objects/tree_record.ts";

/** What the parent had at a path when it branched. */
export type Was = "staged" | "unstaged" | "staged+unstaged" | "untracked";

/** Where that change is now, when it is not as it was. */
export type Now =
  | "conflict" // unmerged: the parent's change and a commit made since collide
  | "unstaged" // was staged; the change is in the work tree, nothing staged
  | "staged-differently" // staged, but not the content that was staged
  | "staged" // was not staged, is staged now
  | "missing" // the change is no longer on disk
  | "merged" // on disk, merged with a commit made since to the same file
  | "different"; // on disk, but not as it was

export interface FileReport {
  path: string;
  was: Was;
  now: Now;
  /** HEAD's version changed since the branch (the child committed, or the branch moved). */
  child_committed: boolean;
  /** One line for people, e.g. "app.txt: your staged change is in the work tree, unstaged". */
  message: string;
}

export interface RestoreReport {
  /** Every recorded path holds in the index and on disk exactly what it held at the branch. */
  exact: boolean;
  files: FileReport[];
  /** Untracked files there now that the parent did not have: the child made them and left them. */
  untracked_left: string[];
  /** Uncommitted changes to tracked files the parent did not have (possible without --stash). */
  changed_left: string[];
}

export function wasOf(r: PathRecord): Was {
  if (r.untracked) return "untracked";
  const staged = r.index !== r.head;
  const unstaged = r.work !== r.index;
  if (staged && unstaged) return "staged+unstaged";
  return staged ? "staged" : "unstaged";
}

const WAS_TEXT: Record<Was, string> = {
  "staged": "staged change",
  "unstaged": "unstaged change",
  "staged+unstaged": "staged and unstaged changes",
  "untracked": "untracked file",
};

/** The same in the index and on disk (and as untracked or not) as it was. */
export function sameAs(before: PathRecord, now: PathRecord): boolean {
  return !now.conflicted && now.index === before.index && now.work === before.work &&
    (now.untracked ?? false) === (before.untracked ?? false);
}

function nowOf(before: PathRecord, now: PathRecord): Now {
  const wasStaged = !before.untracked && before.index !== before.head;
  const stagedNow = now.index !== null && now.index !== now.head;
  if (now.conflicted) return "conflict";
  if (wasStaged && !stagedNow && now.work !== null && now.work !== now.index) return "unstaged";
  if (wasStaged && stagedNow && now.index !== before.index) return "staged-differently";
  if (!wasStaged && stagedNow) return "staged";
  if (now.work === null && before.work !== null) return "missing";
  // git never merges into an untracked file: one a commit since tracks was left as it holds it.
  if (before.untracked) return "different";
  if (now.work !== before.work && now.head !== before.head) return "merged";
  return "different";
}

const NOW_TEXT: Record<Now, string> = {
  "conflict": "conflicts with what the branch holds now: resolve the file, then `git add` it",
  "unstaged": "is in the work tree, unstaged",
  "staged-differently": "is staged, but not as you staged it",
  "staged": "is staged now; it was not",
  "missing": "is no longer in the work tree",
  "merged": "is in the work tree, merged with what the branch holds now",
  "different": "is not as you left it",
};

export interface CompareOptions {
  /** The stash still holding the parent's work, named in each line; null when none is kept. */
  stashKept: string | null;
  /** No stash: the work tree stayed shared with the child, so differences are the child's. */
  shared: boolean;
}

/** `before`: the record at `mpm branch`; `now`: read after returning, with every recorded path. */
export function compareTrees(
  before: readonly PathRecord[],
  now: readonly PathRecord[],
  options: CompareOptions,
): RestoreReport {
  const nowByPath = new Map(now.map((r) => [r.path, r]));
  const recorded = new Set(before.map((r) => r.path));
  const files: FileReport[] = [];
  for (const b of before) {
    const n = nowByPath.get(b.path) ??
      { path: b.path, head: null, index: null, mode: null, work: null };
    if (sameAs(b, n)) continue;
    const was = wasOf(b);
    const state = nowOf(b, n);
    const childCommitted = n.head !== b.head;
    let message = `${b.path}: your ${WAS_TEXT[was]} ${NOW_TEXT[state]}`;
    if (options.shared) {
      message = `${b.path}: your ${WAS_TEXT[was]} changed while the child was active`;
    }
    if (childCommitted && state !== "conflict" && state !== "merged") {
      message += " — a commit since `mpm branch` changed this file";
    }
    if (options.stashKept) message += `; stash kept as \`${options.stashKept}\``;
    files.push({ path: b.path, was, now: state, child_committed: childCommitted, message });
  }
  const extra = now.filter((r) => !recorded.has(r.path));
  const untrackedLeft = extra.filter((r) => r.untracked).map((r) => r.path);
  const changedLeft = extra.filter((r) => !r.untracked).map((r) => r.path);
  return {
    exact: files.length === 0,
    files,
    untracked_left: untrackedLeft,
    changed_left: changedLeft,
  };
}

export interface IndexFix {
  path: string;
  oid: string | null;
  mode: string | null;
}

/** Index entries to put back after a stash applied without its staging (paths back exactly). */
export function indexFixes(before: readonly PathRecord[], now: readonly PathRecord[]): IndexFix[] {
  const nowByPath = new Map(now.map((r) => [r.path, r]));
  const fixes: IndexFix[] = [];
  for (const b of before) {
    if (b.untracked) continue;
    const n = nowByPath.get(b.path);
    if (!n || n.conflicted || n.head !== b.head || n.work !== b.work) continue;
    if (n.index !== b.index) fixes.push({ path: b.path, oid: b.index, mode: b.mode });
  }
  return fixes;
}

/** One line for people summing up a report (nothing when it is exact and nothing was left). */
export function renderRestore(report: RestoreReport, childLabel: string): string[] {
  const lines = report.files.map((f) => f.message);
  if (report.untracked_left.length > 0) {
    lines.push(
      `Left by ${childLabel}, untracked, still in the work tree: ` +
        report.untracked_left.join(", "),
    );
  }
  if (report.changed_left.length > 0) {
    lines.push(
      `Changed by ${childLabel} and not committed: ${report.changed_left.join(", ")}`,
    );
  }
  return lines;
}
