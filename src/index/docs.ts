/**
 * The snapshots and handoffs in the search index: each file's words (a snapshot's summary, todos
 * and notes; a handoff's sections) with what its source needs to offer them (its time, its
 * session, what reading it in full said of it), kept under its path. A file is read again only
 * when its stamp (its own and its checksum's size, times and inode) changed, and verified again
 * only when its content key (the sha256 of its bytes and of its checksum's) changed too: what
 * was verified once is not verified again, and nothing changed on disk is answered from what was
 * read before. Files no longer listed leave the index. The files stay the truth: the index only
 * remembers what reading them said.
 */
import type { DatabaseSync } from "node:sqlite";
import { folded } from "../kernel/format/fold.ts";
import { lstatIfExistsSync } from "../disk/read/stat.ts";

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
  texts: [kind: string, text: string][];
}

/** A file as the index holds it now. */
export interface Doc {
  id: number;
  meta: string;
}

/** A file's stamp and its checksum's (`FILE.sha256`), or null when the file is not there. */
export function stampOf(path: string): string | null {
  const one = (p: string) => {
    let info: Deno.FileInfo | undefined;
    try {
      info = lstatIfExistsSync(p);
    } catch {
      return "?"; // not to be looked at: read as the files are (and said as they say)
    }
    return info === undefined ? "-" : [
      info.isFile ? "f" : info.isSymlink ? "l" : "o",
      info.size,
      info.mtime?.getTime() ?? "",
      info.ctime?.getTime() ?? "",
      info.ino ?? "",
    ].join(":");
  };
  const own = one(path);
  const sum = one(`${path}.sha256`);
  return own === "-" || own === "?" || sum === "?" ? null : `${own}/${sum}`;
}

interface Row {
  id: number;
  stamp: string;
  key: string;
  meta: string;
}

/** Replaces a file's rows in one transaction (no await inside: another window takes turns). */
function store(db: DatabaseSync, source: DocSource, path: string, stamp: string, read: DocRead) {
  db.exec("BEGIN IMMEDIATE");
  try {
    drop(db, path);
    const id = Number(
      db.prepare("INSERT INTO doc(src, path, stamp, key, meta) VALUES (?, ?, ?, ?, ?)")
        .run(source, path, stamp, read.key, read.meta).lastInsertRowid,
    );
    const text = db.prepare("INSERT INTO dtext(doc, k, x) VALUES (?, ?, ?)");
    const words = db.prepare("INSERT INTO dwords(rowid, x) VALUES (?, ?)");
    for (const [kind, x] of read.texts) {
      words.run(text.run(id, kind, x).lastInsertRowid, folded(x));
    }
    db.exec("COMMIT");
    return id;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
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
  const find = db.prepare("SELECT id, stamp, key, meta FROM doc WHERE path = ? AND src = ?");
  const out: (Doc | null)[] = [];
  for (const [at, file] of files.entries()) {
    const row = find.get(file.path, source) as Row | undefined;
    if (row !== undefined && file.stamp !== null && row.stamp === file.stamp) {
      out.push({ id: row.id, meta: row.meta });
      continue;
    }
    const key = file.stamp === null ? null : await keyOf(at);
    if (key === null) {
      out.push(null);
      continue;
    }
    if (row !== undefined && row.key === key) {
      db.prepare("UPDATE doc SET stamp = ? WHERE id = ?").run(file.stamp, row.id);
      out.push({ id: row.id, meta: row.meta });
      continue;
    }
    const fresh = await read(at, key);
    out.push({ id: store(db, source, file.path, file.stamp!, fresh), meta: fresh.meta });
  }
  forgetUnlisted(db, source, files);
  return out;
}

/** What the source keeps of a file, learnt after it was indexed (what its full read said). */
export function setMeta(db: DatabaseSync, id: number, meta: string): void {
  db.prepare("UPDATE doc SET meta = ? WHERE id = ?").run(meta, id);
}

/** Removes the rows of the files of `source` that are not listed any longer. */
function forgetUnlisted(db: DatabaseSync, source: DocSource, files: readonly DocFile[]): void {
  const listed = new Set(files.map((f) => f.path));
  const gone = (db.prepare("SELECT path FROM doc WHERE src = ?").all(source) as { path: string }[])
    .map((r) => r.path).filter((p) => !listed.has(p));
  if (gone.length === 0) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const path of gone) drop(db, path);
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** One of a file's words that may match: which listed file (its place), its kind and text. */
export interface DocText {
  at: number;
  k: string;
  x: string;
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
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table} (doc INTEGER, at INTEGER)`);
  db.exec(`DELETE FROM ${table}`);
  const add = db.prepare(`INSERT INTO ${table}(doc, at) VALUES (?, ?)`);
  docs.forEach((d, at) => {
    if (d !== null) add.run(d.id, at);
  });
  const sql = phrase === null
    ? `SELECT l.at, t.k, t.x FROM ${table} l JOIN dtext t ON t.doc = l.doc ORDER BY l.at, t.id`
    : `SELECT l.at, t.k, t.x FROM dwords w JOIN dtext t ON t.id = w.rowid
       JOIN ${table} l ON l.doc = t.doc WHERE dwords MATCH ? ORDER BY l.at, t.id`;
  const rows = phrase === null ? db.prepare(sql).iterate() : db.prepare(sql).iterate(phrase);
  for (const row of rows) yield row as unknown as DocText;
}

/** How many files of each source the index holds. */
export function docCounts(db: DatabaseSync): { snapshots: number; handoffs: number } {
  const one = (src: DocSource) =>
    (db.prepare("SELECT count(*) AS n FROM doc WHERE src = ?").get(src) as { n: number }).n;
  return { snapshots: one("snapshot"), handoffs: one("handoff") };
}
