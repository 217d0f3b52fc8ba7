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

/** The connection's own tables of one search's listed files: a source's each (`snap`, `hand`). */
export type DocList = "snap" | "hand";

/** How many files' rows one transaction writes: a first index of 50,000 is 200 commits. */
const BATCH = 256;

/** How many listed files go to SQLite in one statement (one JSON text of them). */
const LISTED_AT_ONCE = 4096;

/** A file to read whole: its place in the list, path and stamp, and the row it had, if any. */
interface Changed {
  at: number;
  path: string;
  stamp: string;
  id: number | null;
  key: string | null;
}

/** Replaces files' rows in one transaction (no await inside: another window takes turns). */
function store(
  db: DatabaseSync,
  source: DocSource,
  list: DocList,
  reads: { path: string; stamp: string; read: DocRead; at: number }[],
): void {
  if (reads.length === 0) return;
  inTransaction(db, () => {
    const doc = db.prepare(
      "INSERT INTO doc(src, path, stamp, key, meta, always) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const text = db.prepare("INSERT INTO dtext(doc, k, x) VALUES (?, ?, ?)");
    const words = db.prepare("INSERT INTO dwords(rowid, x) VALUES (?, ?)");
    const held = db.prepare(`UPDATE ${list}_files SET doc = ?, always = ? WHERE at = ?`);
    for (const { path, stamp, read, at } of reads) {
      drop(db, path);
      const always = read.always ? 1 : 0;
      const id = Number(doc.run(source, path, stamp, read.key, read.meta, always).lastInsertRowid);
      for (const [kind, x] of read.texts) {
        words.run(text.run(id, kind, x).lastInsertRowid, folded(x));
      }
      held.run(id, always, at);
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
 * `files` as `list`'s table of the connection (`LIST_files`), sent a few thousand at a time (a
 * year's snapshots are never held here whole): each one's place, path and stamp, the row the
 * index has of its path (`was`), and that row again (`doc`) when its stamp is the file's.
 */
function listFiles(
  db: DatabaseSync,
  source: DocSource,
  list: DocList,
  files: Iterable<DocFile>,
): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${list}_files (
    at INTEGER PRIMARY KEY, path TEXT NOT NULL, stamp TEXT, doc INTEGER, always INTEGER,
    was INTEGER)`);
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${list}_live (doc INTEGER PRIMARY KEY, at INTEGER)`);
  db.exec(`DELETE FROM ${list}_files; DELETE FROM ${list}_live`);
  const insert = db.prepare(`INSERT INTO ${list}_files(at, path, stamp, doc, always, was)
    SELECT f.key + ?, f.value ->> 0, f.value ->> 1,
      CASE WHEN d.stamp = f.value ->> 1 THEN d.id END, d.always, d.id
    FROM json_each(?) f LEFT JOIN doc d ON d.path = f.value ->> 0 AND d.src = ?`);
  let chunk: [string, string | null][] = [];
  let at = 0;
  const send = () => {
    if (chunk.length > 0) insert.run(at, JSON.stringify(chunk), source);
    at += chunk.length;
    chunk = [];
  };
  for (const file of files) {
    chunk.push([file.path, file.stamp]);
    if (chunk.length >= LISTED_AT_ONCE) send();
  }
  send();
}

/**
 * Every listed file of `source` brought up to date, in the order given (its place, `at`, is its
 * position): the index holds a row for it now, or it was not read (`keyOf` said null: gone,
 * unreadable; or it has no stamp). A changed stamp with the same key keeps the rows (only the
 * stamp is new); a changed key reads the file again (`read`). What was indexed of the source and
 * is no longer listed is removed. The files are told unchanged by SQLite, against the rows, not
 * one look-up a file from here; `docTexts` then reads `list`'s words.
 */
export async function updateDocs(
  db: DatabaseSync,
  source: DocSource,
  list: DocList,
  files: Iterable<DocFile>,
  keyOf: (at: number, path: string) => Promise<string | null>,
  read: (at: number, path: string, key: string) => Promise<DocRead>,
): Promise<void> {
  listFiles(db, source, list, files);
  const table = `${list}_files`;
  const changed = db.prepare(`SELECT at, path, stamp, was AS id,
    (SELECT key FROM doc WHERE doc.id = was) AS key FROM ${table}
    WHERE doc IS NULL AND stamp IS NOT NULL ORDER BY at`).all() as unknown as Changed[];
  const fresh: { path: string; stamp: string; read: DocRead; at: number }[] = [];
  for (const { at, path, stamp, id, key: was } of changed) {
    const key = await keyOf(at, path);
    if (key === null) continue;
    if (id !== null && was === key) {
      db.prepare("UPDATE doc SET stamp = ? WHERE id = ?").run(stamp, id);
      db.prepare(`UPDATE ${table} SET (doc, always) = (SELECT id, always FROM doc WHERE id = ?)
        WHERE at = ?`).run(id, at);
      continue;
    }
    fresh.push({ path, stamp, read: await read(at, path, key), at });
    if (fresh.length >= BATCH) store(db, source, list, fresh);
  }
  store(db, source, list, fresh);
  // What was indexed and is no longer listed: looked for only when the counts say some is
  // (a source's rows are counted from their own index, made here in an index made before it).
  db.exec("CREATE INDEX IF NOT EXISTS doc_src ON doc(src)");
  const count = (sql: string, ...args: string[]) =>
    (db.prepare(sql).get(...args) as { n: number }).n;
  const rows = count("SELECT count(*) AS n FROM doc WHERE src = ?", source);
  if (rows > count(`SELECT count(*) AS n FROM ${table} WHERE was IS NOT NULL OR doc IS NOT NULL`)) {
    const gone = db.prepare(`SELECT path FROM doc WHERE src = ?
      AND path NOT IN (SELECT path FROM ${table})`).all(source) as unknown as { path: string }[];
    inTransaction(db, () => gone.forEach(({ path }) => drop(db, path)));
  }
  db.exec(`INSERT INTO ${list}_live(doc, at) SELECT doc, at FROM ${table} WHERE doc IS NOT NULL`);
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

/** One listed file to offer: its place, its row (null: not held) and its words that may match. */
export interface DocHit {
  at: number;
  doc: number | null;
  /** What the source keeps of the file (null: not held). */
  meta: string | null;
  texts: [kind: string, text: string][];
}

/**
 * The listed files (`updateDocs`' `list`) to offer, in the order listed, with each one's words
 * that may match in its own order: every one the phrase is in (exact), or with no phrase every
 * one (the caller tests each). A file is given when a word may match, when its source looks at
 * it at every search (`always`), or when it is not held (read from its file).
 */
export function* docTexts(
  db: DatabaseSync,
  list: DocList,
  phrase: string | null,
): Generator<DocHit> {
  const sql = phrase === null
    ? `SELECT l.at, t.doc, t.k, t.x, d.meta FROM ${list}_live l JOIN dtext t ON t.doc = l.doc
       JOIN doc d ON d.id = l.doc ORDER BY l.at, t.id`
    : `SELECT l.at, t.doc, t.k, t.x, d.meta FROM dwords w JOIN dtext t ON t.id = w.rowid
       JOIN ${list}_live l ON l.doc = t.doc JOIN doc d ON d.id = l.doc WHERE dwords MATCH ?
       ORDER BY l.at, t.id`;
  type Row = { at: number; doc: number | null; k: string; x: string; meta: string | null };
  const words =
    (phrase === null ? db.prepare(sql).iterate() : db.prepare(sql).iterate(phrase)) as Iterator<
      Row
    >;
  // The files offered whether a word matches or not, few: those not held, and `always` ones.
  const others = db.prepare(`SELECT at, doc FROM ${list}_files
    WHERE doc IS NULL OR always = 1 ORDER BY at`).iterate() as Iterator<
    { at: number; doc: number | null }
  >;
  let word = words.next();
  let other = others.next();
  while (!word.done || !other.done) {
    const at = word.done ? other.value.at : other.done ? word.value.at : Math.min(
      word.value.at,
      other.value.at,
    );
    const hit: DocHit = { at, doc: null, meta: null, texts: [] };
    if (!other.done && other.value.at === at) {
      hit.doc = other.value.doc;
      other = others.next();
    }
    while (!word.done && word.value.at === at) {
      hit.doc = word.value.doc;
      hit.meta = word.value.meta;
      hit.texts.push([word.value.k, word.value.x]);
      word = words.next();
    }
    if (hit.doc !== null && hit.meta === null) hit.meta = docMeta(db, hit.doc);
    yield hit;
  }
}

/** How many files of each source the index holds. */
export function docCounts(db: DatabaseSync): { snapshots: number; handoffs: number } {
  const one = (src: DocSource) =>
    (db.prepare("SELECT count(*) AS n FROM doc WHERE src = ?").get(src) as { n: number }).n;
  return { snapshots: one("snapshot"), handoffs: one("handoff") };
}
