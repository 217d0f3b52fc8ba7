/**
 * The snapshots' and handoffs' matches from the search index (src/index/docs.ts): each file's
 * words read and verified once, when its content changes, then found by the index and offered
 * to the same offer as a search of the files (sources.ts), in the same order, so the hits, their
 * ties and the notes are the same. What the index does not hold (a file it could not read, a
 * record a search of the files reads again each time to say why it failed) is read from its file
 * in its place in the order.
 */
import type { DatabaseSync } from "node:sqlite";
import { join } from "../kernel/path.ts";
import { MpmError } from "../kernel/errors.ts";
import { sha256HexAsync } from "../kernel/hashing/checksum.ts";
import { machineKey } from "../disk/machine_key.ts";
import type { SessionEntry } from "../sessions/store/listing/listing.ts";
import { loadSnapshot, readStoredSync } from "../sessions/store/snapshots/read_snapshot.ts";
import {
  handoffIds,
  handoffsDir,
  readJudged,
  sortTime,
} from "../sessions/store/state/claude_store.ts";
import {
  type Doc,
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

/**
 * A file's content key: the sha256 of its bytes and of its checksum's, or null when either
 * cannot be read as a search of the files would read it (then the files answer for it).
 */
async function contentKey(path: string): Promise<string | null> {
  try {
    const bytes = readStoredSync(path, path);
    if (bytes === undefined) return null;
    const sum = readStoredSync(`${path}.sha256`, path);
    return `${await sha256HexAsync(bytes)}:${sum === undefined ? "-" : await sha256HexAsync(sum)}`;
  } catch (error) {
    if (!(error instanceof MpmError) && !(error instanceof Deno.errors.PermissionDenied)) {
      throw error;
    }
    return null;
  }
}

/**
 * What a snapshot's meta says: `raw`, an mpm record whose words are taken as they are and
 * whose full read said `v` (absent until a hit of it is to be held: then it is read in full
 * once, as a search of the files would, and what it said kept); `loaded`, another layout, read in full (it passed); `file`, one
 * whose full read fails, read from its file each time, as a search of the files would.
 */
interface SnapshotMeta {
  c: "raw" | "loaded" | "file";
  t: string | null;
  l: string;
  s: string | null;
  v?: string | null;
}

type Loose = Record<string, unknown>;

const decoder = new TextDecoder();

/** Reads one snapshot in full: its words, and what reading it in full says of it. */
async function readSnapshotDoc(scope: Scope, entry: SessionEntry, key: string): Promise<DocRead> {
  let raw: Loose | undefined;
  try {
    const parsed: unknown = JSON.parse(decoder.decode(readStoredSync(entry.file, entry.file)));
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      raw = parsed as Loose;
    }
  } catch {
    raw = undefined;
  }
  let c: SnapshotMeta["c"] = "raw";
  if (entry.format !== "json" || typeof raw?.schema_version !== "number") {
    try {
      raw = await loadSnapshot(scope.paths, entry) as unknown as Loose;
      c = "loaded";
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      const meta: SnapshotMeta = { c: "file", t: null, l: entry.id, s: null, v: null };
      return { key, meta: JSON.stringify(meta), texts: [] };
    }
  }
  const { head, texts } = snapshotWords(raw!, entry);
  const meta: SnapshotMeta = { c, t: head.pausedAt, l: head.line, s: head.claude };
  if (c === "loaded") meta.v = null;
  return { key, meta: JSON.stringify(meta), texts };
}

/**
 * The words of the listed files that may match, file by file in the order listed: a generator
 * of each file's place and its words (empty for a file the index does not hold).
 */
function* byFile(
  db: DatabaseSync,
  table: "snap_live" | "hand_live",
  docs: readonly (Doc | null)[],
  phrase: string | null,
): Generator<[number, [string, string][]]> {
  const rows = docTexts(db, table, docs, phrase);
  let next = rows.next();
  for (let at = 0; at < docs.length; at++) {
    const texts: [string, string][] = [];
    while (!next.done && next.value.at === at) {
      texts.push([next.value.k, next.value.x]);
      next = rows.next();
    }
    yield [at, texts];
  }
}

/** The snapshots' hits from the index (`phrase`: the trigram phrase, or null to test all). */
export async function indexedSnapshotHits(
  scope: Scope,
  db: DatabaseSync,
  phrase: string | null,
): Promise<void> {
  const entries = await searchedSnapshots(scope.paths);
  const files: DocFile[] = entries.map((e) => ({ path: e.file, stamp: stampOf(e.file) }));
  const docs = await updateDocs(
    db,
    "snapshot",
    files,
    (at) => contentKey(files[at].path),
    (at, key) => readSnapshotDoc(scope, entries[at], key),
  );
  const seen = new Set<string>();
  for (const [at, texts] of byFile(db, "snap_live", docs, phrase)) {
    const entry = entries[at];
    const meta = docs[at] === null ? null : JSON.parse(docs[at]!.meta) as SnapshotMeta;
    if (meta === null || meta.c === "file") {
      await scanSnapshot(scope, entry, seen);
      continue;
    }
    if (scope.since !== null && (meta.t === null || meta.t < scope.since)) continue;
    const head = { pausedAt: meta.t, line: meta.l, claude: meta.s };
    const doc = docs[at]!;
    await offerSnapshot(scope, entry, head, texts, seen, async () => {
      if (meta.v !== undefined) return meta.v;
      meta.v = await snapshotVerdict(scope.paths, entry);
      setMeta(db, doc.id, JSON.stringify(meta));
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
    return { key, meta: JSON.stringify(meta), texts: handoffTexts(record) };
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    const meta: HandoffMeta = {
      e: handoffProblem(error),
      own: false,
      machine: null,
      line: null,
      s: null,
    };
    return { key, meta: JSON.stringify(meta), texts: [] };
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
    return { path, stamp: stampOf(path) };
  });
  const docs = await updateDocs(
    db,
    "handoff",
    files,
    (at) => contentKey(files[at].path),
    (at, key) => readHandoffDoc(scope, listed[at].id, key),
  );
  for (const [at, texts] of byFile(db, "hand_live", docs, phrase)) {
    const { id, time } = listed[at];
    let meta: HandoffMeta;
    if (docs[at] === null) {
      const read = await readHandoffDoc(scope, id, "");
      meta = JSON.parse(read.meta);
      texts.push(...read.texts);
    } else {
      meta = JSON.parse(docs[at]!.meta);
    }
    if (meta.e !== null) {
      scope.notes.push(meta.e);
      continue;
    }
    const record = { machine: meta.machine, line: meta.line, claude_session_id: meta.s };
    offerHandoff(scope, handoffHead(id, record, meta.own, time), texts);
  }
}
