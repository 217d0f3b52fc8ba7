/**
 * A snapshot's board facts: what the board takes of one record once it was read and checked
 * (its checksum, its seal, its shape), kept by facts_store.ts so that the next board does not
 * read and check it again. Everything the board shows of a record comes from its facts, read
 * now or kept, so the board is the same either way: texts are kept cut where the board would cut
 * them (`headToShow` at the length it shows; cutting twice cuts nothing more), whose it is
 * is worked out anew each time from what the facts say of its seal and the ref's senders.
 * Pure.
 */
import { headToShow } from "../kernel/safe_text/shown.ts";
import { agentOf } from "../kernel/agent_name.ts";
import { firstId, type Snapshot, writtenElsewhere } from "../kernel/snapshot.ts";
import { dirtyAtPause } from "../sessions/store/records/snapshot/changes.ts";
import type { Identity, Senders } from "../git/history/sender.ts";
import { isOwnSender } from "../git/history/sender.ts";
import { sentBy } from "../sessions/store/snapshots/session_history.ts";
import type { Signers } from "../git/history/signature.ts";
import { type BoardRecord, MAX_NAME, MAX_WORDS, type Person } from "./board_model.ts";

/** A record as the board keeps it: its facts without whose it is, nor its file's id. */
export interface Fact {
  /** Not sealed with this machine's key (a teammate's, a clone's). */
  elsewhere: boolean;
  /** The record's `session_id` and its `mpm.sync_origin.session_id`: where the ref names it. */
  session: string;
  origin: string | null;
  /** Read only in part (bounded_read.ts): the file's size in bytes. */
  cut: number | null;
  /** The folder it was written in (`project_path`): a work tree under the project's or not. */
  project: string;
  record: Omit<BoardRecord, "person" | "id" | "worktree">;
}

/** The facts of a snapshot read now (`cut`: read only in part, the file's size). */
export function factOf(snapshot: Snapshot, cut: number | null): Fact {
  const m = snapshot.mpm as Snapshot["mpm"] & {
    key?: unknown;
    handoff?: { to?: unknown; summary?: unknown } | null;
  };
  const handoff = m.handoff && typeof m.handoff === "object"
    ? {
      to: typeof m.handoff.to === "string" ? headToShow(m.handoff.to, MAX_NAME) : null,
      summary: typeof m.handoff.summary === "string"
        ? headToShow(m.handoff.summary, MAX_WORDS)
        : "",
    }
    : null;
  const agent = agentOf(m.agent);
  return {
    elsewhere: writtenElsewhere(snapshot),
    session: snapshot.session_id,
    origin: firstId(snapshot),
    cut,
    project: typeof snapshot.project_path === "string" ? snapshot.project_path : "",
    record: {
      key: typeof m.key === "string" && m.key !== "" ? m.key : snapshot.session_id,
      at: snapshot.paused_at,
      state: m.state,
      name: m.name == null ? null : headToShow(m.name, MAX_NAME),
      task: m.task == null ? null : headToShow(m.task, MAX_NAME),
      // The summary's first line names a work with no name: kept as far as the words are shown.
      summary: headToShow(snapshot.conversation.summary, MAX_WORDS),
      next: snapshot.conversation.next_steps[0] === undefined
        ? null
        : headToShow(snapshot.conversation.next_steps[0], MAX_WORDS),
      todosOpen: snapshot.todos.active.length,
      todosDone: snapshot.todos.completed.length,
      branch: snapshot.git_context?.branch ?? null,
      ...filesOf(snapshot),
      handoff,
      ...(agent === "claude-code" ? {} : { agent }),
    },
  };
}

/**
 * A snapshot's files for the board: what its session changed since it began
 * (`mpm.work_files`), else (a migrated or partly read one) the paths with uncommitted work then.
 */
function filesOf(snapshot: Snapshot): { files: string[]; whole: boolean } {
  const recorded = snapshot.mpm.work_files;
  if (recorded !== undefined) return { files: recorded, whole: true };
  return { files: snapshot.git_context ? dirtyAtPause(snapshot.git_context) : [], whole: false };
}

/**
 * The board's record of a file `id`'s facts, as `person`'s, in the project at `root`. Each field
 * named, not spread: spreading a parsed record cost a 100-person board 0.15 s of its 14,000.
 */
export function recordOf(fact: Fact, id: string, person: Person, root: string): BoardRecord {
  const r = fact.record;
  return {
    person,
    id,
    key: r.key,
    at: r.at,
    state: r.state,
    worktree: fact.project !== root && fact.project.startsWith(`${root}/`),
    name: r.name,
    task: r.task,
    summary: r.summary,
    next: r.next,
    todosOpen: r.todosOpen,
    todosDone: r.todosDone,
    branch: r.branch,
    files: r.files,
    whole: r.whole,
    handoff: r.handoff,
    agent: agentOf(r.agent),
  };
}

/**
 * Whose a record is: sealed here, the person's; sent, its sender's as claimed (the person's
 * only when signed with this checkout's own signing key); else nobody's (null).
 */
export function whoseFact(
  fact: Fact,
  sent: Senders,
  own: Identity | null,
  signers: Pick<Signers, "own">,
  /** The answers so far, by sender (undefined: the person's own): one Person for each. */
  memo?: Map<Identity | undefined, Person>,
): Person | null {
  const sender = fact.elsewhere ? sentBy(fact.session, fact.origin, sent) : undefined;
  if (sender === null) return null;
  const known = memo?.get(sender);
  if (known !== undefined) return known;
  const person = personOf(sender, own, signers);
  memo?.set(sender, person);
  return person;
}

/** Whose the records `sender` sent are (undefined: sealed here, the person's own). */
function personOf(
  sender: Identity | undefined,
  own: Identity | null,
  signers: Pick<Signers, "own">,
): Person {
  if (sender === undefined) {
    return { email: own?.email ?? "", name: own?.name ?? "", you: true, verified: true };
  }
  if (isOwnSender(sender, signers)) {
    return {
      email: own?.email ?? sender.email,
      name: own?.name ?? sender.name,
      you: true,
      verified: true,
    };
  }
  return {
    email: sender.email,
    name: sender.name,
    you: false,
    verified: sender.verified === true,
    key: sender.key ?? null,
  };
}
