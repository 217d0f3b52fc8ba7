/**
 * The snapshots' and handoffs' matches from the search index, offered exactly as a search of the
 * files would.
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import { MpmError } from "../kernel/errors.ts";
import { jsonRecord } from "../kernel/check.ts";
import { sha256Hex, sha256HexAsync } from "../kernel/hashing/checksum.ts";
import { machineKey } from "../disk/machine_key.ts";
import { newestFirst, type SessionEntry } from "../sessions/store/listing/listing.ts";
import { loadSnapshot, readStoredSync } from "../sessions/store/snapshots/read_snapshot.ts";
import {
  handoffIds,
  handoffsDir,
  readJudged,
  sortTime,
} from "../sessions/store/state/claude_store.ts";
import {
  checksumStamp,
  type DocFile,
  type DocRead,
  docTexts,
  setMeta,
  stampOf,
  updateDocs,
} from "../index/docs.ts";
import {
  handoffHead,
  handoffProblem,
  handoffTexts,
  offerHandoff,
  offerSnapshot,
  scanSnapshot,
  type Scope,
  searchedSnapshots,
  snapshotVerdict,
  snapshotWords,
} from "./sources.ts";

/** A small file's sha256 here (no thread hop), a large one's by Web Crypto. */
const digest = async (bytes: Uint8Array) =>
  bytes.length < 65_536 ? sha256Hex(bytes) : await sha256HexAsync(bytes);

/** The bytes the last content key was taken of, for the full read that follows it. */
let lastRead: { path: string; bytes: Uint8Array } | null = null;

/** A file's content key, or null when unreadable. */
async function contentKey(path: string, checksum: boolean): Promise<string | null> {
  try {
    const bytes = readStoredSync(path, path);
    if (bytes === undefined) return null;
    lastRead = { path, bytes };
    if (!checksum) return await digest(bytes);
    const sum = readStoredSync(`${path}.sha256`, path);
    return `${await digest(bytes)}:${sum === undefined ? "-" : await digest(sum)}`;
  } catch (error) {
    if (!(error instanceof MpmError) && !(error instanceof Deno.errors.PermissionDenied)) {
      throw error;
    }
    return null;
  }
}

/** The file's bytes: those its key was just taken of. */
function bytesOf(path: string): Uint8Array | undefined {
  const last = lastRead;
  lastRead = null;
  return last?.path === path ? last.bytes : readStoredSync(path, path);
}

/**
 * What a snapshot's meta says: `raw` (an mpm record, `v` its full read's verdict at stamp `cs`),
 * `loaded` (another layout), `file` (read each time).
 */
interface SnapshotMeta {
  c: "raw" | "loaded" | "file";
  t: string | null;
  l: string;
  s: string | null;
  v?: string | null;
  cs?: string | null;
}

type Loose = Record<string, unknown>;

const decoder = new TextDecoder();

/** Reads one snapshot in full: its words, and what reading it in full says of it. */
async function readSnapshotDoc(scope: Scope, entry: SessionEntry, key: string): Promise<DocRead> {
  let raw: Loose | undefined;
  try {
    raw = jsonRecord(decoder.decode(bytesOf(entry.file)));
  } catch {
    raw = undefined;
  }
  let c: SnapshotMeta["c"] = "raw";
  // Taken before the full read: a checksum changed after it is seen as changed.
  const cs = checksumStamp(entry.file);
  if (entry.format !== "json" || typeof raw?.schema_version !== "number") {
    try {
      raw = await loadSnapshot(scope.paths, entry) as unknown as Loose;
      c = "loaded";
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      const meta: SnapshotMeta = { c: "file", t: null, l: entry.id, s: null, v: null };
      return { key, meta: JSON.stringify(meta), always: true, texts: [] };
    }
  }
  const { head, texts } = snapshotWords(raw!, entry);
  const meta: SnapshotMeta = { c, t: head.pausedAt, l: head.line, s: head.claude };
  if (c === "loaded") Object.assign(meta, { v: null, cs });
  return { key, meta: JSON.stringify(meta), always: c === "loaded", texts };
}

/** The snapshots' hits from the index (`phrase`: the trigram phrase, or null to test all). */
export async function indexedSnapshotHits(
  scope: Scope,
  db: DatabaseSync,
  phrase: string | null,
): Promise<void> {
  // Built a page at a time: a year's snapshots are listed to SQLite, not held here.
  const listing = await searchedSnapshots(scope.paths);
  const entryAt = (at: number) => listing.slice(at, at + 1)[0];
  const files = function* () {
    for (const e of newestFirst(listing, 512)) {
      yield { path: e.file, stamp: stampOf(e.file, false) };
    }
  };
  await updateDocs(
    db,
    "snapshot",
    "snap",
    files(),
    (_, path) => contentKey(path, false),
    (at, _, key) => readSnapshotDoc(scope, entryAt(at), key),
  );
  const seen = new Set<string>();
  for (const { at, doc, meta: said, texts } of docTexts(db, "snap", phrase)) {
    const entry = entryAt(at);
    const meta = said === null ? null : JSON.parse(said) as SnapshotMeta;
    // One of another layout whose checksum changed since it was read: read again, from its file.
    if (meta?.c === "loaded" && checksumStamp(entry.file) !== meta.cs) meta.c = "file";
    if (meta === null || meta.c === "file") {
      await scanSnapshot(scope, entry, seen);
      continue;
    }
    if (texts.length === 0 || (scope.since !== null && (meta.t === null || meta.t < scope.since))) {
      continue;
    }
    const head = { pausedAt: meta.t, line: meta.l, claude: meta.s };
    await offerSnapshot(scope, entry, head, texts, seen, async () => {
      const cs = checksumStamp(entry.file);
      if (meta.v !== undefined && cs !== null && meta.cs === cs) return meta.v;
      meta.v = await snapshotVerdict(scope.paths, entry);
      meta.cs = cs;
      setMeta(db, doc!, JSON.stringify(meta));
      return meta.v;
    });
  }
}

/** What a handoff's meta says: why it could not be read (`e`), or whose it is and its line. */
interface HandoffMeta {
  e: string | null;
  own: boolean;
  machine: string | null;
  line: string | null;
  s: string | null;
}

async function readHandoffDoc(scope: Scope, id: string, key: string): Promise<DocRead> {
  try {
    const { record, own } = await readJudged(scope.paths, id, machineKey());
    const meta: HandoffMeta = {
      e: null,
      own,
      machine: record.machine,
      line: record.line,
      s: record.claude_session_id,
    };
    return { key, meta: JSON.stringify(meta), always: false, texts: handoffTexts(record) };
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    const meta: HandoffMeta = {
      e: handoffProblem(error),
      own: false,
      machine: null,
      line: null,
      s: null,
    };
    return { key, meta: JSON.stringify(meta), always: true, texts: [] };
  }
}

/** The handoffs' hits from the index, newest first as `mpm handoff list` lists them. */
export async function indexedHandoffHits(
  scope: Scope,
  db: DatabaseSync,
  phrase: string | null,
): Promise<void> {
  const dir = handoffsDir(scope.paths);
  const listed = await Promise.all(
    (await handoffIds(scope.paths)).map(async (id) => ({
      id,
      time: await sortTime(scope.paths, id),
    })),
  );
  listed.sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : -1));
  const files: DocFile[] = listed.map(({ id }) => {
    const path = join(dir, `${id}.json`);
    return { path, stamp: stampOf(path, true) };
  });
  await updateDocs(
    db,
    "handoff",
    "hand",
    files,
    (_, path) => contentKey(path, true),
    (at, _, key) => readHandoffDoc(scope, listed[at].id, key),
  );
  for (const { at, meta: said, texts } of docTexts(db, "hand", phrase)) {
    const { id, time } = listed[at];
    let meta: HandoffMeta;
    if (said === null) {
      const read = await readHandoffDoc(scope, id, "");
      meta = JSON.parse(read.meta);
      texts.push(...read.texts);
    } else {
      meta = JSON.parse(said);
    }
    if (meta.e !== null) {
      scope.notes.push(meta.e);
      continue;
    }
    const record = { machine: meta.machine, line: meta.line, claude_session_id: meta.s };
    offerHandoff(scope, handoffHead(id, record, meta.own, time), texts);
  }
}
