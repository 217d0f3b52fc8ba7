/**
 * `mpm checkpoint diff`: what changed since a checkpoint, or between two, by content (the sha256
 * when dirty, else HEAD's blob); paths clean at both by the commits between. Without the
 * checkpoint's commit, paths clean then and dirty now are called changed (`exact` false). Pure.
 */
import type { ContextChange } from "../context/compare.ts";
import type { Checkpoint, FileKind } from "./checkpoint.ts";
import type { CommitInfo, FileChange } from "../sessions/store/records/snapshot/changes.ts";
import type { Todo } from "../kernel/snapshot.ts";

export interface WorktreeFile {
  kind: FileKind;
  sha256: string | null;
  /** git's blob id of the bytes; needed for paths that were clean at the checkpoint. */
  blob: string | null;
}

export interface BaseEntry {
  oid: string;
  type: "blob" | "commit" | "tree";
}

export interface HistoryFacts {
  paused_commit_exists: boolean;
  history_rewritten: boolean;
  /** Oldest first. */
  new_commits: CommitInfo[];
  /** The net change from the checkpoint's HEAD to HEAD now. */
  files: (FileChange & { from?: string })[];
}

export interface GitNow {
  branch: string | null;
  head: string | null;
  /** Every path dirty now (untracked folders expanded). */
  dirty: readonly string[];
  /** The working tree now, for every path dirty at the checkpoint or now. */
  worktree: ReadonlyMap<string, WorktreeFile>;
  history: HistoryFacts;
  /** What the checkpoint's HEAD held at `pathsNeedingBase` (null: nothing); null: commit gone. */
  base: ReadonlyMap<string, BaseEntry | null> | null;
}

export interface DiffFacts {
  record: Checkpoint;
  git: GitNow | null;
  session: { key: string; name: string | null } | null;
  todos: readonly Todo[];
}

export interface FileDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

export interface CheckpointDiff {
  name: string;
  saved_at: string;
  /** The checkpoint compared with (`mpm checkpoint diff A B`); null: the work as it is now. */
  to: { name: string; saved_at: string } | null;
  git: {
    branch: { from: string | null; to: string | null };
    head: { from: string | null; to: string | null };
    history_rewritten: boolean;
    commits: CommitInfo[];
    files: FileDiff;
    /** False when some paths could not be compared (the checkpoint's commit is gone). */
    exact: boolean;
  } | null;
  session: { from: string | null; to: string | null; changed: boolean };
  todos: { added: string[]; removed: string[]; completed: string[]; reopened: string[] };
  /** The context file then and now (src/context/compare.ts); null or absent: nothing to say. */
  context?: ContextChange | null;
}

/** Paths dirty now but clean at the checkpoint: their old content is in the checkpoint's HEAD. */
export function pathsNeedingBase(record: Checkpoint, dirtyNow: readonly string[]): string[] {
  const then = new Set(record.git?.files.map((f) => f.path) ?? []);
  return dirtyNow.filter((path) => !then.has(path));
}

/** Paths whose working-tree content the diff needs: dirty at the checkpoint or now. */
export function pathsToRead(record: Checkpoint, dirtyNow: readonly string[]): string[] {
  return [...new Set([...(record.git?.files.map((f) => f.path) ?? []), ...dirtyNow])].sort();
}

type Verdict = "changed" | "added" | "removed" | "same";

function compare(thenPresent: boolean, nowPresent: boolean, same: () => boolean): Verdict {
  if (!thenPresent) return nowPresent ? "added" : "same";
  if (!nowPresent) return "removed";
  return same() ? "same" : "changed";
}

const MISSING_NOW: WorktreeFile = { kind: "missing", sha256: null, blob: null };

/** The net status of each path the commits touched: a rename is a removal and an addition. */
function committedChanges(files: HistoryFacts["files"]): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  for (const file of files) {
    if (file.status === "R" && file.from !== undefined) verdicts.set(file.from, "removed");
    const verdict = file.status === "A" || file.status === "R" || file.status === "C"
      ? "added"
      : file.status === "D"
      ? "removed"
      : "changed";
    verdicts.set(file.path, verdict);
  }
  return verdicts;
}

export function diffFiles(record: Checkpoint, now: GitNow): { files: FileDiff; exact: boolean } {
  const thenFiles = new Map(record.git?.files.map((f) => [f.path, f]) ?? []);
  const dirtyNow = new Set(now.dirty);
  const committed = committedChanges(now.history.files);
  const verdicts = new Map<string, Verdict>();
  let exact = true;
  for (const [path, then] of thenFiles) {
    const current = now.worktree.get(path) ?? MISSING_NOW;
    verdicts.set(
      path,
      compare(
        then.kind !== "missing",
        current.kind !== "missing",
        () => then.kind === current.kind && then.sha256 === current.sha256,
      ),
    );
  }
  for (const path of dirtyNow) {
    if (thenFiles.has(path)) continue;
    const current = now.worktree.get(path) ?? MISSING_NOW;
    const present = current.kind !== "missing";
    const base = record.git?.head === null ? null : now.base?.get(path);
    if (base === undefined) {
      exact = false;
      verdicts.set(path, present ? "changed" : "removed");
      continue;
    }
    verdicts.set(
      path,
      compare(
        base !== null,
        present,
        () =>
          base!.type === "blob"
            ? current.kind !== "dir" && current.blob === base!.oid
            : current.kind === "dir",
      ),
    );
  }
  for (const [path, verdict] of committed) {
    if (!verdicts.has(path)) verdicts.set(path, verdict);
  }
  if (record.git?.head && !now.history.paused_commit_exists) exact = false;
  return picked(verdicts, exact);
}

function picked(verdicts: Map<string, Verdict>, exact: boolean) {
  const pick = (wanted: Verdict) =>
    [...verdicts].filter(([, v]) => v === wanted).map(([path]) => path).sort();
  return {
    files: { changed: pick("changed"), added: pick("added"), removed: pick("removed") },
    exact,
  };
}

type Label = { key: string; name: string | null } | null;

function sessionChange(from: Label, to: Label): CheckpointDiff["session"] {
  const label = (s: Label) => s ? (s.name ?? s.key) : null;
  return { from: label(from), to: label(to), changed: (from?.key ?? null) !== (to?.key ?? null) };
}

/** Todos are matched by their text: new, dropped, done since, or reopened since. */
export function diffTodos(then: readonly Todo[], now: readonly Todo[]): CheckpointDiff["todos"] {
  const byText = (todos: readonly Todo[]) => {
    const map = new Map<string, Todo["status"]>();
    for (const todo of todos) if (!map.has(todo.content)) map.set(todo.content, todo.status);
    return map;
  };
  const before = byText(then);
  const after = byText(now);
  const done = (status: Todo["status"] | undefined) => status === "completed";
  return {
    added: [...after.keys()].filter((t) => !before.has(t)),
    removed: [...before.keys()].filter((t) => !after.has(t)),
    completed: [...after].filter(([t, s]) => before.has(t) && done(s) && !done(before.get(t)))
      .map(([t]) => t),
    reopened: [...after].filter(([t, s]) => before.has(t) && !done(s) && done(before.get(t)))
      .map(([t]) => t),
  };
}

export function diffCheckpoint(facts: DiffFacts): CheckpointDiff {
  const { record, git } = facts;
  return {
    name: record.name,
    saved_at: record.saved_at,
    to: null,
    git: record.git && git
      ? {
        branch: { from: record.git.branch, to: git.branch },
        head: { from: record.git.head, to: git.head },
        // A commit this clone lacks counts as rewritten: nothing can be compared with it.
        history_rewritten: record.git.head !== null &&
          (git.history.history_rewritten || !git.history.paused_commit_exists),
        commits: git.history.new_commits,
        ...diffFiles(record, git),
      }
      : null,
    session: sessionChange(record.session, facts.session),
    todos: diffTodos(record.todos, facts.todos),
  };
}

export function nothingChangedSince(diff: CheckpointDiff): boolean {
  const g = diff.git;
  const t = diff.todos;
  const gitSame = g === null || (g.commits.length === 0 && g.branch.from === g.branch.to &&
    g.head.from === g.head.to && g.files.changed.length + g.files.added.length +
          g.files.removed.length === 0);
  const contextSame = !diff.context || diff.context.status === "unchanged";
  return gitSame && !diff.session.changed && contextSame &&
    t.added.length + t.removed.length + t.completed.length + t.reopened.length === 0;
}

/** What a checkpoint's HEAD held at a path; for a blob, its sha256 (null: unreadable). */
export interface HeadEntry {
  type: "blob" | "commit" | "tree";
  sha256: string | null;
}

export interface BetweenFacts {
  from: Checkpoint;
  to: Checkpoint;
  /** Per path dirty in one only, the other's HEAD entry (null: none); null map: commit gone. */
  headOfFrom: ReadonlyMap<string, HeadEntry | null> | null;
  headOfTo: ReadonlyMap<string, HeadEntry | null> | null;
  /** The commits and net tree change from `from`'s HEAD to `to`'s; null when not comparable. */
  history: { commits: CommitInfo[]; ancestor: boolean; files: HistoryFacts["files"] } | null;
}

/** A path's content at one checkpoint; undefined when it cannot be told. */
interface Held {
  present: boolean;
  dir: boolean;
  sha256: string | null;
}

/** Paths dirty in `other` but clean in `record`: their content is in `record`'s HEAD. */
export function pathsCleanIn(record: Checkpoint, other: Checkpoint): string[] {
  const dirty = new Set(record.git?.files.map((f) => f.path) ?? []);
  return (other.git?.files ?? []).map((f) => f.path).filter((path) => !dirty.has(path));
}

function heldAt(
  record: Checkpoint,
  head: ReadonlyMap<string, HeadEntry | null> | null,
  path: string,
): Held | undefined {
  const dirty = record.git?.files.find((f) => f.path === path);
  if (dirty) {
    return {
      present: dirty.kind !== "missing",
      dir: dirty.kind === "dir",
      sha256: dirty.sha256,
    };
  }
  if (record.git?.head === null) return { present: false, dir: false, sha256: null };
  const entry = head?.get(path);
  if (entry === undefined) return undefined;
  if (entry === null) return { present: false, dir: false, sha256: null };
  if (entry.type !== "blob") return { present: true, dir: true, sha256: null };
  return entry.sha256 === null ? undefined : { present: true, dir: false, sha256: entry.sha256 };
}

/** `diffFiles` between two checkpoints, each path by its recorded or HEAD's sha256. */
export function diffFilesBetween(facts: BetweenFacts): { files: FileDiff; exact: boolean } {
  const { from, to } = facts;
  const paths = new Set([
    ...(from.git?.files.map((f) => f.path) ?? []),
    ...(to.git?.files.map((f) => f.path) ?? []),
  ]);
  const verdicts = new Map<string, Verdict>();
  let exact = true;
  for (const path of paths) {
    const a = heldAt(from, facts.headOfFrom, path);
    const b = heldAt(to, facts.headOfTo, path);
    if (a === undefined || b === undefined) {
      exact = false;
      const present = b?.present ?? a?.present ?? true;
      verdicts.set(path, present ? "changed" : "removed");
      continue;
    }
    verdicts.set(
      path,
      compare(a.present, b.present, () => a.dir === b.dir && a.sha256 === b.sha256),
    );
  }
  for (const [path, verdict] of committedChanges(facts.history?.files ?? [])) {
    if (!verdicts.has(path)) verdicts.set(path, verdict);
  }
  if (facts.history === null && from.git?.head !== to.git?.head) exact = false;
  return picked(verdicts, exact);
}

/** `mpm checkpoint diff A B`: from one checkpoint to another. */
export function diffBetween(facts: BetweenFacts): CheckpointDiff {
  const { from, to } = facts;
  return {
    name: from.name,
    saved_at: from.saved_at,
    to: { name: to.name, saved_at: to.saved_at },
    git: from.git && to.git
      ? {
        branch: { from: from.git.branch, to: to.git.branch },
        head: { from: from.git.head, to: to.git.head },
        history_rewritten: facts.history !== null && !facts.history.ancestor,
        commits: facts.history?.commits ?? [],
        ...diffFilesBetween(facts),
      }
      : null,
    session: sessionChange(from.session, to.session),
    todos: diffTodos(from.todos, to.todos),
  };
}
