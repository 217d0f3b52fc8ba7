/**
 * The board: who works on what in this project, from records already read and attributed
 * (board_read.ts). Data in, data out: lines of work per person, newest first, the files two
 * people's work changed (overlaps), the handoffs waiting, and each person's pauses of the last
 * 14 days. Every text taken from a record is redacted again and made one bounded line here, so
 * the terminal, the page, the JSON and Claude's context all start from the same clean words.
 * Pure.
 */
import { shown } from "../kernel/safe_text/shown.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";

/** Whose records: a git identity, and whether it is this checkout's own. */
export interface Person {
  email: string;
  name: string;
  you: boolean;
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
}

export interface BoardInput {
  records: readonly BoardRecord[];
  active: ActiveWork | null;
  you: Person;
  now: Date;
  sinceDays: number;
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
}

export interface PersonBoard {
  email: string;
  name: string;
  you: boolean;
  /** Pauses a day over the last 14 days, oldest first (today last). */
  pauses: number[];
  work: Work[];
}

export interface Overlap {
  path: string;
  work: { email: string; name: string; you: boolean }[];
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

/** A record's text as the board shows it anywhere: redacted again, one line, bounded. */
export function clean(text: string, max: number): string {
  return oneLine(shown(text), max);
}

function cleanPerson(p: Person): Person {
  return { email: clean(p.email, MAX_NAME), name: clean(p.name, MAX_NAME), you: p.you };
}

/** Finished work is nobody's current work. */
function finished(state: string): boolean {
  return state === "completed" || state === "cancelled";
}

/** The board of `input`: people (you first, then by latest move), overlaps, handoffs. */
export function buildBoard(input: BoardInput): Board {
  const cutoff = input.now.getTime() - input.sinceDays * DAY_MS;
  const stripStart = startOfDay(input.now) - (STRIP_DAYS - 1) * DAY_MS;
  const you = cleanPerson(input.you);
  const people = new Map<string, { person: Person; pauses: number[]; lines: Map<string, Line> }>();
  const personOf = (p: Person) => {
    const id = p.you ? "\0you" : p.email;
    let entry = people.get(id);
    if (!entry) {
      entry = {
        person: p.you ? you : cleanPerson(p),
        pauses: new Array(STRIP_DAYS).fill(0),
        lines: new Map(),
      };
      people.set(id, entry);
    }
    return entry;
  };
  // Newest first: the first record of a line of work is its newest.
  const records = [...input.records].sort((a, b) =>
    b.at.localeCompare(a.at) || b.id.localeCompare(a.id)
  );
  // The newest record of each key, whoever's: a handoff waits only while it is that.
  const newestOfKey = new Map<string, BoardRecord>();
  for (const r of records) {
    const t = Date.parse(r.at);
    if (!(t >= cutoff)) continue;
    if (!newestOfKey.has(r.key)) newestOfKey.set(r.key, r);
    const entry = personOf(r.person);
    const day = Math.floor((t - stripStart) / DAY_MS);
    if (day >= 0 && day < STRIP_DAYS) entry.pauses[day]++;
    const line = entry.lines.get(r.key);
    // The newest snapshot that names the work's files says it all; before those, every
    // snapshot's uncommitted paths count.
    if (!line) entry.lines.set(r.key, { newest: r, files: new Set(r.files), whole: r.whole });
    else if (!line.whole) { for (const f of r.files) line.files.add(f); }
  }
  const active = input.active;
  if (active) {
    const entry = personOf({ ...input.you, you: true });
    const line = entry.lines.get(active.key);
    entry.lines.set(active.key, {
      newest: line?.newest,
      files: new Set([...(line?.files ?? []), ...active.files]),
      whole: false,
      active,
    });
  }
  const board: PersonBoard[] = [];
  const handoffs: Handoff[] = [];
  for (const { person, pauses, lines } of people.values()) {
    const work: Work[] = [];
    for (const line of lines.values()) {
      const w = workOf(line);
      if (w === null) continue;
      work.push(w);
      const h = line.newest && waiting(line.newest, newestOfKey, input.active)
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
    work.sort((a, b) => b.moved.localeCompare(a.moved));
    board.push({ ...person, pauses, work });
  }
  board.sort((a, b) =>
    a.you !== b.you
      ? (a.you ? -1 : 1)
      : (b.work[0]?.moved ?? "").localeCompare(a.work[0]?.moved ?? "") ||
        a.email.localeCompare(b.email)
  );
  const shownPeople = input.person === undefined
    ? board.filter((p) => p.work.length > 0 || p.you)
    : board.filter((p) => matches(p, input.person!));
  const wanted = new Set(shownPeople.map((p) => p.email));
  return {
    generated: input.now.toISOString(),
    since_days: input.sinceDays,
    people: shownPeople,
    overlaps: overlapsOf(board).filter((o) => o.work.some((w) => wanted.has(w.email))),
    handoffs: handoffs.filter((h) => shownPeople.some((p) => (p.email || p.name) === h.from))
      .sort((a, b) => b.written_at.localeCompare(a.written_at)),
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
  files: Set<string>;
  whole: boolean;
  active?: ActiveWork;
}

function workOf(line: Line): Work | null {
  const r = line.newest;
  const a = line.active;
  if (!a && (!r || finished(r.state))) return null;
  const name = a?.name ?? a?.task ?? r?.name ?? r?.task ?? r?.summary.split("\n")[0] ??
    a?.key ?? "";
  const moved = [a?.startedAt, r?.at].filter((t): t is string => !!t).sort().pop() ?? "";
  return {
    name: clean(name, MAX_NAME) || clean(a?.key ?? r?.key ?? "", MAX_NAME),
    key: a?.key ?? r!.key,
    state: a ? "active" : r!.worktree ? "worktree" : r!.state,
    moved,
    words: r ? clean(r.summary, MAX_WORDS) : "",
    next: r?.next ? clean(r.next, MAX_WORDS) : null,
    todos_open: a?.todosOpen ?? r!.todosOpen,
    todos_done: a?.todosDone ?? r!.todosDone,
    branch: a?.branch ?? r?.branch ?? null,
    files: [...line.files].sort().slice(0, MAX_FILES).map((f) => clean(f, MAX_PATH)),
  };
}

/** A file changed by lines of work of two or more people: who touched it, most people first. */
function overlapsOf(people: readonly PersonBoard[]): Overlap[] {
  const byPath = new Map<string, Map<string, Overlap["work"]>>();
  for (const p of people) {
    for (const w of p.work) {
      for (const path of w.files) {
        // An untracked folder ("dir/", as git status lists a new one) says too little to collide.
        if (path.endsWith("/")) continue;
        let byPerson = byPath.get(path);
        if (!byPerson) byPath.set(path, byPerson = new Map());
        const who = p.you ? "\0you" : p.email;
        const list = byPerson.get(who) ?? [];
        list.push({ email: p.email, name: w.name, you: p.you });
        byPerson.set(who, list);
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
