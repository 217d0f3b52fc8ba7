/**
 * What SessionStart's teammates' lines are made of, `cache/teammates.json` (per record, under its
 * file's stamp, the facts the lines take; whose it is and its proof are worked out each time), and
 * the lines last told, `cache/teammates-told.json`. Derived and sealed (caches/cache.ts): what is
 * not current is read again. Written when `mpm sync pull` ends and by a start that read.
 */
import {
  array,
  boolean,
  int,
  nullable,
  number,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../kernel/check.ts";
import { AGENT_NAMES } from "../kernel/agent_name.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { cached, cacheFile, type CacheKind, keep } from "../sessions/store/caches/cache.ts";
import { fileStamp } from "../git/tree/stamp.ts";
import type { Fact } from "./board_fact.ts";
import { MAX_FILES } from "./board_model.ts";

const text = (max: number) => string({ max });
/** A start told for more of the person's files than this works its lines out each time. */
export const MAX_TOLD_FILES = 1_000;

/** One record as kept: its file (within `.claude-mpm/`), stamp, and facts. */
export const keptMateCheck = object({
  file: text(1_024),
  stamp: text(400),
  session: text(4_000),
  origin: nullable(text(4_000)),
  elsewhere: boolean,
  project: text(4_096),
  key: text(4_000),
  at: text(100),
  state: text(40),
  name: nullable(text(1_000)),
  task: nullable(text(1_000)),
  /** The summary's first line: what names a work with no name. */
  summary: text(2_000),
  /** Its files: an index into `lists`. */
  files: int("nonnegative"),
  whole: boolean,
  agent: optional(oneOf(AGENT_NAMES)),
}, "strip");
export type KeptMate = Out<typeof keptMateCheck>;

export const keptMatesCheck = object({
  /** Each path once: records of one team name the same files again and again. */
  paths: array(text(4_096)),
  /**
   * Each list of files once, as indices into `paths` joined by commas: the first MAX_FILES of a
   * record's files, in order. A teammate's snapshots of one work mostly name the same files, and
   * a list read as one string is parsed and checked at once, not index by index.
   */
  lists: array(text(MAX_FILES * 8)),
  records: array(keptMateCheck),
}, "strip");
export type KeptMates = Out<typeof keptMatesCheck>;

const MATES: CacheKind<KeptMates> = {
  file: "teammates.json",
  check: keptMatesCheck,
  maxBytes: 8 * 1024 * 1024,
};

/** A kept file larger than this is not written: the records are read as ever. */
const MAX_KEPT_CHARS = 6 * 1024 * 1024;

/** What SessionStart's lines take of a record's facts: the same whether read now or kept. */
export function mateFact(fact: Fact): Fact {
  const r = fact.record;
  return {
    elsewhere: fact.elsewhere,
    session: fact.session,
    origin: fact.origin,
    cut: null,
    project: fact.project,
    record: {
      key: r.key,
      at: r.at,
      state: r.state,
      name: r.name,
      task: r.task,
      summary: r.summary.split("\n")[0],
      next: null,
      todosOpen: 0,
      todosDone: 0,
      branch: null,
      // What a line shows of its files is their first MAX_FILES in order, of its newest record
      // or of all its records: the first MAX_FILES of each record's give the same.
      files: [...r.files].sort().slice(0, MAX_FILES),
      whole: r.whole,
      handoff: null,
      ...(r.agent === undefined ? {} : { agent: r.agent }),
    },
  };
}

/**
 * The teammates' facts kept, looked up by a record's file and stamp, and what a read learns:
 * `retain` then keeps only the records read this time (the others left the window, or are gone).
 */
export class MatesMemo {
  readonly #kept = new Map<string, { stamp: string; fact: Fact }>();
  readonly #now = new Map<string, { stamp: string; fact: Fact }>();
  /** A record was read from its file, or one kept was not used: worth writing again. */
  changed = false;

  constructor(kept: KeptMates | null) {
    if (kept === null) return;
    // Each list's files once, shared by the records that name it (nothing changes them).
    const lists = new Map<number, string[] | null>();
    const listed = (at: number) => {
      let files = lists.get(at);
      if (files === undefined) lists.set(at, files = listOf(kept, at));
      return files;
    };
    for (const k of kept.records) {
      const files = listed(k.files);
      if (files === null) continue;
      this.#kept.set(k.file, {
        stamp: k.stamp,
        fact: {
          elsewhere: k.elsewhere,
          session: k.session,
          origin: k.origin,
          cut: null,
          project: k.project,
          record: {
            key: k.key,
            at: k.at,
            state: k.state,
            name: k.name,
            task: k.task,
            summary: k.summary,
            next: null,
            todosOpen: 0,
            todosDone: 0,
            branch: null,
            files,
            whole: k.whole,
            handoff: null,
            ...(k.agent === undefined ? {} : { agent: k.agent }),
          },
        },
      });
    }
  }

  /** The kept facts of `file` when its stamp is `stamp`; else undefined. */
  known(file: string, stamp: string): Fact | undefined {
    const kept = this.#kept.get(file);
    if (kept === undefined || kept.stamp !== stamp) return undefined;
    this.#now.set(file, kept);
    return kept.fact;
  }

  /** Takes `fact` (mateFact's) for `file` at `stamp` as kept: a read finds it, none is made. */
  offer(file: string, stamp: string, fact: Fact): void {
    this.#kept.set(file, { stamp, fact });
    this.changed = true;
  }

  /** Keeps `fact` (mateFact's) for `file` as it was at `stamp`. */
  learn(file: string, stamp: string, fact: Fact): void {
    this.#now.set(file, { stamp, fact });
    this.changed = true;
  }

  /** The oldest time (ms) of the records of `key` met this time, at `from` or after. */
  oldest(key: string, from: number): number | undefined {
    let oldest: number | undefined;
    for (const { fact } of this.#now.values()) {
      const at = Date.parse(fact.record.at);
      if (fact.record.key === key && at >= from && !(at >= oldest!)) oldest = at;
    }
    return oldest;
  }

  /** Whether a record kept was not met this time (gone, or out of the window). */
  #dropped(): boolean {
    for (const file of this.#kept.keys()) if (!this.#now.has(file)) return true;
    return false;
  }

  /** What to write: the records met this time; null when it is what is kept, or too large. */
  toKeep(): KeptMates | null {
    if (!this.changed && !this.#dropped()) return null;
    const paths: string[] = [];
    const index = new Map<string, number>();
    const lists: string[] = [];
    const listIndex = new Map<string, number>();
    const records: KeptMate[] = [];
    let chars = 0;
    for (const [file, { stamp, fact }] of this.#now) {
      const r = fact.record;
      const kept: KeptMate = {
        file,
        stamp,
        session: fact.session,
        origin: fact.origin,
        elsewhere: fact.elsewhere,
        project: fact.project,
        key: r.key,
        at: r.at,
        state: r.state,
        name: r.name,
        task: r.task,
        summary: r.summary,
        files: 0,
        whole: r.whole,
        ...(r.agent === undefined ? {} : { agent: r.agent }),
      };
      // One that its check would refuse (a teammate's key of kilobytes) is read each time.
      if (!keptMateCheck(kept, null).ok) continue;
      const list = r.files.map((f) => {
        let i = index.get(f);
        if (i === undefined) {
          index.set(f, i = paths.length);
          paths.push(f);
          chars += f.length + 4;
        }
        return i;
      }).join(",");
      let files = listIndex.get(list);
      if (files === undefined) {
        listIndex.set(list, files = lists.push(list) - 1);
        chars += list.length + 3;
      }
      chars += 600;
      records.push({ ...kept, files });
    }
    return chars > MAX_KEPT_CHARS ? null : { paths, lists, records };
  }
}

/** List `at` of `kept`, its files named; null when it is not there or names a path not there. */
function listOf(kept: KeptMates, at: number): string[] | null {
  const list = kept.lists[at];
  if (list === undefined || !/^(?:\d+(?:,\d+)*)?$/.test(list)) return null;
  if (list === "") return [];
  const files: string[] = [];
  for (const i of list.split(",")) {
    const file = kept.paths[Number(i)];
    if (file === undefined) return null;
    files.push(file);
  }
  return files;
}

/**
 * SessionStart's teammates' lines as last told, `cache/teammates-told.json`: for the files they
 * were told for, while the sessions folder and ref are as `stamps` says (a pull moves them), the
 * lines with their times to fill in (null: nothing to tell), and till when the clock leaves them.
 */
export const toldMatesCheck = object({
  stamps: text(2_000),
  files: array(text(4_096)),
  lines: nullable(object({ texts: array(text(4_000)), times: array(text(40)) }, "strip")),
  lasts: number,
}, "strip");
export type ToldMates = Out<typeof toldMatesCheck>;

const TOLD: CacheKind<ToldMates> = {
  file: "teammates-told.json",
  check: toldMatesCheck,
  maxBytes: 8 * 1024 * 1024,
};

/** The lines last told, when they were told under `stamps` (any, not given); else null. */
export function toldMates(paths: ProjectPaths, stamps?: string): Promise<ToldMates | null> {
  return cached(paths, TOLD, (told) => stamps === undefined || told.stamps === stamps);
}

/** The stamp of the teammates' facts as kept now (the lines told are made of them). */
export function keptStamp(paths: ProjectPaths): string {
  return ` ${fileStamp(cacheFile(paths, MATES))}`;
}

/** Keeps the lines told (those for more than MAX_TOLD_FILES files are not); best effort. */
export async function keepToldMates(paths: ProjectPaths, told: ToldMates): Promise<void> {
  if (told.files.length <= MAX_TOLD_FILES) await keep(paths, TOLD, told);
}

/** The teammates' facts this machine kept, or none. */
export async function openMates(paths: ProjectPaths): Promise<MatesMemo> {
  return new MatesMemo(await cached(paths, MATES, () => true));
}

/** Keeps what `memo` learnt for the next start; best effort. */
export async function keepMates(paths: ProjectPaths, memo: MatesMemo): Promise<void> {
  const value = memo.toKeep();
  if (value !== null) await keep(paths, MATES, value);
}
