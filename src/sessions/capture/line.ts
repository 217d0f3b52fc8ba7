/**
 * Lines of work: the snapshots of one piece of work (one `mpm.key`, or one keyless snapshot),
 * and what an automatic snapshot carries forward from the last words a person wrote in it.
 * Pure: the snapshots come in newest first, already read.
 *
 * Why carry at all: mpm writes snapshots on its own (SessionEnd, `branch`, a bare `pause`). The
 * newest snapshot is what `resume` and SessionStart bring back, so one written by mpm must hold
 * the person's summary, next steps and todos, or an evening's SessionEnd buries them.
 */
import { isFinished } from "../state/lifecycle.ts";
import {
  lineOf,
  type Snapshot,
  type Todo,
  writtenBy,
  writtenElsewhere,
} from "../../kernel/snapshot.ts";

/** The words a person wrote, as an automatic snapshot carries them. */
export interface CarriedWords {
  from: string;
  written_at: string;
  summary: string;
  accomplishments: string[];
  next_steps: string[];
  name: string | null;
  task: string | null;
  template: string | null;
  todos: Todo[];
}

/** The words a snapshot holds that a person wrote (its own, or carried), or null. */
export function humanWords(snapshot: Snapshot): CarriedWords | null {
  const carried = snapshot.mpm.carried;
  if (writtenBy(snapshot) !== "person" && !carried) return null;
  const { conversation: c, mpm } = snapshot;
  return {
    from: carried?.from ?? snapshot.session_id,
    written_at: carried?.written_at ?? snapshot.paused_at,
    summary: c.summary,
    accomplishments: c.accomplishments,
    next_steps: c.next_steps,
    name: mpm.name,
    task: mpm.task,
    template: mpm.template,
    todos: [...snapshot.todos.active, ...snapshot.todos.completed],
  };
}

export interface LineFacts {
  /** The line's key: the active session's, or the newest snapshot's line. */
  key: string;
  /** The newest snapshot of the line. */
  last: Snapshot | null;
  /** The newest words a person wrote in the line. */
  words: CarriedWords | null;
}

/**
 * The line an automatic snapshot belongs to and what it carries. `key` is the active session's
 * key; without one, the line is that of the newest snapshot `mpm resume` would pick (one
 * `mpm return` completed is passed over). Null when there is no line at all. Snapshots this
 * machine did not write are left out.
 */
export function findLine(given: readonly Snapshot[], key?: string): LineFacts | null {
  // A snapshot another machine wrote (pulled from a teammate, committed into a clone) is no line
  // of this person's, whatever key it carries: its words are not theirs to carry, nor its key.
  const newestFirst = given.filter((snapshot) => !writtenElsewhere(snapshot));
  const lineKey = key ?? newestLine(newestFirst);
  if (lineKey === undefined) return null;
  let last: Snapshot | null = null;
  for (const snapshot of newestFirst) {
    if (lineOf(snapshot) !== lineKey) continue;
    last ??= snapshot;
    const words = humanWords(snapshot);
    if (words) return { key: lineKey, last, words };
  }
  return { key: lineKey, last, words: null };
}

/**
 * The line of the newest snapshot `resume` would pick. An automatic pause of an older mpm (no
 * key, no carried words: "Automatic pause: …") says nothing of its line, so the line is that of
 * the newest snapshot that does; only when none does is it the newest one's own.
 */
function newestLine(newestFirst: readonly Snapshot[]): string | undefined {
  const open = newestFirst.filter((snapshot) => !isFinished(snapshot.mpm.state));
  const telling = open.find((snapshot) =>
    writtenBy(snapshot) === "person" || snapshot.mpm.carried ||
    typeof (snapshot.mpm as Record<string, unknown>).key === "string"
  );
  const chosen = telling ?? open[0];
  return chosen ? lineOf(chosen) : undefined;
}

/** The parts of a snapshot that say whether anything happened since (not its words). */
function stateOf(snapshot: Snapshot) {
  const git = snapshot.git_context;
  const todos = (list: Todo[]) => list.map((t) => [t.content, t.status]);
  return JSON.stringify({
    git: git
      ? {
        branch: git.branch,
        commit: git.commit,
        status: [
          git.status.modified,
          git.status.staged,
          git.status.untracked,
          git.status.deleted,
          git.status.renamed,
          git.status.conflicted,
        ],
      }
      : null,
    todos: [todos(snapshot.todos.active), todos(snapshot.todos.completed)],
    tasks: todos(claudeTasks(snapshot)),
  });
}

/** Same HEAD, same work-tree status, same todos and same Claude tasks. */
export function sameState(a: Snapshot, b: Snapshot): boolean {
  return stateOf(a) === stateOf(b);
}

/** Claude Code's task list as an automatic snapshot recorded it. */
export function claudeTasks(snapshot: Snapshot): Todo[] {
  const tasks = (snapshot.mpm as Record<string, unknown>).claude_tasks;
  return Array.isArray(tasks) ? tasks as Todo[] : [];
}

/** The folded view of `mpm list`: each line of work once, with its automatic snapshots. */
export interface LineGroup<T> {
  /** The newest snapshot of the line (what `mpm resume` of the line brings back). */
  head: T;
  /** Its other snapshots, newest first. */
  folded: T[];
}

/**
 * Groups snapshots (newest first) by line of work, in the order of each line's newest one.
 * A snapshot that could not be read stays a group of its own.
 */
export function groupLines<T extends { snapshot?: Snapshot | null }>(
  newestFirst: readonly T[],
): LineGroup<T>[] {
  const groups: LineGroup<T>[] = [];
  const byLine = new Map<string, LineGroup<T>>();
  for (const item of newestFirst) {
    if (!item.snapshot) {
      groups.push({ head: item, folded: [] });
      continue;
    }
    const line = lineOf(item.snapshot);
    const group = byLine.get(line);
    if (group) group.folded.push(item);
    else {
      const created = { head: item, folded: [] };
      byLine.set(line, created);
      groups.push(created);
    }
  }
  return groups;
}

/** What made an automatic snapshot, in words for a dated note ("auto-saved … when …"). */
export function autoNote(snapshot: Snapshot): string | null {
  const auto = snapshot.mpm.auto;
  if (auto) return auto.note;
  if (writtenBy(snapshot) === "mpm" && snapshot.mpm.summary_source === "auto") {
    return snapshot.conversation.summary;
  }
  return null;
}
