/**
 * What SessionStart tells Claude of a teammate on the same files: when the current work's
 * changed files overlap a teammate's line of work (pulled with `mpm sync pull`, moved in the last
 * 14 days), at most three lines naming the teammate, their work and the file —
 * "alice@example.com (unverified) — Refunds, paused 2 hours ago — also changed src/refund.ts",
 * the work's agent after its name where it is not Claude Code ("Refunds (Codex)", whichever
 * agent the person's own work is in) —
 * under a heading that says whose they are; "verified" only where the push was signed by a key the
 * allowed signers give to that email (board_read.ts), else the identity is only claimed. Each line is one inert line (kernel/safe_text): a
 * teammate's work named `</system-reminder># Do X` is text, never structure or an instruction.
 */
import { shown } from "../kernel/safe_text/shown.ts";
import { byCodeUnits } from "../kernel/lists.ts";
import { lateAfter } from "../kernel/early.ts";
import type { ContextPart } from "../context/inject/assemble.ts";
import type { GitStatus } from "../git/tree/porcelain.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { type Board, type BoardFold, buildBoard, finished, namedBy } from "./board_model.ts";
import { changedNow, readBoard } from "./board_read.ts";
import { agentNote, movedLabel, personLabel, proofLabel } from "./board_text.ts";
import { keepMates, openMates } from "./mates_cache.ts";

/** How many lines Claude is told at most, and how far back a teammate's work counts. */
export const MAX_TEAMMATE_LINES = 3;
export const TEAMMATE_DAYS = 14;
/**
 * The newest teammates' snapshots SessionStart reads at most: what it tells is the newest three
 * lines of work, and a start must stay quick however much a team has pushed.
 */
export const TEAMMATE_READS = 400;
const MAX_LINE = 400;
/**
 * How long SessionStart's teammates' part may take: past it, the part says it was skipped and
 * the rest of the start (the person's own work) is given as ever. Claude Code's hook is killed
 * at 9 s (the installed hook's bound), which would lose the person's part too.
 */
export const TEAMMATE_BUDGET_MS = 2000;

/**
 * The budget, or another from MPM_TEAMMATE_BUDGET_MS (a whole number of milliseconds): a loaded
 * test machine sets it far past what its reads need, so no test turns on the machine's speed.
 */
export function teammateBudget(vars: Readonly<Record<string, string | undefined>>): number {
  const raw = vars.MPM_TEAMMATE_BUDGET_MS;
  return raw !== undefined && /^\d{1,7}$/.test(raw) ? Number(raw) : TEAMMATE_BUDGET_MS;
}

/** The part's heading: whose the lines are. */
export const TEAMMATE_TITLE = "A teammate's work on the same files (pulled with mpm sync pull, " +
  "not the person's)";

/**
 * The lines for `files` (the current work's changed paths): one per teammate's line of work that
 * changed one of them, newest first, at most three. Pure.
 */
export function teammateLines(board: Board, files: readonly string[], now: Date): string[] {
  const mine = new Set(files);
  const lines: { moved: string; line: string }[] = [];
  for (const person of board.people) {
    if (person.you) continue;
    for (const work of person.work) {
      const shared = work.files.filter((f) => mine.has(f));
      if (shared.length === 0) continue;
      const more = shared.length > 1 ? ` (and ${shared.length - 1} more)` : "";
      lines.push({
        moved: work.moved,
        line: `${person.email || personLabel(person)} (${proofLabel(person)}) — ${work.name}` +
          `${agentNote(work)}, ` +
          `${movedLabel(work, now)} — also changed ${shared[0]}${more}`,
      });
    }
  }
  return lines.sort((a, b) => byCodeUnits(b.moved, a.moved)).slice(0, MAX_TEAMMATE_LINES)
    .map((l) => `- ${shown(l.line, { as: "line", max: MAX_LINE })}`);
}

/**
 * SessionStart's part for the current work: its files are what git status calls changed plus
 * `also` (the paused work's); null when no teammate's work touches them, or nothing was ever
 * pulled (then nothing is read: no process, no snapshot opened). The teammates' records are
 * taken from their facts kept when `mpm sync pull` ended (mates_cache.ts); only one not kept as
 * its file is now is read, and then kept for the next start.
 */
/**
 * The part, and until when (ms since 1970) the clock alone leaves it as it is: its lines leave
 * when their work leaves the 14 days. 0 where any start may tell it otherwise: a skip, a line
 * whose files older records name, a claim of proof (a signer dropped since must not stay told).
 */
export type TeammatePart = ContextPart & { lasts: number };

export async function teammatePart(input: {
  root: string;
  paths: ProjectPaths;
  now: Date;
  status: GitStatus | null;
  also?: readonly string[];
  /** TEAMMATE_BUDGET_MS unless told (a test's 0: the part is skipped before any read). */
  budgetMs?: number;
  /** Told each teammate's record read from its file (tests count them). */
  onRead?: (id: string) => void;
}): Promise<TeammatePart | null> {
  const also = input.also ?? [];
  if (also.length === 0 && (!input.status || changedNow(input.status, 1).length === 0)) return null;
  const budget = input.budgetMs ?? TEAMMATE_BUDGET_MS;
  // The reads stop at the deadline; the bound is on what runs before them (git). Not a
  // `setTimeout`: its first call loads Node's timers into the start (kernel/early.ts).
  const late = lateAfter(budget + 1000);
  const mates = await openMates(input.paths);
  const read = await Promise.race([
    readBoard({
      ...teammatesRead(input.root, input.paths, input.now),
      deadline: performance.now() + budget,
      mates,
      onRead: input.onRead,
    }),
    late,
  ]);
  if (read === "late" || read.stopped) return skippedPart(budget);
  await keepMates(input.paths, mates);
  if (read.fold.count === 0) return null;
  // Listed only once there are teammates: a vendored tree staged is a million paths.
  const files = [...(input.status ? changedNow(input.status) : []), ...also];
  const fold = touching(read.fold, files);
  const board = buildBoard({ ...read, fold });
  const lines = teammateLines(board, files, input.now);
  if (lines.length === 0) return null;
  const from = input.now.getTime() - WINDOW_MS;
  const until = lasts(fold, (key) => mates.oldest(key, from));
  return { title: TEAMMATE_TITLE, source: "mpm board", text: lines.join("\n"), lasts: until };
}

const WINDOW_MS = TEAMMATE_DAYS * 86_400_000;

/**
 * Until when the clock leaves `fold`'s lines (touching's) as they are: till the oldest record of
 * one leaves the 14 days (`oldest` of a line's key: its records read, in the window). 0 where
 * that is not known. Pure.
 */
export function lasts(fold: BoardFold, oldest: (key: string) => number | undefined): number {
  let until = Infinity;
  for (const lane of fold.lanes.values()) {
    for (const line of lane.lines.values()) {
      const at = line.newest.person.verified ? undefined : oldest(line.newest.key);
      if (at === undefined) return 0;
      until = Math.min(until, at + WINDOW_MS);
    }
  }
  return Number.isFinite(until) ? until : 0;
}

/**
 * `fold` with only what the lines told can come of: the teammates' unfinished lines of work that
 * name one of `files`, each with its files narrowed to those, and of them only the newest
 * MAX_TEAMMATE_LINES (and any tied with the last). The board cleans every path and words of
 * every line it shows, and a team's vendored trees made that most of a start. The fold is
 * changed in place: it is the part's own.
 */
export function touching(fold: BoardFold, files: readonly string[]): BoardFold {
  const mine = new Set(files);
  const kept: { lane: string; key: string; at: string }[] = [];
  for (const [id, lane] of fold.lanes) {
    for (const [key, line] of lane.lines) {
      const shared = line.newest.person.you || finished(line.newest.state)
        ? []
        : [...(line.newest.whole ? line.newest.files : namedBy(line))].filter((f) => mine.has(f));
      if (shared.length === 0) lane.lines.delete(key);
      else {
        line.first = shared;
        line.named = null;
        if (line.newest.whole) line.newest = { ...line.newest, files: shared };
        kept.push({ lane: id, key, at: line.newest.at });
      }
    }
  }
  const last = kept.map((k) => k.at).sort().reverse()[MAX_TEAMMATE_LINES - 1];
  for (const k of kept) {
    if (last !== undefined && k.at < last) fold.lanes.get(k.lane)!.lines.delete(k.key);
  }
  for (const [id, lane] of fold.lanes) if (lane.lines.size === 0) fold.lanes.delete(id);
  return fold;
}

/** What SessionStart reads of the teammates' records: theirs alone, the newest, of 14 days. */
function teammatesRead(root: string, paths: ProjectPaths, now: Date) {
  return { root, paths, now, sinceDays: TEAMMATE_DAYS, teammatesOnly: true, limit: TEAMMATE_READS };
}

/**
 * Keeps the teammates' facts the next start takes (mates_cache.ts), as `mpm sync pull` leaves
 * them: only the records not kept yet are read. Best effort: a start reads what is not kept.
 */
export async function keepTeammateFacts(
  root: string,
  paths: ProjectPaths,
  now: Date,
): Promise<void> {
  try {
    const mates = await openMates(paths);
    const read = await readBoard({ ...teammatesRead(root, paths, now), mates });
    if (!read.stopped) await keepMates(paths, mates);
  } catch {
    // The next start reads the records.
  }
}

/** The part when the teammates' records took longer than `budget` ms to read: why, and what to run. */
export function skippedPart(budget: number): TeammatePart {
  return {
    lasts: 0,
    title: TEAMMATE_TITLE,
    source: "mpm board",
    text: `- Skipped: reading the teammates' records that \`mpm sync pull\` brought took more ` +
      `than ${budget / 1000} s, so this start does not say whose work touches the same files ` +
      "(`mpm board` shows it).",
  };
}
