/**
 * The board on a terminal: overlaps first, then a block per person (you first) with a line of
 * work per paragraph, then the handoffs waiting. Its texts are the board's, already redacted and
 * one line each (board_model.ts). A line of work in another agent than Claude Code says which
 * after its name ("Refunds (Codex)"). Pure.
 */
import { ago } from "../sessions/report/render_report.ts";
import { type AgentName, otherAgentLabel } from "../kernel/agent_name.ts";
import type { Style } from "../kernel/format/style.ts";
import type { Board, PersonBoard, Work } from "./board_model.ts";
import { pushAll } from "../kernel/lists.ts";

/** How many of a line of work's files the terminal lists before "and N more". */
const FILES_SHOWN = 8;

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
  return [head, ...p.work.flatMap((w) => workLines(w, now, s))];
}

/** "14 days", "1 day": the board's window. */
export function days(n: number): string {
  return n === 1 ? "day" : `${n} days`;
}

/** The whole board as terminal lines. */
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
    for (const o of board.overlaps) {
      const who = o.work.map((w) =>
        `${w.you ? "you" : `${w.email || "unknown"} (${proofLabel(w)})`}: ${w.name}${agentNote(w)}`
      ).join(" · ");
      out.push(`  ! ${o.path} — ${who}`);
    }
  }
  for (const p of board.people) pushAll(out, ["", ...personLines(p, now, s)]);
  if (board.handoffs.length) {
    out.push("", s.bold(`Handoffs waiting (${board.handoffs.length}):`));
    for (const h of board.handoffs) {
      out.push(
        `  • ${h.work} from ${h.from} to ${h.to ?? "anyone"}, ${ago(new Date(h.written_at), now)}` +
          (h.summary ? `: ${h.summary}` : ""),
      );
    }
  }
  return out.join("\n") + "\n";
}
