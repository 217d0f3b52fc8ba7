/**
 * Bringing the index up to date with the vault before it answers: every copy's search streams
 * (prompts and answers; tool calls and output when asked) checked against their files, and the
 * segments not indexed yet read once. A segment is known by the sha256 its copy's record gives
 * it, so what was indexed once is not read again, whichever copy holds it. A data file is
 * checked in full (each member against its checksum) only when its size, times or inode changed
 * since it last checked out; what fails is not searched, as a search of the files says. Segments
 * no copy names any longer (a pruned or dropped copy) leave the index: it never holds what the
 * vault no longer does.
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import { folded } from "../kernel/format/fold.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import type { Manifest, Stream } from "../vault/records/manifest.ts";
import { streamText, VaultDamageError, verifyStream } from "../vault/records/store.ts";
import { inTransaction } from "../disk/sqlite.ts";

export type StreamName = "talk" | "tools";

/** One stream of one copy, as the index has it now. */
export interface IndexedStream {
  manifest: Manifest;
  name: StreamName;
  /** The index's ids of its segments, in order; null when it was not searched (`problem`). */
  segments: number[] | null;
  problem: string | null;
}

/** What the index should be up to date with: the copies, and which of their streams. */
export interface Wanted {
  manifests: readonly Manifest[];
  streams: readonly StreamName[];
}

/** What changes a data file's stamp: its size, its times, its inode and its record's segments. */
async function stampOf(path: string, stream: Stream): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return null;
  }
  // The segments are appended to a data file: their count and the last one's digest name them.
  const last = stream.segments[stream.segments.length - 1];
  return [
    info.size,
    info.mtime?.getTime() ?? "",
    info.ctime?.getTime() ?? "",
    info.ino ?? "",
    stream.segments.length,
    last?.sha256 ?? "",
  ].join(":");
}

/** A transcript's index line as the index keeps it, or null for one a search would not read. */
function recordOf(line: string): { t: string | null; k: string; f: number; x: string } | null {
  if (line === "") return null;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof record?.x !== "string") return null;
  return {
    t: typeof record.t === "string" ? record.t : null,
    k: String(record.k),
    f: typeof record.f === "number" && record.f > 0 ? record.f : 0,
    x: record.x,
  };
}

function segmentIds(db: DatabaseSync, stream: Stream): (number | null)[] {
  const find = db.prepare("SELECT id FROM seg WHERE sha = ?");
  return stream.segments.map((s) => {
    const row = find.get(s.sha256) as { id: number } | undefined;
    return row?.id ?? null;
  });
}

/** Indexes one segment's text in one transaction; another window may have done it first. */
function indexSegment(db: DatabaseSync, sha: string, text: string): void {
  inTransaction(db, () => {
    const made = db.prepare("INSERT OR IGNORE INTO seg(sha) VALUES (?)").run(sha);
    if (made.changes === 1) {
      const seg = Number(made.lastInsertRowid);
      const rec = db.prepare("INSERT INTO rec(seg, t, k, f, x) VALUES (?, ?, ?, ?, ?)");
      const words = db.prepare("INSERT INTO words(rowid, x) VALUES (?, ?)");
      for (const line of text.split("\n")) {
        const r = recordOf(line);
        if (r === null) continue;
        const id = rec.run(seg, r.t, r.k, r.f, r.x).lastInsertRowid;
        words.run(id, folded(r.x));
      }
    }
  });
}

/**
 * One stream brought up to date: its file checked when it changed, its new segments indexed.
 * Its segments' ids, or why it was not searched.
 */
async function updateStream(
  db: DatabaseSync,
  paths: ProjectPaths,
  manifest: Manifest,
  stream: Stream,
): Promise<{ segments: number[] | null; problem: string | null }> {
  const id = manifest.claude_session_id;
  const stamp = await stampOf(join(paths.vault, stream.data), stream);
  let ids = segmentIds(db, stream);
  const checked = db.prepare("SELECT stamp FROM checked WHERE data = ?").get(stream.data) as
    | { stamp: string }
    | undefined;
  const missing = ids.indexOf(null);
  if (stamp !== null && checked?.stamp === stamp && missing === -1) {
    return { segments: ids as number[], problem: null };
  }
  try {
    if (missing === -1) {
      const problem = await verifyStream(paths, id, stream);
      if (problem !== null) throw new VaultDamageError(problem, "Run `mpm doctor`.");
    } else {
      let at = missing;
      for await (const text of streamText(paths, id, stream, missing)) {
        if (ids[at] === null) indexSegment(db, stream.segments[at].sha256, text);
        at++;
      }
      ids = segmentIds(db, stream);
    }
  } catch (error) {
    if (!(error instanceof VaultDamageError)) throw error;
    db.prepare("DELETE FROM checked WHERE data = ?").run(stream.data);
    return { segments: null, problem: error.message };
  }
  if (stamp !== null) {
    db.prepare("INSERT OR REPLACE INTO checked(data, stamp) VALUES (?, ?)").run(stream.data, stamp);
  }
  return { segments: ids as number[], problem: null };
}

/**
 * Every wanted stream brought up to date, in the copies' order (talk before tools), and the
 * segments no copy names any longer removed.
 */
export async function updateIndex(
  db: DatabaseSync,
  paths: ProjectPaths,
  wanted: Wanted,
): Promise<IndexedStream[]> {
  const out: IndexedStream[] = [];
  for (const manifest of wanted.manifests) {
    for (const name of wanted.streams) {
      const { segments, problem } = await updateStream(db, paths, manifest, manifest.index[name]);
      out.push({ manifest, name, segments, problem });
    }
  }
  forgetUnnamed(db, wanted.manifests);
  return out;
}

/** Removes what no copy names: its records, its words and what was checked of its files. */
export function forgetUnnamed(db: DatabaseSync, manifests: readonly Manifest[]): void {
  const named = new Set<string>();
  const files = new Set<string>();
  for (const m of manifests) {
    for (const stream of [m.index.talk, m.index.tools]) {
      files.add(stream.data);
      for (const s of stream.segments) named.add(s.sha256);
    }
  }
  const dead = (db.prepare("SELECT id, sha FROM seg").all() as { id: number; sha: string }[])
    .filter((row) => !named.has(row.sha)).map((row) => row.id);
  const gone = (db.prepare("SELECT data FROM checked").all() as { data: string }[])
    .filter((row) => !files.has(row.data)).map((row) => row.data);
  if (dead.length === 0 && gone.length === 0) return;
  inTransaction(db, () => {
    const words = db.prepare("DELETE FROM words WHERE rowid IN (SELECT id FROM rec WHERE seg = ?)");
    const recs = db.prepare("DELETE FROM rec WHERE seg = ?");
    const seg = db.prepare("DELETE FROM seg WHERE id = ?");
    for (const id of dead) {
      words.run(id);
      recs.run(id);
      seg.run(id);
    }
    const check = db.prepare("DELETE FROM checked WHERE data = ?");
    for (const data of gone) check.run(data);
  });
}
