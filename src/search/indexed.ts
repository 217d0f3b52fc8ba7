/**
 * The transcripts' matches from the search index, a cache: when it cannot be used the files answer.
 */
import type { DatabaseSync } from "node:sqlite";
import { UsageError } from "../kernel/errors.ts";
import { lastActivity, type Manifest } from "../vault/records/manifest.ts";
import { listVault } from "../vault/records/store.ts";
import type { IndexKind } from "../vault/copy/segment.ts";
import { closeIndex, openIndex, removeIndex, type Unusable } from "../index/db.ts";
import { type StreamName, updateIndex } from "../index/update.ts";
import { candidates, type IndexRow, recordText, trigramPhrase } from "../index/query.ts";
import { adopt, counted, keptHits } from "./keep.ts";
import { indexedHandoffHits, indexedSnapshotHits } from "./indexed_docs.ts";
import {
  handoffHits,
  type Hit,
  offer,
  reopen,
  type Scope,
  snapshotHits,
  transcriptHit,
  transcriptHits,
  wanted,
} from "./sources.ts";

/** What the person is told, once, when the index was made again. */
const REBUILT: Partial<Record<Unusable, string>> = {
  damaged: "The search index was damaged; mpm built it again from the vault.",
  schema: "The search index was of another mpm version; mpm built it again from the vault.",
};

/** The ranks of the sources the index answers for (sources.ts RANK). */
const SNAPSHOT_RANK = 0;
const HANDOFF_RANK = 1;
const TRANSCRIPT_RANK = 4;

/** How many records a pattern is tested on at once, and how much of their text at most. */
const BATCH_ROWS = 512;
const BATCH_CHARS = 1 << 20;

/** Whether an error reading the index says its file is damaged (then it is removed). */
const damaged = (error: unknown) => /malformed|not a database|corrupt/i.test(String(error));

/**
 * The hits from the index where it can be used, else from the files, each source held apart.
 * `query`: text every match holds (plain text, or a pattern's required text), or null.
 */
export async function indexedHits(scope: Scope, query: string | null): Promise<void> {
  const opened = await openIndex(scope.paths);
  const db = opened.db;
  if (db !== null && opened.rebuilt && REBUILT[opened.rebuilt]) {
    scope.notes.push(REBUILT[opened.rebuilt]!);
  }
  const phrase = query === null ? null : trigramPhrase(query);
  let broken = false;
  const apart = (): Scope => ({ ...scope, notes: [], kept: keptHits<Hit>(scope.kept.limit) });
  const from = async (
    rank: number,
    indexed: (local: Scope, db: DatabaseSync) => Promise<void>,
    files: (local: Scope) => Promise<void>,
  ) => {
    let local = apart();
    if (db === null || broken) {
      await files(local);
    } else {
      try {
        await indexed(local, db);
      } catch (error) {
        // A pattern refused (too slow) is refused from the files as well.
        if (error instanceof UsageError) throw error;
        if (damaged(error)) broken = true;
        local = apart();
        await files(local);
      }
    }
    scope.notes.push(...local.notes);
    adopt(scope.kept, local.kept, rank);
  };
  try {
    await from(
      SNAPSHOT_RANK,
      (local, db) => indexedSnapshotHits(local, db, phrase),
      snapshotHits,
    );
    await from(HANDOFF_RANK, (local, db) => indexedHandoffHits(local, db, phrase), handoffHits);
    const entries = await listVault(scope.paths);
    await from(
      TRANSCRIPT_RANK,
      (local, db) => fromIndex(local, entries, phrase, db),
      (local) => transcriptHits(local, entries),
    );
  } finally {
    if (db !== null) closeIndex(db);
    if (broken && opened.file !== null) await removeIndex(scope.paths, opened.file);
  }
}

async function fromIndex(
  scope: Scope,
  entries: Awaited<ReturnType<typeof listVault>>,
  phrase: string | null,
  db: DatabaseSync,
): Promise<void> {
  const manifests: Manifest[] = [];
  for (const entry of entries) {
    if (entry.error) scope.notes.push(`${entry.error.message} It was not searched.`);
    else if (!entry.manifest!.dropped) manifests.push(entry.manifest!);
  }
  const names: StreamName[] = scope.tools ? ["talk", "tools"] : ["talk"];
  const streams = await updateIndex(db, scope.paths, { manifests, streams: names });
  const searched = streams.map((s) => {
    const old = scope.since !== null && lastActivity(s.manifest) < scope.since;
    if (s.problem !== null && !old) scope.notes.push(`${s.problem} It was not searched.`);
    return old ? { ...s, segments: null } : s;
  });
  const opens = new Map<Manifest, string | null>();
  const exact = scope.matcher.needle !== null;
  // A pattern is tested on a batch of records at once (match.ts findEach), in their order.
  const batch: { row: IndexRow; text: string }[] = [];
  let chars = 0;
  const flush = async () => {
    const matches = scope.matcher.findEach(batch.map((b) => b.text));
    for (const [k, { row, text }] of batch.entries()) {
      const match = matches[k];
      if (match === null) continue;
      const m = searched[row.stream].manifest;
      if (!opens.has(m) && wanted(scope, "transcript", row.t)) opens.set(m, await reopen(scope, m));
      offer(
        scope,
        transcriptHit(
          m,
          { t: row.t, k: row.k as IndexKind, f: row.f, x: text },
          match,
          opens.get(m) ?? null,
        ),
      );
    }
    batch.length = 0;
    chars = 0;
  };
  for (const row of candidates(db, searched, phrase, scope.since)) {
    // Found by plain text's phrase: a match whether or not it is held; counted unread when it is
    // not. A pattern's required text only narrows: each is tested.
    if (row.x === undefined && exact && !wanted(scope, "transcript", row.t)) {
      counted(scope.kept, TRANSCRIPT_RANK);
      continue;
    }
    const text = row.x ?? recordText(db, row.id);
    batch.push({ row, text });
    chars += text.length;
    if (exact || batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
  }
  await flush();
}
