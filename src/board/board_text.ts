/**
 * The board on a terminal: overlaps first, then a block per person (you first) with a line of
 * work per paragraph, then the handoffs waiting; of each list its first few, the rest counted.
 * Its texts are the board's, already redacted and one line each (board_model.ts). A line of work
 * in another agent than Claude Code says which after its name ("Refunds (Codex)"). Pure.
 */
import { ago } from "../sessions/report/render_report.ts";
import { type AgentName, otherAgentLabel } from "../kernel/agent_name.ts";
import type { Style } from "../kernel/format/style.ts";
import type { Board, PersonBoard, Work } from "./board_model.ts";
import { pushAll } from "../kernel/lists.ts";

/** How many of a line of work's files the terminal lists before "and N more". */
const FILES_SHOWN = 8;

/**
 * How many of each list the terminal shows before a line counting the rest, newest (or widest)
 * first: a teammate's thousands of snapshots, each its own line of work or handoff, or all on
 * one file, once printed megabytes. A person's lines of work, the people, the overlaps, the lines
 * of work one overlap names, the handoffs. `--json` has every one (the page: board_html.ts).
 */
export const WORK_SHOWN = 10;
export const PEOPLE_SHOWN = 50;
export const OVERLAPS_SHOWN = 20;
export const OVERLAP_WORK_SHOWN = 6;
export const HANDOFFS_SHOWN = 10;

/** Where what the terminal leaves off is listed. */
const ELSEWHERE = "mpm board --json lists them";

/** "  … and 3 older lines of work (mpm board --json lists them)."; none when nothing is left. */
function moreLine(indent: string, left: number, one: string, many: string): string[] {
  return left > 0 ? [`${indent}… and ${left} ${left === 1 ? one : many} (${ELSEWHERE}).`] : [];
}

/** "Alice <alice@example.com>", or the one of the two there is. */
export function personLabel(p: { email: string; name: string; you?: boolean }): string {
  if (p.name && p.email) return `${p.name} <${p.email}>`;
  return p.email || p.name || (p.you ? NO_IDENTITY : "unknown");
}

/** The person's own lane where this checkout has no git identity (git config user.email). */
export const NO_IDENTITY = "You (no git identity set here)";

/**
 * Whose a lane is, in words: the person's own, or a teammate's pulled with `mpm sync pull`,
 * verified (signed by a key the allowed signers give to that email) or only claimed.
 */
export function whoseLabel(p: { you: boolean; verified: boolean }): string {
  if (p.you) return "you";
  return `a teammate's, pulled with mpm sync pull, ${proofLabel(p)}`;
}

/** "verified" or "unverified": whether a teammate's identity is proven by their signature. */
export function proofLabel(p: { verified: boolean }): string {
  return p.verified ? "verified" : "unverified";
}

/** " (Codex)" after a line of work's name in another agent than Claude Code; else "". */
export function agentNote(w: { agent: AgentName }): string {
  const label = otherAgentLabel(w.agent);
  return label === null ? "" : ` (${label})`;
}

/** "paused 2 hours ago" */
export function movedLabel(w: Work, now: Date): string {
  const state = w.state === "worktree" ? "in a worktree" : w.state;
  return w.moved ? `${state} ${ago(new Date(w.moved), now)}` : state;
}

function files(list: readonly string[]): string {
  const more = list.length - FILES_SHOWN;
  return list.slice(0, FILES_SHOWN).join(", ") + (more > 0 ? ` and ${more} more` : "");
}

function workLines(w: Work, now: Date, s: Style): string[] {
  const facts = [
    movedLabel(w, now),
    ...(w.branch ? [`branch ${w.branch}`] : []),
    `todos ${w.todos_open} open, ${w.todos_done} done`,
  ];
  return [
    `  • ${s.bold(w.name)}${agentNote(w)} — ${facts.join(" · ")}`,
    ...(w.words ? [`      Words: ${w.words}`] : []),
    ...(w.next ? [`      Next: ${w.next}`] : []),
    ...(w.files.length ? [`      Files (${w.files.length}): ${files(w.files)}`] : []),
  ];
}

function personLines(p: PersonBoard, now: Date, s: Style): string[] {
  const label = personLabel(p);
  const head = label === NO_IDENTITY ? s.bold(label) : `${s.bold(label)} (${whoseLabel(p)})`;
  if (p.work.length === 0) return [head, "  No open work in this window."];
  return [
    head,
    ...p.work.slice(0, WORK_SHOWN).flatMap((w) => workLines(w, now, s)),
    ...moreLine("  ", p.work.length - WORK_SHOWN, "older line of work", "older lines of work"),
  ];
}

/** "14 days", "1 day": the board's window. */
export function days(n: number): string {
  return n === 1 ? "day" : `${n} days`;
}

/** The whole board as terminal lines, each list cut to its bound above with the rest counted. */
export function renderBoard(board: Board, now: Date, s: Style): string {
  const works = board.people.reduce((n, p) => n + p.work.length, 0);
  const out = [
    `${board.people.length} ${board.people.length === 1 ? "person" : "people"}, ${works} ` +
    `line${works === 1 ? "" : "s"} of work in the last ${days(board.since_days)} ` +
    "(this clone's records and what mpm sync pull brought).",
  ];
  if (board.overlaps.length) {
    out.push(
      "",
      s.bold(`Overlaps (${board.overlaps.length}): files changed by more than one person's work`),
    );
    for (const o of board.overlaps.slice(0, OVERLAPS_SHOWN)) {
      const who = o.work.slice(0, OVERLAP_WORK_SHOWN).map((w) =>
        `${w.you ? "you" : `${w.email || "unknown"} (${proofLabel(w)})`}: ${w.name}${agentNote(w)}`
      ).join(" · ");
      const more = o.work.length - OVERLAP_WORK_SHOWN;
      out.push(`  ! ${o.path} — ${who}${more > 0 ? ` · and ${more} more` : ""}`);
    }
    out.push(
      ...moreLine("  ", board.overlaps.length - OVERLAPS_SHOWN, "more overlap", "more overlaps"),
    );
  }
  for (const p of board.people.slice(0, PEOPLE_SHOWN)) {
    pushAll(out, ["", ...personLines(p, now, s)]);
  }
  const people = moreLine("", board.people.length - PEOPLE_SHOWN, "more person", "more people");
  if (people.length) out.push("", ...people);
  if (board.handoffs.length) {
    out.push("", s.bold(`Handoffs waiting (${board.handoffs.length}):`));
    for (const h of board.handoffs.slice(0, HANDOFFS_SHOWN)) {
      out.push(
        `  • ${h.work} from ${h.from} to ${h.to ?? "anyone"}, ${ago(new Date(h.written_at), now)}` +
          (h.summary ? `: ${h.summary}` : ""),
      );
    }
    out.push(
      ...moreLine("  ", board.handoffs.length - HANDOFFS_SHOWN, "more handoff", "more handoffs"),
    );
  }
  return out.join("\n") + "\n";
}
