/**
 * SessionStart's lines on teammates' work on the same files: at most three, newest first, each one
 * inert line naming the teammate ("verified" only where the allowed signers say), their work and
 * the file, of work pulled with `mpm sync pull` and moved in the last 14 days. Told again as told
 * last (mates_cache.ts) while no pull, no change of the files and no day's end moved them.
 */
import { shown } from "../kernel/safe_text/shown.ts";
import { byCodeUnits, sameItems } from "../kernel/lists.ts";
import { lateAfter } from "../kernel/early.ts";
import type { ContextPart } from "../context/inject/assemble.ts";
import type { GitStatus } from "../git/tree/porcelain.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { type Board, type BoardFold, buildBoard, finished, namedBy } from "./board_model.ts";
import { type BoardRead, changedNow, type KnownRef, readBoard } from "./board_read.ts";
import { agentNote, movedLabel, personLabel, proofLabel } from "./board_text.ts";
import {
  keepMates,
  keepToldMates,
  keptStamp,
  type MatesMemo,
  MAX_TOLD_FILES,
  openMates,
  toldMates,
} from "./mates_cache.ts";
import { fillTimes, TimeMarks } from "../kernel/format/ago.ts";
import { join } from "../kernel/path.ts";
import { fileStamp } from "../git/tree/stamp.ts";
import { findGitDirs } from "../git/run/root.ts";
import type { Offered } from "./mates_offer.ts";

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
 * The part, and till when (ms since 1970) the clock leaves it as it is (`lasts`); 0 where any
 * start may tell it otherwise: a skip, a claim of proof (a signer dropped since must not stay).
 */
export type TeammatePart = ContextPart & { lasts: number };

/**
 * SessionStart's part for the current work: its files are what git status calls changed plus
 * `also` (the paused work's); null when no teammate's work touches them, or nothing was ever
 * pulled (then nothing is read: no process, no snapshot opened). The lines told last for the
 * same files are told again while nothing was pulled since; else the teammates' records are
 * taken from their facts kept (mates_cache.ts), only one not kept as its file is now is read.
 */
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
  /** Told when the lines told last are told again, nothing read (tests count them). */
  onTold?: () => void;
}): Promise<TeammatePart | null> {
  const also = input.also ?? [];
  if (also.length === 0 && (!input.status || changedNow(input.status, 1).length === 0)) return null;
  const budget = input.budgetMs ?? TEAMMATE_BUDGET_MS;
  const listed = (limit = Infinity) => [
    ...(input.status ? changedNow(input.status, limit) : []),
    ...also,
  ];
  // The lines told last, for the same files, while nothing was pulled since: no record is read.
  const pulled = await pulledStamps(input.root, input.paths);
  const told = pulled === null
    ? null
    : await toldMates(input.paths, pulled + keptStamp(input.paths));
  const now = input.now.getTime();
  if (
    told !== null && (told.lines === null || now < told.lasts) &&
    sameItems(told.files, listed(told.files.length + 1))
  ) {
    input.onTold?.();
    return told.lines && teammatesOf(fillTimes(told.lines, input.now), told.lasts);
  }
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
  // Listed whole only once there are teammates: a vendored tree staged is a million paths.
  const files = listed(read.fold.count === 0 ? MAX_TOLD_FILES + 1 : Infinity);
  const made = await keepLines(input.paths, pulled, read, files, now, mates);
  return made.lines && teammatesOf(fillTimes(made.lines, input.now), made.lasts);
}

/** The sessions folder's and the sessions ref's stamps: a pull moves them. Null: not known. */
async function pulledStamps(root: string, paths: ProjectPaths): Promise<string | null> {
  const common = (await findGitDirs(root))?.commonDir;
  if (common === undefined || fileStamp(join(common, "reftable")) !== "-") return null;
  const ref = join(common, "refs", "mpm", "sessions");
  return [paths.sessions, ref, join(common, "packed-refs")].map(fileStamp).join(" ");
}

/**
 * The lines `read` gives for `files` (linesOf), kept for the next start under `pulled` (taken
 * before the read) and the teammates' facts as kept: not where they may tell another proof.
 */
async function keepLines(
  paths: ProjectPaths,
  pulled: string | null,
  read: BoardRead,
  files: string[],
  now: number,
  mates: MatesMemo,
) {
  const made = linesOf(read, files, now, mates);
  if (pulled !== null && (made.lines === null || made.lasts > 0)) {
    await keepToldMates(paths, { stamps: pulled + keptStamp(paths), files, ...made });
  }
  return made;
}

/** The part telling `text`, lasting till `lasts`. */
function teammatesOf(text: string, lasts: number): TeammatePart {
  return { title: TEAMMATE_TITLE, source: "mpm board", text, lasts };
}

/** The lines `read` gives for `files`, their times to fill in (null: none), and till when. */
function linesOf(read: BoardRead, files: readonly string[], now: number, mates: MatesMemo) {
  const marks = new TimeMarks(now);
  const fold = touching(read.fold, files);
  const text = teammateLines(buildBoard({ ...read, fold }), files, marks).join("\n");
  const lines = text === "" ? null : marks.timedText(text);
  const from = now - WINDOW_MS;
  // A cut through a time's mark: told as of now, and not kept.
  if (text !== "" && lines === null) {
    return { lines: { texts: [marks.filled(text)], times: [] }, lasts: 0 };
  }
  return { lines, lasts: lines === null ? 0 : lasts(fold, (key) => mates.oldest(key, from)) };
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

/** What a pull hands keepTeammateFacts. */
export interface PulledFacts {
  /** The ref's commits and the signing config as the pull has them (no git asks them). */
  known?: KnownRef;
  /** The facts of what it imported, made as it wrote them (mates_offer.ts): none is read back. */
  offered?: readonly Offered[];
  /** Told of each record read from its file (tests count them). */
  onRead?: (id: string) => void;
}

/**
 * Keeps the teammates' facts the next start takes (mates_cache.ts), as `mpm sync pull` leaves
 * them: only the records neither kept nor offered are read. Best effort: a start reads what is
 * not kept.
 */
export async function keepTeammateFacts(
  root: string,
  paths: ProjectPaths,
  now: Date,
  { known, offered = [], onRead }: PulledFacts = {},
): Promise<void> {
  try {
    const pulled = await pulledStamps(root, paths);
    const mates = await openMates(paths);
    for (const o of offered) mates.offer(o.file, o.stamp, o.fact);
    const read = await readBoard({ ...teammatesRead(root, paths, now), mates, known, onRead });
    if (read.stopped) return;
    await keepMates(paths, mates);
    // The lines the last start told, for its files: the next start with the same reads none.
    const last = pulled === null ? null : await toldMates(paths);
    if (last !== null) await keepLines(paths, pulled, read, last.files, now.getTime(), mates);
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
