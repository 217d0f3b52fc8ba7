/**
 * The board's facts index: each snapshot's board facts (board_fact.ts) kept in a SQLite file of
 * its own, `.claude-mpm/cache/board-<16 hex>.sqlite`, so that a board reads a record it met
 * before without reading and checking its file again. Two tables:
 * - `facts`, by the record's content (sha256 of its form, id, file and checksum file): what was
 *   checked once is not checked again, whichever file holds those bytes;
 * - `files`, by the file's name in `.claude-mpm/`: the stamp (size, times, inode of the record
 *   and of its checksum) it had when its content was hashed, so an unchanged file is not even
 *   read. A record read only in part (too large: bounded_read.ts) is known by its stamp alone.
 * It is derived: the files stay the truth. A file whose stamp changed, or that the index does not
 * know, is read as ever and its facts kept. Missing, damaged, of another schema, another clone's
 * or another machine's (its `owner`, sealed with this machine's key over the project's folder,
 * differs), it is made again (`rebuilt` says why, once); locked or on a disk that cannot be
 * written, the board reads the files. Its name carries a seal of this machine's key over the
 * project's folder, like the search index's; it is 0600 in a 0700 folder ignored by git, and
 * never synced. Only `mpm board` and `team_work` open it: SessionStart never does.
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import { hmacSha256HexAsync } from "../kernel/hashing/seal.ts";
import { sha256HexAsync } from "../kernel/hashing/checksum.ts";
import { machineKey } from "../disk/machine_key.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { closeQuietly, inTransaction, openCache, removeDatabase } from "../disk/sqlite.ts";
import { ensureDir } from "../disk/files/confine/folders.ts";
import { fileStamp, lstatIfExistsSync } from "../disk/read/stat.ts";
import { readBytesIfExistsSync } from "../disk/read/read.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { ignoredByGit } from "../sessions/store/caches/cache.ts";
import type { SessionEntry } from "../sessions/store/listing/listing.ts";
import { RECORD_READ_BYTES } from "../sessions/store/snapshots/bounded_read.ts";
import type { Fact } from "./board_fact.ts";

/** What parts a kept row's stamp, fact and name (`#load`). */
const SEP = "\u0001";

/** The tables' layout; another is dropped and made again. */
export const FACTS_SCHEMA = 1;

/** How long a write waits for another board's before this one reads the files. */
const BUSY_MS = 1000;

/** How much of the index SQLite maps to read it (a 100-person window's rows are ~10 MB). */
const MAP_BYTES = 64 * 1024 * 1024;

/** A kept fact's JSON larger than this is not kept (a teammate's record is read in part). */
const MAX_FACT_BYTES = 512 * 1024;

const TABLES = `
  CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS facts (sha TEXT PRIMARY KEY, fact TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    sha TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS files_id ON files(id);
`;

/** Why the index was made again: said once. */
export type Rebuilt = "damaged" | "schema" | "owner";

/** What a new fact is kept under. */
interface Learnt {
  name: string;
  id: string;
  stamp: string;
  sha: string;
  fact: string;
}

/** The file's name within `.claude-mpm/` (`sessions/<id>.json`): the index's key for it. */
export function nameOf(paths: ProjectPaths, entry: SessionEntry): string {
  return entry.file.startsWith(`${paths.base}/`)
    ? entry.file.slice(paths.base.length + 1)
    : entry.file;
}

/**
 * What changes when a record's file or its checksum changes: size, times, inode of each; null
 * for one that is not a plain file (a link is read the slow way, and refused there).
 */
export function stampOf(entry: SessionEntry): { stamp: string; size: number } | null {
  const info = lstatIfExistsSync(entry.file);
  if (info === undefined || !info.isFile) return null;
  const sum = entry.format === "json" ? fileStamp(lstatIfExistsSync(`${entry.file}.sha256`)) : "";
  return { stamp: `${entry.format}|${fileStamp(info)}|${sum}`, size: info.size };
}

/** The board's facts index of one project, open. */
export class FactsStore {
  readonly #db: DatabaseSync;
  readonly #paths: ProjectPaths;
  /** What the index holds of the window: each file's stamp, U+0001, and its fact's JSON. */
  readonly #kept = new Map<string, string>();
  readonly #learnt: Learnt[] = [];
  /** Set when the index was made again now: why. */
  readonly rebuilt: Rebuilt | undefined;
  /** Set when it turned out damaged after it opened: it is removed when closed. */
  broken = false;

  constructor(
    db: DatabaseSync,
    paths: ProjectPaths,
    readonly file: string,
    rebuilt: Rebuilt | undefined,
  ) {
    this.#db = db;
    this.#paths = paths;
    this.rebuilt = rebuilt;
  }

  /**
   * Loads what the index holds of the files whose ids are `from` or later (ids sort by their
   * time), and of `others` (files whose names are no id): one query for the board's window.
   */
  prepare(from: string, others: readonly SessionEntry[]): boolean {
    try {
      this.#load(from, others);
      return true;
    } catch {
      // A file SQLite opened but cannot read through: damaged. Dropped when the board is done.
      this.broken = true;
      return false;
    }
  }

  #load(from: string, others: readonly SessionEntry[]): void {
    // One column a row, put together by SQLite: each column of the window's thousands of rows
    // costs the load more than SQLite's own query does. U+0001 parts them: neither a stamp nor
    // a fact's JSON (which escapes control characters) holds one, so the name is what follows
    // the second. (Not NUL: the binding ends a text at its first.)
    const rows = this.#db.prepare(
      "SELECT stamp || char(1) || fact || char(1) || files.name AS row FROM files " +
        "JOIN facts ON facts.sha = files.sha WHERE files.id >= ?",
    ).all(from) as { row: string }[];
    for (const { row } of rows) {
      const end = row.indexOf(SEP, row.indexOf(SEP) + 1);
      if (end > 0) this.#kept.set(row.slice(end + 1), row.slice(0, end));
    }
    const one = this.#db.prepare(
      "SELECT stamp || char(1) || fact AS row FROM files JOIN facts ON facts.sha = files.sha " +
        "WHERE files.name = ?",
    );
    for (const entry of others) {
      const name = nameOf(this.#paths, entry);
      const got = one.get(name) as { row: string } | undefined;
      if (got) this.#kept.set(name, got.row);
    }
  }

  /** The kept facts of `entry` when its file is as it was when they were kept; else undefined. */
  known(entry: SessionEntry, stamp: string): Fact | undefined {
    const row = this.#kept.get(nameOf(this.#paths, entry));
    if (row === undefined || row.charCodeAt(stamp.length) !== 1 || !row.startsWith(stamp)) {
      return undefined;
    }
    return parseFact(row.slice(stamp.length + 1));
  }

  /**
   * The content key of `entry` as its file holds it now: its form, id, bytes and checksum's
   * bytes hashed; a record larger than RECORD_READ_BYTES is known by its stamp (and whether it
   * was read to check its seal, `own`) instead of being read whole.
   */
  async contentKey(
    entry: SessionEntry,
    stamp: string,
    size: number,
    own: boolean,
  ): Promise<string | null> {
    if (size > RECORD_READ_BYTES) return `stamp:${nameOf(this.#paths, entry)}:${stamp}:${own}`;
    let bytes: Uint8Array | undefined;
    let sum: Uint8Array | undefined;
    try {
      bytes = readBytesIfExistsSync(entry.file, RECORD_READ_BYTES);
      // Not through a link: a checksum that is one is read (and refused) the slow way.
      sum = entry.format === "json" && lstatIfExistsSync(`${entry.file}.sha256`)?.isFile
        ? readBytesIfExistsSync(`${entry.file}.sha256`, 4096)
        : undefined;
    } catch {
      return null;
    }
    if (bytes === undefined) return null;
    const head = new TextEncoder().encode(`${entry.format}\0${entry.id}\0${bytes.length}\0`);
    const all = new Uint8Array(head.length + bytes.length + 1 + (sum?.length ?? 0));
    all.set(head);
    all.set(bytes, head.length);
    all[head.length + bytes.length] = sum === undefined ? 0 : 1;
    if (sum) all.set(sum, head.length + bytes.length + 1);
    return await sha256HexAsync(all);
  }

  /** The facts kept for content `sha`, whichever file held it. */
  byContent(sha: string): Fact | undefined {
    try {
      const row = this.#db.prepare("SELECT fact FROM facts WHERE sha = ?").get(sha) as
        | { fact: string }
        | undefined;
      return row === undefined ? undefined : parseFact(row.fact);
    } catch {
      return undefined;
    }
  }

  /** Keeps `fact` for `entry` (written by `flush`). */
  learn(entry: SessionEntry, stamp: string, sha: string, fact: Fact): void {
    const text = JSON.stringify(fact);
    if (text.length > MAX_FACT_BYTES) return;
    this.#learnt.push({ name: nameOf(this.#paths, entry), id: entry.id, stamp, sha, fact: text });
  }

  /**
   * Writes what was learnt in one transaction, and forgets the files no longer listed (`listed`:
   * the names of every snapshot there is) and the facts no file holds. Best effort: a locked or
   * read-only index keeps what it had, and the next board reads those files again.
   */
  flush(listed: () => Set<string>): void {
    if (this.#learnt.length === 0) return;
    try {
      inTransaction(this.#db, () => {
        const file = this.#db.prepare(
          "INSERT OR REPLACE INTO files(name, id, stamp, sha) VALUES (?, ?, ?, ?)",
        );
        const fact = this.#db.prepare("INSERT OR IGNORE INTO facts(sha, fact) VALUES (?, ?)");
        for (const l of this.#learnt) {
          fact.run(l.sha, l.fact);
          file.run(l.name, l.id, l.stamp, l.sha);
        }
        this.#forget(listed);
      });
    } catch {
      // Locked, read-only or full: kept next time.
    }
    this.#learnt.length = 0;
  }

  /** Forgets the files no snapshot is at any longer, when there are any, and their facts. */
  #forget(listed: () => Set<string>): void {
    const count = (this.#db.prepare("SELECT count(*) AS n FROM files").get() as { n: number }).n;
    const names = listed();
    if (count <= names.size) return;
    const gone = (this.#db.prepare("SELECT name FROM files").all() as { name: string }[])
      .filter((row) => !names.has(`${row.name}`));
    const drop = this.#db.prepare("DELETE FROM files WHERE name = ?");
    for (const row of gone) drop.run(row.name);
    this.#db.exec("DELETE FROM facts WHERE sha NOT IN (SELECT sha FROM files)");
  }

  /** The names `listed` takes: each entry's file within `.claude-mpm/`. */
  names(entries: readonly SessionEntry[]): Set<string> {
    return new Set(entries.map((e) => nameOf(this.#paths, e)));
  }

  /** Closes the index; a broken one is removed, so the next board makes it again. */
  async close(): Promise<void> {
    closeQuietly(this.#db);
    if (this.broken) await removeDatabase(this.#paths.base, this.file);
  }
}

function parseFact(text: string): Fact | undefined {
  try {
    const fact = JSON.parse(text) as Fact;
    return typeof fact === "object" && fact !== null && typeof fact.record === "object"
      ? fact
      : undefined;
  } catch {
    return undefined;
  }
}

/** The index's file and its owner mark for this project on this machine; null without a key. */
async function identity(paths: ProjectPaths): Promise<{ file: string; owner: string } | null> {
  const key = machineKey();
  if (key === null) return null;
  const [tag, owner] = await Promise.all([
    hmacSha256HexAsync(key, `mpm board facts\0${paths.root}`),
    hmacSha256HexAsync(key, `mpm board facts owner\0${paths.root}`),
  ]);
  return { file: join(paths.base, "cache", `board-${tag.slice(0, 16)}.sqlite`), owner };
}

/**
 * The facts index of the project, opened (made when missing, made again when damaged, of
 * another schema or another owner's), or null when it cannot be used now: then the board reads
 * the files. `rebuilt` on the store says why it was made again.
 */
export async function openFacts(paths: ProjectPaths): Promise<FactsStore | null> {
  const id = await identity(paths);
  if (id === null) return null;
  try {
    await ensureDir(join(paths.base, "cache"));
    await ignoredByGit(paths);
    await confine(paths.base, id.file);
  } catch {
    return null;
  }
  const opened = await openCache(paths.base, id.file, {
    schema: FACTS_SCHEMA,
    busyMs: BUSY_MS,
    // Read through a map: a window's rows cost a third less than read a page at a time.
    pragmas: `PRAGMA mmap_size = ${MAP_BYTES};`,
    create: (db) => {
      db.exec(TABLES);
      db.prepare("INSERT OR REPLACE INTO meta(k, v) VALUES ('owner', ?)").run(id.owner);
    },
    check: (db) => {
      const mark = db.prepare("SELECT v FROM meta WHERE k = 'owner'").get() as { v: string };
      if (mark?.v !== id.owner) return "owner";
      db.prepare("SELECT count(*) FROM files WHERE id >= ''").get();
      db.prepare("SELECT count(*) FROM facts WHERE sha = ''").get();
      return null;
    },
  });
  if (opened.db === null) return null;
  return new FactsStore(opened.db, paths, id.file, opened.rebuilt as Rebuilt | undefined);
}
