/**
 * A session's snapshots, and what an automatic snapshot carries forward from the person's last
 * words in it, so one mpm writes on its own never buries their summary, next steps and todos.
 * Pure: snapshots come in newest first, already read.
 */
import { isFinished } from "../records/lifecycle/lifecycle.ts";
import type { Identity, Senders } from "../../../git/history/sender.ts";
import {
  firstId,
  localSessionKey,
  type Snapshot,
  type Todo,
  writtenBy,
  writtenElsewhere,
} from "../../../kernel/snapshot.ts";
import { STATUS_CUT, type StatusCut, statusListMark } from "../records/snapshot/status_lists.ts";

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

/** What a session's snapshots say: its key, its newest snapshot, the person's newest words. */
export interface SessionHistory {
  /** The session's key: the active session's, or that of the newest snapshot's session. */
  key: string;
  /** The newest snapshot of the session. */
  last: Snapshot | null;
  /** The newest words a person wrote in the session. */
  words: CarriedWords | null;
}

/** The session an automatic snapshot belongs to (`key`'s, else resume's pick); null with none. */
export function findSessionHistory(
  given: readonly Snapshot[],
  key?: string,
): SessionHistory | null {
  // A snapshot another machine wrote (pulled from a teammate, committed into a clone) is of no
  // session of this person's, whatever key it carries: its words are not theirs to carry, nor
  // its key.
  const newestFirst = given.filter((snapshot) => !writtenElsewhere(snapshot));
  const session = key ?? newestSession(newestFirst);
  if (session === undefined) return null;
  let last: Snapshot | null = null;
  for (const snapshot of newestFirst) {
    if (localSessionKey(snapshot) !== session) continue;
    last ??= snapshot;
    const words = humanWords(snapshot);
    if (words) return { key: session, last, words };
  }
  return { key: session, last, words: null };
}

/** The session `resume` would pick: the newest open snapshot's that names one, else newest's. */
function newestSession(newestFirst: readonly Snapshot[]): string | undefined {
  const open = newestFirst.filter((snapshot) => !isFinished(snapshot.mpm.state));
  const telling = open.find((snapshot) =>
    writtenBy(snapshot) === "person" || snapshot.mpm.carried ||
    typeof (snapshot.mpm as Record<string, unknown>).key === "string"
  );
  const chosen = telling ?? open[0];
  return chosen ? localSessionKey(chosen) : undefined;
}

const STATUS_LISTS = ["modified", "staged", "untracked", "deleted", "renamed", "conflicted"];

/** The parts of a snapshot that say whether anything happened since (not its words). */
function stateOf(snapshot: Snapshot) {
  const git = snapshot.git_context;
  const todos = (list: Todo[]) => list.map((t) => [t.content, t.status]);
  return JSON.stringify({
    git: git
      ? {
        branch: git.branch,
        commit: git.commit,
        // Marks, not lists: the last snapshot may have been read without its million paths.
        status: STATUS_LISTS.map((name) =>
          statusListMark(
            git.status as unknown as Record<string, unknown>,
            (snapshot as { [STATUS_CUT]?: StatusCut })[STATUS_CUT],
            name,
          )
        ),
      }
      : null,
    todos: [todos(snapshot.todos.active), todos(snapshot.todos.completed)],
    tasks: todos(claudeTasks(snapshot).filter((t) => t.status !== "completed")),
  });
}

/** Same HEAD, status, todos and tasks as `last` (completed tasks dropped are no change). */
export function sameState(now: Snapshot, last: Snapshot): boolean {
  const done = (snapshot: Snapshot) =>
    claudeTasks(snapshot).filter((t) => t.status === "completed").map((t) => t.content);
  const before = new Set(done(last));
  return stateOf(now) === stateOf(last) && done(now).every((task) => before.has(task));
}

/** Claude Code's task list as an automatic snapshot recorded it. */
export function claudeTasks(snapshot: Snapshot): Todo[] {
  const tasks = (snapshot.mpm as Record<string, unknown>).claude_tasks;
  return Array.isArray(tasks) ? tasks as Todo[] : [];
}

/** The folded view of `mpm list`: each session once, with its automatic snapshots. */
export interface SessionGroup<T> {
  /** The newest snapshot of the session (what `mpm resume` of the session brings back). */
  head: T;
  /** Its other snapshots, newest first. */
  folded: T[];
}

/**
 * The sessions ref's files that say who sent a record, asked in this order: its own id's, then
 * its first id's (a pull renamed it here; the ref holds it under the id it was sent with).
 */
export function sentFiles(session: string, first: string | null): string[] {
  const own = `sessions/${session}.json`;
  return first === null || first === session ? [own] : [own, `sessions/${first}.json`];
}

/** Who sent a record, by the ref's senders of the first of its sentFiles the ref sent; or null. */
export function sentBy(session: string, first: string | null, sent: Senders): Identity | null {
  for (const file of sentFiles(session, first)) if (sent.has(file)) return sent.get(file) ?? null;
  return null;
}

/** Who sent a snapshot written elsewhere, by the ref's senders (sentBy); or null. */
export function senderOf(snapshot: Snapshot, sent: Senders): Identity | null {
  return sentBy(snapshot.session_id, firstId(snapshot), sent);
}

/** A snapshot's listing key: localSessionKey, plus its sender if elsewhere (two people, two). */
export function listedSessionKey(snapshot: Snapshot, sent: Senders): string {
  const key = localSessionKey(snapshot);
  if (!writtenElsewhere(snapshot)) return key;
  // One lane per email, key and proof, as the board's: two claiming one email are two.
  const who = senderOf(snapshot, sent);
  return `${key}\0${who?.email ?? ""}\0${who?.key ?? ""}\0${who?.verified ? 1 : 0}`;
}

/** Snapshots grouped by session, ordered by each's newest; an unread one is a group of its own. */
export function groupBySession<T extends { snapshot?: Snapshot | null }>(
  newestFirst: readonly T[],
  keyOf: (snapshot: Snapshot) => string = localSessionKey,
): SessionGroup<T>[] {
  const groups: SessionGroup<T>[] = [];
  const bySession = new Map<string, SessionGroup<T>>();
  for (const item of newestFirst) {
    if (!item.snapshot) {
      groups.push({ head: item, folded: [] });
      continue;
    }
    const key = keyOf(item.snapshot);
    const group = bySession.get(key);
    if (group) group.folded.push(item);
    else {
      const created = { head: item, folded: [] };
      bySession.set(key, created);
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
