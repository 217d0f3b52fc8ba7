/**
 * The index's answer to one search, row by row in the order a search of the files finds them
 * (copy by copy, prompts and answers before tool calls, each segment's lines in order), so the
 * hits held and their ties are the same. Plain text of three characters or more is looked up in
 * the trigram index (the words kept folded as the search folds them: a match of the phrase is a
 * match of the text, no more and no fewer); shorter text and a pattern are tested on every
 * record the copies hold, read from the index instead of decompressed. Rows are read one at a
 * time: memory stays flat whatever matches.
 */
import type { DatabaseSync } from "node:sqlite";
import { folded } from "../kernel/format/fold.ts";
import type { IndexedStream } from "./update.ts";
import type { Stream } from "../vault/records/manifest.ts";

/** One record a search may match: its text only when the caller asks (`text`). */
export interface IndexRow {
  id: number;
  t: string | null;
  k: string;
  f: number;
  /** Which of the streams given (its place in the list). */
  stream: number;
  /** The text, given with every row when there is no phrase (each is tested). */
  x?: string;
}

/** The query as the trigram index reads it: one phrase, or null when it cannot say (too short). */
export function trigramPhrase(query: string): string | null {
  const words = folded(query);
  if ([...words].length < 3 || !words.isWellFormed()) return null;
  return `"${words.replaceAll('"', '""')}"`;
}

/** Fills the connection's own list of the segments to search, in their order. */
function fillLive(db: DatabaseSync, streams: readonly IndexedStream[]): void {
  db.exec("CREATE TEMP TABLE IF NOT EXISTS live (seg INTEGER, ord INTEGER, stream INTEGER)");
  db.exec("DELETE FROM live");
  const add = db.prepare("INSERT INTO live(seg, ord, stream) VALUES (?, ?, ?)");
  let ord = 0;
  streams.forEach((s, k) => {
    for (const seg of s.segments ?? []) add.run(seg, ord++, k);
  });
}

/**
 * The records of `streams` that may match, in the files' order: every one the phrase is in
 * (exact), or with no phrase every one (the caller tests each). Only those at `since` or after
 * when given.
 */
export function* candidates(
  db: DatabaseSync,
  streams: readonly IndexedStream[],
  phrase: string | null,
  since: string | null,
): Generator<IndexRow> {
  fillLive(db, streams);
  const when = since === null ? "" : "AND r.t >= ?";
  const sql = phrase === null
    ? `SELECT r.id, r.t, r.k, r.f, l.stream, r.x FROM live l JOIN rec r ON r.seg = l.seg
       WHERE 1 ${when} ORDER BY l.ord, r.id`
    : `SELECT r.id, r.t, r.k, r.f, l.stream FROM words w JOIN rec r ON r.id = w.rowid
       JOIN live l ON l.seg = r.seg WHERE words MATCH ? ${when} ORDER BY l.ord, r.id`;
  const args = [...(phrase === null ? [] : [phrase]), ...(since === null ? [] : [since])];
  for (const row of db.prepare(sql).iterate(...args)) yield row as unknown as IndexRow;
}

/** A record's text. */
export function recordText(db: DatabaseSync, id: number): string {
  const row = db.prepare("SELECT x FROM rec WHERE id = ?").get(id) as { x: string } | undefined;
  return row?.x ?? "";
}

/** What the index holds: segments, records, and its file's bytes. */
export function indexCounts(db: DatabaseSync): { segments: number; records: number } {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    segments: one("SELECT count(*) AS n FROM seg"),
    records: one("SELECT count(*) AS n FROM rec"),
  };
}

/** How many of `streams` the index holds every segment of. */
export function heldStreams(db: DatabaseSync, streams: readonly Stream[]): number {
  const find = db.prepare("SELECT 1 AS one FROM seg WHERE sha = ?");
  return streams.filter((s) => s.segments.every((seg) => find.get(seg.sha256) !== undefined))
    .length;
}
