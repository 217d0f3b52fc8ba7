/**
 * The board: who works on what in this project, from records read and attributed
 * (board_read.ts), each folded in as it is read (BoardFold: a line of work keeps its newest
 * record, its files and its counts, never every snapshot). Data in, data out: lines of work per
 * person, newest first, the files two people's work changed (overlaps), the handoffs waiting,
 * and each person's pauses of the last 14 days. Every text taken from a record (its branch and key
 * too) is redacted again and made one bounded line here, so the terminal, the page, the JSON and
 * Claude's context all start from the same clean words.
 * Each line of work names its agent (Claude Code, Codex…); an overlap is one file changed by two
 * people's work whatever agent each worked in.
 * Pure.
 */
import { headToShow, shown } from "../kernel/safe_text/shown.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";
import { type AgentName, agentOf } from "../kernel/agent_name.ts";
import { byCodeUnits } from "../kernel/lists.ts";

/**
 * Whose records: a git identity, whether it is the person's own (sealed on this machine, or
 * signed with this checkout's own key), and whether a teammate's is verified (signed by a key the
 * allowed signers give to that email; else it is only what they claim).
 */
export interface Person {
  email: string;
  name: string;
  you: boolean;
  verified: boolean;
  /** The signing key that proves it (a teammate's lane is one per email and key); not shown. */
  key?: string | null;
}

/** One snapshot as the board needs it, attributed to its person. */
export interface BoardRecord {
  person: Person;
  id: string;
  /** Its line of work: the session key (one person's). */
  key: string;
  at: string;
  state: string;
  /** Written in another work tree than this project's (an agent worktree). */
  worktree: boolean;
  name: string | null;
  task: string | null;
  summary: string;
  next: string | null;
  todosOpen: number;
  todosDone: number;
  branch: string | null;
  /**
   * The paths its work changed: what the session changed since it began, committed or not
   * (`mpm.work_files`, `whole`), else those with uncommitted work at this snapshot.
   */
  files: readonly string[];
  /** `files` is the whole work's (`mpm.work_files`): older snapshots add nothing to it. */
  whole: boolean;
  /** The `mpm handoff` document it carries: to whom (null: anyone), and its summary. */
  handoff: { to: string | null; summary: string } | null;
  /** The agent the work was done in (`mpm.agent`); absent: Claude Code. */
  agent?: AgentName;
}

/** The person's active session (state.json): their current line of work. */
export interface ActiveWork {
  key: string;
  name: string | null;
  task: string | null;
  startedAt: string;
  todosOpen: number;
  todosDone: number;
  branch: string | null;
  /** What git status says is uncommitted now. */
  files: readonly string[];
  /** The agent last seen working in it (its sightings), if any was. */
  agent?: AgentName;
}

export interface BoardInput {
  /** The records, folded as they were read (BoardFold): the window and the clock are its. */
  fold: BoardFold;
  active: ActiveWork | null;
  you: Person;
  person?: string;
}

export interface Work {
  name: string;
  key: string;
  state: string;
  moved: string;
  words: string;
  next: string | null;
  todos_open: number;
  todos_done: number;
  branch: string | null;
  files: string[];
  /** The agent it was done in: the active session's, else its newest record's. */
  agent: AgentName;
}

export interface PersonBoard {
  email: string;
  name: string;
  you: boolean;
  /** The person's own, or a teammate's signed by a key the allowed signers give to the email. */
  verified: boolean;
  /** Pauses a day over the last 14 days, oldest first (today last). */
  pauses: number[];
  work: Work[];
}

export interface Overlap {
  path: string;
  work: { email: string; name: string; you: boolean; verified: boolean; agent: AgentName }[];
}

export interface Handoff {
  from: string;
  to: string | null;
  work: string;
  written_at: string;
  summary: string;
}

export interface Board {
  generated: string;
  since_days: number;
  people: PersonBoard[];
  overlaps: Overlap[];
  handoffs: Handoff[];
}

/** How long a line of words, a name and a path may be; how many files a line of work lists. */
export const MAX_WORDS = 300;
export const MAX_NAME = 120;
export const MAX_PATH = 300;
export const MAX_FILES = 500;
export const STRIP_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * A record's text as the board shows it anywhere: redacted again, one line, bounded; cut before
 * it is redacted (kernel/safe_text/shown.ts), so a teammate's megabytes of words cost no more
 * than the line shown.
 */
export function clean(text: string, max: number): string {
  return oneLine(shown(headToShow(text, max)), max);
}

function cleanPerson(p: Person): Person {
  return {
    email: clean(p.email, MAX_NAME),
    name: clean(p.name, MAX_NAME),
    you: p.you,
    verified: p.you || p.verified,
  };
}

/** Finished work is nobody's current work. */
export function finished(state: string): boolean {
  return state === "completed" || state === "cancelled";
}

/** Newest first, as the board orders every record: by `paused_at`, then by id. */
function newerFirst(a: BoardRecord, b: BoardRecord): number {
  return byCodeUnits(b.at, a.at) || byCodeUnits(b.id, a.id);
}

/**
 * Whose lane a record is in: the person's own is one lane, whatever identity it was under; a
 * teammate's is one per email, key and proof, so two people claiming one email (or the person's)
 * are two lanes, never merged with each other or into the person's.
 */
function laneOf(p: Person): string {
  let lane = lanes.get(p);
  if (lane === undefined) {
    lane = p.you ? "\0you" : `${p.email}\0${p.key ?? ""}\0${p.verified ? "verified" : ""}`;
    lanes.set(p, lane);
  }
  return lane;
}

/** Each person's lane, worked out once: the records of one sender share their Person. */
const lanes = new WeakMap<Person, string>();

/**
 * A line of work as the fold keeps it: its newest record, and every path its records name
 * (`namedBy`): the first record's own list while it is the only one, a set once there are more
 * (a line of one record of thousands of paths, a teammate's vendored tree, builds no set).
 */
interface FoldedLine {
  newest: BoardRecord;
  first: readonly string[];
  named: Set<string> | null;
}

/** Every path a folded line's records name (each once only when there were several). */
export function namedBy(line: FoldedLine): Iterable<string> {
  return line.named ?? line.first;
}

interface FoldedLane {
  pauses: number[];
  lines: Map<string, FoldedLine>;
}

/**
 * What the board keeps of its records, each folded in once as it is read, in any order: per
 * person the pauses of each day, per line of work (a person's key) its newest record and every
 * path its records name, per key its newest record, whoever's. The same as sorting every record
 * newest first and walking them, which the board did until 60,000 records in its window (30
 * people × 2,000 pauses) were held and sorted at once; a record folded in is now dropped unless
 * it is the newest of its line.
 */
export class BoardFold {
  /** Records folded in, in the window or not. */
  count = 0;
  readonly lanes = new Map<string, FoldedLane>();
  readonly newestOfKey = new Map<string, BoardRecord>();
  readonly #cutoff: number;
  readonly #stripStart: number;

  constructor(readonly now: Date, readonly sinceDays: number) {
    this.#cutoff = now.getTime() - sinceDays * DAY_MS;
    this.#stripStart = startOfDay(now) - (STRIP_DAYS - 1) * DAY_MS;
  }

  add(r: BoardRecord): void {
    this.count++;
    const t = Date.parse(r.at);
    if (!(t >= this.#cutoff)) return;
    const ofKey = this.newestOfKey.get(r.key);
    if (!ofKey || newerFirst(r, ofKey) < 0) this.newestOfKey.set(r.key, r);
    const id = laneOf(r.person);
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { pauses: new Array(STRIP_DAYS).fill(0), lines: new Map() };
      this.lanes.set(id, lane);
    }
    const day = Math.floor((t - this.#stripStart) / DAY_MS);
    if (day >= 0 && day < STRIP_DAYS) lane.pauses[day]++;
    const line = lane.lines.get(r.key);
    if (!line) lane.lines.set(r.key, { newest: r, first: r.files, named: null });
    else {
      if (newerFirst(r, line.newest) < 0) line.newest = r;
      const named = line.named ??= new Set(line.first);
      for (const f of r.files) named.add(f);
    }
  }
}

/**
 * A line's files: the newest snapshot that names the work's files says it all; before those,
 * every snapshot's uncommitted paths count.
 */
function lineOf(folded: FoldedLine): Line {
  const { newest } = folded;
  return {
    newest,
    files: newest.whole ? newest.files : namedBy(folded),
    whole: newest.whole,
  };
}

/** The board of `input`: people (you first, then by latest move), overlaps, handoffs. */
export function buildBoard(input: BoardInput): Board {
  const { fold } = input;
  const you = cleanPerson(input.you);
  const people = new Map<string, { person: Person; pauses: number[]; lines: Map<string, Line> }>();
  // Lanes and their lines in the order of their newest records, as the records sorted newest
  // first had met them (ties of the orders below are then broken as they were).
  const lanes = [...fold.lanes].map(([id, lane]) => ({
    id,
    pauses: lane.pauses,
    lines: [...lane.lines.values()].sort((a, b) => newerFirst(a.newest, b.newest)),
  })).sort((a, b) => newerFirst(a.lines[0].newest, b.lines[0].newest));
  for (const lane of lanes) {
    const newest = lane.lines[0].newest.person;
    people.set(lane.id, {
      person: newest.you ? you : cleanPerson(newest),
      pauses: lane.pauses,
      lines: new Map(lane.lines.map((l) => [l.newest.key, lineOf(l)])),
    });
  }
  const active = input.active;
  if (active) {
    const id = laneOf({ ...input.you, you: true });
    let entry = people.get(id);
    if (!entry) {
      entry = { person: you, pauses: new Array(STRIP_DAYS).fill(0), lines: new Map() };
      people.set(id, entry);
    }
    const line = entry.lines.get(active.key);
    entry.lines.set(active.key, {
      newest: line?.newest,
      files: [...(line?.files ?? []), ...active.files],
      whole: false,
      active,
    });
  }
  const board: PersonBoard[] = [];
  const handoffs: Handoff[] = [];
  const paths = new Map<string, string>();
  for (const { person, pauses, lines } of people.values()) {
    const work: Work[] = [];
    for (const line of lines.values()) {
      const w = workOf(line, paths);
      if (w === null) continue;
      work.push(w);
      const h = line.newest && waiting(line.newest, fold.newestOfKey, input.active)
        ? line.newest.handoff
        : null;
      if (h) {
        handoffs.push({
          from: person.email || person.name,
          to: h.to === null ? null : clean(h.to, MAX_NAME),
          work: w.name,
          written_at: w.moved,
          summary: clean(h.summary, MAX_WORDS),
        });
      }
    }
    work.sort((a, b) => byCodeUnits(b.moved, a.moved));
    board.push({ ...person, pauses, work });
  }
  board.sort((a, b) =>
    a.you !== b.you
      ? (a.you ? -1 : 1)
      : byCodeUnits(b.work[0]?.moved ?? "", a.work[0]?.moved ?? "") ||
        a.email.localeCompare(b.email)
  );
  const shownPeople = input.person === undefined
    ? board.filter((p) => p.work.length > 0 || p.you)
    : board.filter((p) => matches(p, input.person!));
  const wanted = new Set(shownPeople.map((p) => p.email));
  return {
    generated: fold.now.toISOString(),
    since_days: fold.sinceDays,
    people: shownPeople,
    overlaps: overlapsOf(board).filter((o) => o.work.some((w) => wanted.has(w.email))),
    handoffs: handoffs.filter((h) => shownPeople.some((p) => (p.email || p.name) === h.from))
      .sort((a, b) => byCodeUnits(b.written_at, a.written_at)),
  };
}

/**
 * Whether a record's handoff still waits: no one went on with its work since. Going on is a
 * newer record of the same key, whoever's (resuming a handed-over session keeps its key, so the
 * one who took it up writes under it), or the person's active session on that key.
 */
function waiting(
  r: BoardRecord,
  newestOfKey: ReadonlyMap<string, BoardRecord>,
  active: ActiveWork | null,
): boolean {
  return r.handoff !== null && newestOfKey.get(r.key) === r && active?.key !== r.key;
}

interface Line {
  newest: BoardRecord | undefined;
  /** Its paths, a path possibly more than once (firstPaths lists each once). */
  files: Iterable<string>;
  whole: boolean;
  active?: ActiveWork;
}

/** The first MAX_FILES of `files` in order, each once (sorted, then the repeats dropped). */
function firstPaths(files: Iterable<string>): string[] {
  const sorted = [...files].sort();
  const out: string[] = [];
  for (let i = 0; i < sorted.length && out.length < MAX_FILES; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  }
  return out;
}

/**
 * A time as the board gives it, in ISO form, or "" for none: a record's `paused_at` is any text
 * Date.parse takes, and a teammate's "Nov 29 2026 (…)" carries what they like in its parentheses.
 */
function isoOf(at: string | undefined): string {
  const t = at === undefined ? NaN : Date.parse(at);
  return Number.isNaN(t) ? "" : new Date(t).toISOString();
}

/**
 * A line's work as the board shows it. `paths`: each path cleaned so far (the same files are in
 * many lines of a team's work, each line listing up to MAX_FILES): cleaned once a board.
 */
function workOf(line: Line, paths: Map<string, string>): Work | null {
  const r = line.newest;
  const a = line.active;
  if (!a && (!r || finished(r.state))) return null;
  const name = a?.name ?? a?.task ?? r?.name ?? r?.task ?? r?.summary.split("\n")[0] ??
    a?.key ?? "";
  const branch = a?.branch ?? r?.branch ?? null;
  const moved = [isoOf(a?.startedAt), isoOf(r?.at)].filter((t) => t !== "").sort().pop() ?? "";
  return {
    name: clean(name, MAX_NAME) || clean(a?.key ?? r?.key ?? "", MAX_NAME),
    // A key and a branch are exact in the record (text_fields.ts) but a teammate's to choose.
    key: clean(a?.key ?? r!.key, MAX_NAME),
    state: a ? "active" : r!.worktree ? "worktree" : r!.state,
    moved,
    words: r ? clean(r.summary, MAX_WORDS) : "",
    next: r?.next ? clean(r.next, MAX_WORDS) : null,
    todos_open: a?.todosOpen ?? r!.todosOpen,
    todos_done: a?.todosDone ?? r!.todosDone,
    branch: branch === null ? null : clean(branch, MAX_NAME),
    files: firstPaths(line.files).map((f) => {
      let shown = paths.get(f);
      if (shown === undefined) paths.set(f, shown = clean(f, MAX_PATH));
      return shown;
    }),
    agent: a?.agent ?? agentOf(r?.agent),
  };
}

/**
 * A file changed by lines of work of two or more people, whatever agent each worked in: who
 * touched it, most people first. A line's entry is one object in every overlap it is in (the
 * JSON writes each once: board_command.ts).
 */
function overlapsOf(people: readonly PersonBoard[]): Overlap[] {
  const byPath = new Map<string, Map<string, Overlap["work"]>>();
  for (const [lane, p] of people.entries()) {
    // Each lane is one person: two claiming one email overlap as two.
    const who = p.you ? "\0you" : String(lane);
    for (const w of p.work) {
      const entry = {
        email: p.email,
        name: w.name,
        you: p.you,
        verified: p.verified,
        agent: w.agent,
      };
      for (const path of w.files) {
        // An untracked folder ("dir/", as git status lists a new one) says too little to collide.
        if (path.endsWith("/")) continue;
        let byPerson = byPath.get(path);
        if (!byPerson) byPath.set(path, byPerson = new Map());
        const list = byPerson.get(who);
        if (list) list.push(entry);
        else byPerson.set(who, [entry]);
      }
    }
  }
  const out: Overlap[] = [];
  for (const [path, byPerson] of byPath) {
    if (byPerson.size < 2) continue;
    out.push({ path, work: [...byPerson.values()].flat() });
  }
  return out.sort((a, b) => b.work.length - a.work.length || a.path.localeCompare(b.path));
}

function matches(p: PersonBoard, text: string): boolean {
  const needle = text.toLowerCase();
  return p.email.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle);
}

function startOfDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}
