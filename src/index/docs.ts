/**
 * The snapshots and handoffs in the search index: each file's words (a snapshot's summary, todos
 * and notes; a handoff's sections) with what its source needs to offer them (its time, its
 * session, what reading it in full said of it), kept under its path. A file is read again only
 * when its stamp (its size, times and inode; a handoff's checksum's too) changed, and its words
 * replaced only when its content key (the sha256 of its bytes) changed too: what was read and
 * verified once is not again, and nothing changed on disk is answered from what was read before
 * (a snapshot's checksum file is looked at when a hit of it is to be held: indexed_docs.ts).
 * Files no longer listed leave the index. The files stay the truth.
 */
import type { DatabaseSync } from "node:sqlite";
import { folded } from "../kernel/format/fold.ts";
import { fileStamp, lstatIfExistsSync } from "../disk/read/stat.ts";
import { inTransaction } from "../disk/sqlite.ts";

/** Which source a file is of: each keeps its own rows. */
export type DocSource = "snapshot" | "handoff";

/** One file to be searched, as its source lists it. */
export interface DocFile {
  path: string;
  /** What changes when the file or its checksum changes, or null when it cannot be told. */
  stamp: string | null;
}

/** What reading a file in full said of it: its key, what its source keeps, its words. */
export interface DocRead {
  key: string;
  meta: string;
  /** Its source looks at its meta at every search, matched or not (one it reads from the file). */
  always: boolean;
  texts: [kind: string, text: string][];
}

/** A file as the index holds it now: its meta given when just read, else asked (`docMeta`). */
export interface Doc {
  id: number;
  always: boolean;
  meta?: string;
}

/** A file's own stamp ("-": not there; null: it cannot be looked at). */
function lstamp(path: string): string | null {
  let info: Deno.FileInfo | undefined;
  try {
    info = lstatIfExistsSync(path);
  } catch {
    return null; // read as the files are (and said as they say)
  }
  return fileStamp(info);
}

/**
 * A file's stamp, and its checksum's (`FILE.sha256`) with `checksum`, or null when the file is
 * not there or cannot be looked at.
 */
export function stampOf(path: string, checksum: boolean): string | null {
  const own = lstamp(path);
  if (own === "-" || own === null) return null;
  if (!checksum) return own;
  const sum = lstamp(`${path}.sha256`);
  return sum === null ? null : `${own}/${sum}`;
}

/** A checksum file's stamp, "-" when there is none (null: it cannot be looked at). */
export const checksumStamp = (path: string) => lstamp(`${path}.sha256`);

interface Row {
  id: number;
  path: string;
  stamp: string;
  always: number;
}

/** How many files' rows one transaction writes: a first index of 50,000 is 200 commits. */
const BATCH = 256;

/** Replaces files' rows in one transaction (no await inside: another window takes turns). */
function store(
  db: DatabaseSync,
  source: DocSource,
  reads: { path: string; stamp: string; read: DocRead; out: number }[],
  out: (Doc | null)[],
): void {
  if (reads.length === 0) return;
  inTransaction(db, () => {
    const doc = db.prepare(
      "INSERT INTO doc(src, path, stamp, key, meta, always) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const text = db.prepare("INSERT INTO dtext(doc, k, x) VALUES (?, ?, ?)");
    const words = db.prepare("INSERT INTO dwords(rowid, x) VALUES (?, ?)");
    for (const { path, stamp, read, out: at } of reads) {
      drop(db, path);
      const always = read.always ? 1 : 0;
      const id = Number(doc.run(source, path, stamp, read.key, read.meta, always).lastInsertRowid);
      for (const [kind, x] of read.texts) {
        words.run(text.run(id, kind, x).lastInsertRowid, folded(x));
      }
      out[at] = { id, always: read.always, meta: read.meta };
    }
  });
  reads.length = 0;
}

/** A file's rows gone (inside the caller's transaction). */
function drop(db: DatabaseSync, path: string): void {
  const row = db.prepare("SELECT id FROM doc WHERE path = ?").get(path) as
    | { id: number }
    | undefined;
  if (row === undefined) return;
  db.prepare("DELETE FROM dwords WHERE rowid IN (SELECT id FROM dtext WHERE doc = ?)").run(row.id);
  db.prepare("DELETE FROM dtext WHERE doc = ?").run(row.id);
  db.prepare("DELETE FROM doc WHERE id = ?").run(row.id);
}

/**
 * Every listed file of `source` brought up to date, in the order given: its row when the index
 * holds one for it now, or null when it was not read (`keyOf` said null: gone, unreadable). A
 * changed stamp with the same key keeps the rows (only the stamp is new); a changed key reads
 * the file again (`read`). What was indexed of the source and is no longer listed is removed.
 */
export async function updateDocs(
  db: DatabaseSync,
  source: DocSource,
  files: readonly DocFile[],
  keyOf: (at: number) => Promise<string | null>,
  read: (at: number, key: string) => Promise<DocRead>,
): Promise<(Doc | null)[]> {
  // Read at once, only what tells a file unchanged: a look-up a file costs more.
  const held = new Map<string, Row>();
  const rows = db.prepare("SELECT id, path, stamp, always FROM doc WHERE src = ?").all(source);
  for (const row of rows as unknown as Row[]) held.set(row.path, row);
  const out: (Doc | null)[] = new Array(files.length).fill(null);
  const fresh: { path: string; stamp: string; read: DocRead; out: number }[] = [];
  for (const [at, file] of files.entries()) {
    const row = held.get(file.path);
    held.delete(file.path);
    if (row !== undefined && file.stamp !== null && row.stamp === file.stamp) {
      out[at] = { id: row.id, always: row.always === 1 };
      continue;
    }
    const key = file.stamp === null ? null : await keyOf(at);
    if (key === null) continue;
    const was = row === undefined
      ? undefined
      : db.prepare("SELECT key FROM doc WHERE id = ?").get(row.id) as { key: string } | undefined;
    if (row !== undefined && was?.key === key) {
      db.prepare("UPDATE doc SET stamp = ? WHERE id = ?").run(file.stamp, row.id);
      out[at] = { id: row.id, always: row.always === 1 };
      continue;
    }
    fresh.push({ path: file.path, stamp: file.stamp!, read: await read(at, key), out: at });
    if (fresh.length >= BATCH) store(db, source, fresh, out);
  }
  store(db, source, fresh, out);
  // What is left was indexed and is no longer listed.
  forget(db, [...held.keys()]);
  return out;
}

/** What the source keeps of a file. */
export function docMeta(db: DatabaseSync, id: number): string {
  const row = db.prepare("SELECT meta FROM doc WHERE id = ?").get(id) as
    | { meta: string }
    | undefined;
  return row?.meta ?? "{}";
}

/** What the source keeps of a file, learnt after it was indexed (what its full read said). */
export function setMeta(db: DatabaseSync, id: number, meta: string): void {
  db.prepare("UPDATE doc SET meta = ? WHERE id = ?").run(meta, id);
}

/** Removes the rows of these files. */
function forget(db: DatabaseSync, paths: readonly string[]): void {
  if (paths.length === 0) return;
  inTransaction(db, () => {
    for (const path of paths) drop(db, path);
  });
}

/** One of a file's words that may match: which listed file (its place), its kind and text. */
export interface DocText {
  at: number;
  k: string;
  x: string;
  /** What the source keeps of the file. */
  meta: string;
}

/**
 * The words of `docs` (null: not held, skipped) that may match, in the order listed and each
 * file's own order: every one the phrase is in (exact), or with no phrase every one (the caller
 * tests each). `table` names the connection's own list (one a source).
 */
export function* docTexts(
  db: DatabaseSync,
  table: "snap_live" | "hand_live",
  docs: readonly (Doc | null)[],
  phrase: string | null,
): Generator<DocText> {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} (doc INTEGER PRIMARY KEY, at INTEGER)`);
  db.exec(`DELETE FROM ${table}`);
  // One statement for the whole list: each file's id at its place (null: not held).
  db.prepare(`INSERT OR IGNORE INTO ${table}(doc, at) SELECT value, key FROM json_each(?)
    WHERE value IS NOT NULL`).run(JSON.stringify(docs.map((d) => d?.id ?? null)));
  const sql = phrase === null
    ? `SELECT l.at, t.k, t.x, d.meta FROM ${table} l JOIN dtext t ON t.doc = l.doc
       JOIN doc d ON d.id = l.doc ORDER BY l.at, t.id`
    : `SELECT l.at, t.k, t.x, d.meta FROM dwords w JOIN dtext t ON t.id = w.rowid
       JOIN ${table} l ON l.doc = t.doc JOIN doc d ON d.id = l.doc WHERE dwords MATCH ?
       ORDER BY l.at, t.id`;
  const rows = phrase === null ? db.prepare(sql).iterate() : db.prepare(sql).iterate(phrase);
  for (const row of rows) yield row as unknown as DocText;
}

/** How many files of each source the index holds. */
export function docCounts(db: DatabaseSync): { snapshots: number; handoffs: number } {
  const one = (src: DocSource) =>
    (db.prepare("SELECT count(*) AS n FROM doc WHERE src = ?").get(src) as { n: number }).n;
  return { snapshots: one("snapshot"), handoffs: one("handoff") };
}
