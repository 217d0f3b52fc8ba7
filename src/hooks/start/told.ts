/**
 * What SessionStart told a conversation (`Told` fingerprints, told_store.ts), so a `resume` or
 * `fork` of one that carries it is told only what changed, or one line saying nothing did. Pure.
 */

import { FINGERPRINT_DIGITS, type Told } from "../../sessions/store/claude/told_store.ts";
import { sha1Hex } from "../../kernel/hashing/digest.ts";
import { inertLine, inertText } from "../../kernel/safe_text/inert.ts";
import { localSessionKey, type Snapshot, type Todo } from "../../kernel/snapshot.ts";
import { autoNote, claudeTasks } from "../../sessions/store/snapshots/session_history.ts";
import type { ActiveSession } from "../../sessions/store/records/state/state.ts";
import type { ContextPart } from "../../context/inject/assemble.ts";

/** What the session part tells, in the pieces a later start compares one by one. */
export interface ToldFacts {
  /** The snapshot the session part tells of (null: only an active session). */
  snapshot: string | null;
  /** The session it belongs to (its key), for Claude's tasks to carry over. */
  line: string | null;
  /** The name a person gave the session (`mpm start NAME`, a template's), else null. */
  name: string | null;
  summary: string;
  next_steps: string[];
  /** The open todos, as the session part lists them. */
  todos: string[];
  /** Claude Code's open tasks the snapshot recorded (not yet done). */
  tasks: Todo[];
}

/** The pieces of the active session and the snapshot the session part tells of. */
export function toldFacts(snapshot: Snapshot | null, active: ActiveSession | null): ToldFacts {
  const open = active
    ? active.todos.filter((t) => t.status !== "completed").map((t) => t.content)
    : (snapshot?.todos.active ?? []).map((t) => t.content);
  return {
    snapshot: snapshot?.session_id ?? null,
    line: active?.key ?? (snapshot ? localSessionKey(snapshot) : null),
    // An active session's own name, even none (an ad-hoc one), never an older snapshot's.
    name: active ? active.name : snapshot?.mpm.name ?? null,
    // The person's words only: mpm's own note ("Auto-saved when…") is no summary that changed.
    summary: snapshot && !mpmsNote(snapshot) ? snapshot.conversation.summary : "",
    next_steps: snapshot?.conversation.next_steps ?? [],
    todos: open,
    tasks: snapshot
      ? claudeTasks(snapshot).filter((t) => t.status !== "completed")
        .map((t) => ({ content: t.content, status: t.status }))
      : [],
  };
}

/** Whether a snapshot's summary is mpm's own note, not words a person wrote or carried. */
function mpmsNote(snapshot: Snapshot): boolean {
  return !snapshot.mpm.carried && autoNote(snapshot) === snapshot.conversation.summary;
}

/** A fingerprint: the first hex digits of the SHA-1 of `value` as JSON. */
export function fingerprint(value: unknown): string {
  return sha1Hex(JSON.stringify(value)).slice(0, FINGERPRINT_DIGITS);
}

/** The key a part is remembered by. */
export function partKey(part: Pick<ContextPart, "title" | "source">): string {
  return `${part.title} (${part.source})`;
}

/** The fingerprints of what a text tells: `parts` are the parts besides the session part. */
export function toldOf(input: {
  at: Date;
  listed: string | null;
  head: string | null;
  facts: ToldFacts | null;
  parts: ContextPart[];
}): Told {
  const facts = input.facts;
  return {
    at: input.at.toISOString(),
    listed: input.listed,
    head: input.head,
    words: fingerprint(facts ? [facts.summary, facts.next_steps, facts.name] : null),
    todos: fingerprint(facts?.todos ?? []),
    tasks: fingerprint(facts?.tasks ?? []),
    parts: Object.fromEntries(input.parts.map((p) => [partKey(p), fingerprint(p.text)])),
  };
}

/** A commit as the changes list it. */
export interface NewCommit {
  sha: string;
  subject: string;
  author: string;
  /** "2 hours ago", as of now. */
  ago: string;
}

export interface SinceInput {
  /** What the conversation was told, and when, in words ("2026-… UTC, 3 hours ago"). */
  since: Told;
  sinceWhen: string;
  /** The same fingerprints now. */
  now: Told;
  facts: ToldFacts | null;
  /** Snapshots listed after `since.listed`, newest first (ids); null when not known. */
  newSnapshots: string[] | null;
  /** Commits since `since.head`, oldest first; null when not known (no git, history gone). */
  newCommits: NewCommit[] | null;
  /** Every part of the full text but the session part and the commits (new ones are listed). */
  parts: ContextPart[];
}

const MOST_COMMITS = 10;
const MOST_ITEMS = 20;

/**
 * The parts to inject after a resume or fork: the changes (a part of their own) and the parts
 * whose text changed; an empty list when nothing changed at all.
 */
export function sinceParts(input: SinceInput): ContextPart[] {
  const { since, now, facts } = input;
  const lines: string[] = [];
  const snapshots = input.newSnapshots;
  if (snapshots && snapshots.length > 0) {
    lines.push(
      `- ${snapshots.length} new snapshot(s), newest first: ${
        snapshots.slice(0, 5).map((id) => inertLine(id, 80)).join(", ")
      }${snapshots.length > 5 ? `, and ${snapshots.length - 5} more` : ""}`,
    );
  }
  const commits = input.newCommits;
  if (commits && commits.length > 0) {
    lines.push(`- ${commits.length} new commit(s), oldest first:`);
    const shown = commits.slice(-MOST_COMMITS);
    if (shown.length < commits.length) lines.push(`  - … ${commits.length - shown.length} older`);
    for (const c of shown) {
      lines.push(
        `  - ${c.sha.slice(0, 7)} ${inertLine(c.subject, 200)} (${
          inertLine(c.author, 80)
        }, ${c.ago})`,
      );
    }
  } else if (commits === null && since.head !== null && since.head !== now.head) {
    lines.push("- HEAD moved (the earlier commit is not in this history any more).");
  }
  if (facts && since.words !== now.words) {
    if (facts.name) lines.push(`- Session: ${inertLine(facts.name, 120)}`);
    lines.push(`- Summary now: ${inertText(facts.summary || "(none)", 2_000, "    ")}`);
    if (facts.next_steps.length > 0) {
      lines.push("- Next steps now:");
      for (const [i, step] of facts.next_steps.slice(0, MOST_ITEMS).entries()) {
        lines.push(`  ${i + 1}. ${inertText(step, 400, "     ")}`);
      }
    }
  }
  if (facts && since.todos !== now.todos) {
    lines.push(facts.todos.length ? "- Open todos now:" : "- No open todos now.");
    for (const todo of facts.todos.slice(0, MOST_ITEMS)) {
      lines.push(`  - [ ] ${inertText(todo, 400, "        ")}`);
    }
  }
  if (facts && since.tasks !== now.tasks) {
    lines.push(facts.tasks.length ? "- Claude's open tasks now:" : "- No open Claude tasks now.");
    for (const task of facts.tasks.slice(0, MOST_ITEMS)) {
      const doing = task.status === "in_progress" ? " (in progress)" : "";
      lines.push(`  - [ ] ${inertText(task.content, 400, "        ")}${doing}`);
    }
  }
  const changed = input.parts.filter((p) => since.parts[partKey(p)] !== now.parts[partKey(p)]);
  if (lines.length === 0 && changed.length === 0) return [];
  const head = {
    title: "What changed since mpm's context earlier in this conversation",
    source: "mpm",
    text: [
      `mpm gave this conversation its context before (${input.sinceWhen}); this adds only ` +
      "what changed since, and where they differ, this is current. `mpm resume` shows the " +
      "full report.",
      ...(lines.length ? ["", ...lines] : ["", "- The session's words, todos and git: unchanged."]),
    ].join("\n"),
  };
  return [head, ...changed];
}

/** The one line injected when nothing changed since the conversation's earlier context. */
export function nothingChanged(sinceWhen: string): string {
  return `mpm: nothing changed since mpm's context earlier in this conversation (${sinceWhen}): ` +
    "the session's words, todos, snapshots and commits are as told there.";
}
