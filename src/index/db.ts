/**
 * The search index's file: one SQLite database (Deno's built-in `node:sqlite`, FTS5) under
 * `.claude-mpm/cache/`, this machine's and this clone's only. Its name carries a seal of this
 * machine's key over the project's folder (`search-<16 hex>.sqlite`): a copy committed into a
 * repository, or brought from another clone or machine, has another name and is never opened.
 * The folder is ignored by git (`cache/.gitignore`), the file is 0600 in a 0700 folder (SQLite
 * gives its WAL and shared-memory files the database's mode), and it holds only what the vault's
 * redacted files and the snapshots and handoffs in `.claude-mpm/` hold (docs.ts). Like the
 * session store, this is the one place the index touches the disk.
 *
 * It is a cache: missing, damaged, locked, of another schema or on a disk that cannot be
 * written, it is not used (`openIndex` says why), and the files answer.
 */
import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "../kernel/path.ts";
import { hmacSha256HexAsync } from "../kernel/hashing/seal.ts";
import { ensureMachineKey, machineKey } from "../disk/machine_key.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { closeQuietly, faultText, isBusy, openCache, removeDatabase } from "../disk/sqlite.ts";
import { ensureDir } from "../disk/files/confine/folders.ts";
import { lstatIfExists } from "../disk/read/stat.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { ignoredByGit } from "../sessions/store/caches/cache.ts";

/**
 * Deno's SQLite, loaded when the index is first opened: a `node:` module costs a process
 * milliseconds to load, and `mpm mcp` imports search at its start.
 */
async function sqlite(): Promise<typeof DatabaseSync> {
  return (await import("node:sqlite")).DatabaseSync;
}

/** The layout of the tables below; another (older or newer) is dropped and built again. */
export const INDEX_SCHEMA = 2;

/** How long a write waits for another window's before the search answers from the files. */
const BUSY_MS = 3000;

export const TABLES = `
  CREATE TABLE IF NOT EXISTS seg (
    id INTEGER PRIMARY KEY,
    sha TEXT NOT NULL UNIQUE
  );
  CREATE TABLE IF NOT EXISTS rec (
    id INTEGER PRIMARY KEY,
    seg INTEGER NOT NULL,
    t TEXT,
    k TEXT NOT NULL,
    f INTEGER NOT NULL,
    x TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS rec_seg ON rec(seg);
  CREATE TABLE IF NOT EXISTS checked (
    data TEXT PRIMARY KEY,
    stamp TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    x, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
  );
  CREATE TABLE IF NOT EXISTS doc (
    id INTEGER PRIMARY KEY,
    src TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    stamp TEXT NOT NULL,
    key TEXT NOT NULL,
    meta TEXT NOT NULL,
    always INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS doc_src ON doc(src);
  CREATE TABLE IF NOT EXISTS dtext (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    k TEXT NOT NULL,
    x TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dtext_doc ON dtext(doc);
  CREATE VIRTUAL TABLE IF NOT EXISTS dwords USING fts5(
    x, content='', contentless_delete=1, tokenize='trigram case_sensitive 1'
  );
`;

/** Why the index was not used: said once to the person when it is built again. */
export type Unusable = "damaged" | "schema" | "locked" | "unwritable" | "unavailable";

export type Opened = { db: DatabaseSync; file: string; fresh: boolean } | {
  db: null;
  file: string | null;
  why: Unusable;
  detail: string;
};

/** The index's file for this project on this machine, or null without a machine key. */
export async function indexFile(paths: ProjectPaths, make = true): Promise<string | null> {
  const key = make ? await ensureMachineKey() : machineKey();
  if (key === null) return null;
  const tag = (await hmacSha256HexAsync(key, `mpm search index\0${paths.root}`)).slice(0, 16);
  return join(paths.base, "cache", `search-${tag}.sqlite`);
}

/** Removes the index's files (a damaged index, `mpm index --rebuild`). */
export async function removeIndex(paths: ProjectPaths, file: string): Promise<void> {
  await removeDatabase(paths.base, file);
}

/** Opens the index (disk/sqlite.ts openCache); `rebuilt` says why it was made again. */
export async function openIndex(
  paths: ProjectPaths,
): Promise<Opened & { rebuilt?: Unusable }> {
  // No key is made for it: a machine whose vault holds anything has one (its records are sealed).
  const file = await indexFile(paths, false);
  if (file === null) {
    return { db: null, file, why: "unavailable", detail: "this machine has no key for mpm" };
  }
  try {
    await ensureDir(join(paths.base, "cache"));
    await ignoredByGit(paths);
    // The folder, not the file: a link at the file's name is removed and the index made again.
    await confine(paths.base, dirname(file));
  } catch (error) {
    return { db: null, file, why: "unwritable", detail: faultText(error) };
  }
  const opened = await openCache(paths.base, file, {
    schema: INDEX_SCHEMA,
    busyMs: BUSY_MS,
    pragmas: "",
    create: (db) => db.exec(TABLES),
    check: (db) => {
      // A quick look that every table is there and readable.
      db.prepare("SELECT count(*) FROM seg").get();
      db.prepare("SELECT rowid FROM words WHERE words MATCH '\"mpm\"' LIMIT 1").get();
      db.prepare("SELECT rowid FROM dwords WHERE dwords MATCH '\"mpm\"' LIMIT 1").get();
      return null;
    },
  });
  return { ...opened, file } as Opened & { rebuilt?: Unusable };
}

export { closeQuietly as closeIndex };

/** What `mpm doctor` and `mpm index` say of the index, read only (nothing is made or changed). */
export type IndexHealth =
  | { state: "none"; file: string | null }
  | { state: "ok"; file: string; bytes: number }
  | { state: "unusable"; file: string; why: Unusable; detail: string };

export async function inspectIndex(paths: ProjectPaths): Promise<IndexHealth> {
  const file = await indexFile(paths, false);
  if (file === null) return { state: "none", file };
  const info = await lstatIfExists(file).catch(() => undefined);
  if (info === undefined) return { state: "none", file };
  if (!info.isFile) {
    return { state: "unusable", file, why: "damaged", detail: "it is not a regular file" };
  }
  let db: DatabaseSync | null = null;
  try {
    db = new (await sqlite())(file, { readOnly: true, timeout: BUSY_MS });
    const version = (db.prepare("PRAGMA user_version").get() as { user_version: number })
      .user_version;
    if (version !== INDEX_SCHEMA && version !== 0) {
      return { state: "unusable", file, why: "schema", detail: `schema ${version}` };
    }
    const check = db.prepare("PRAGMA quick_check").get() as { quick_check: string };
    if (check.quick_check !== "ok") {
      return { state: "unusable", file, why: "damaged", detail: check.quick_check };
    }
    return { state: "ok", file, bytes: info.size };
  } catch (error) {
    const why: Unusable = isBusy(error) ? "locked" : "damaged";
    return { state: "unusable", file, why, detail: faultText(error) };
  } finally {
    closeQuietly(db);
  }
}

/** The index opened to be read only (`mpm index`'s count), or null. */
export async function openReadOnly(file: string): Promise<DatabaseSync | null> {
  try {
    return new (await sqlite())(file, { readOnly: true, timeout: BUSY_MS });
  } catch {
    return null;
  }
}
