/**
 * A snapshot's record (`.json`) as written: sealed with this machine's key (unsealed without
 * one). A record past ONE_PIECE is never held whole: rendered in pieces once for its seal and again
 * as written, the same bytes as `serializeSnapshot`.
 */
import type { Snapshot } from "../../../kernel/snapshot.ts";
import { SEAL_PLACEHOLDER, sealJsonTextAsync } from "../../../kernel/hashing/seal.ts";
import { gathered, jsonPieces } from "../../../kernel/format/json_pieces.ts";
import { yamlPieces, yamlText } from "../../../kernel/format/yaml.ts";
import { HmacSha256, Sha256 } from "../../../kernel/hashing/sha256_stream.ts";
import { checksumLineAsync } from "../../../kernel/hashing/checksum.ts";
import { startEarly } from "../../../kernel/early.ts";
import { stageAtomic, type Staged } from "../../../disk/files/atomic.ts";
import { stageAtomicStream } from "../../../disk/files/stream.ts";

/** Characters of record text above which it is written in pieces. */
export const ONE_PIECE = 1024 * 1024;

/** A sealed record: its text whole, or the pieces it is written in. */
export type SealedRecord =
  | { snapshot: Snapshot; text: string }
  | { snapshot: Snapshot; pieces: () => Iterable<string> };

/** serializeSnapshot's text in pieces of about `size` characters. Pure. */
export function recordPieces(snapshot: Snapshot, size = ONE_PIECE): Iterable<string> {
  return gathered(
    (function* () {
      yield* jsonPieces(snapshot);
      yield "\n";
    })(),
    size,
  );
}

/** The snapshot sealed with `key` (or not, without one), and its record. */
export async function sealed(snapshot: Snapshot, key: string | null): Promise<SealedRecord> {
  const placeholder = key === null
    ? snapshot
    : { ...snapshot, mpm: { ...snapshot.mpm, seal: SEAL_PLACEHOLDER } };
  const pieces = recordPieces(placeholder)[Symbol.iterator]();
  // There is always a first piece: the record's text is never empty.
  const first = pieces.next().value as string;
  const second = pieces.next();
  if (second.done) {
    // Of usual size: one string, sealed as it always was.
    const text = first;
    if (key === null) return { snapshot, text };
    const { text: sealedText, seal } = await sealJsonTextAsync(text, key);
    return { snapshot: { ...snapshot, mpm: { ...snapshot.mpm, seal } }, text: sealedText };
  }
  if (key === null) return { snapshot, pieces: () => recordPieces(snapshot) };
  // Sealed with the placeholder, then rendered again with the seal: sealJsonText's same bytes.
  const mac = new HmacSha256(key).update(first).update(second.value);
  for (let next = pieces.next(); !next.done; next = pieces.next()) mac.update(next.value);
  const done = { ...snapshot, mpm: { ...snapshot.mpm, seal: mac.hex() } };
  return { snapshot: done, pieces: () => recordPieces(done) };
}

/** The record staged beside its target, and its `.sha256` line for `fileName`. */
export async function stageRecord(
  record: SealedRecord,
  path: string,
  fileName: string,
  root: string,
): Promise<{ staged: Staged; claimLine: Promise<string> }> {
  if ("text" in record) {
    const claimLine = startEarly(() => checksumLineAsync(record.text, fileName));
    return { staged: await stageAtomic(path, record.text, { root }), claimLine };
  }
  const hash = new Sha256();
  const staged = await stageAtomicStream(path, record.pieces(), { root }, (b) => hash.update(b));
  return { staged, claimLine: Promise.resolve(`${hash.hex()}  ${fileName}\n`) };
}

/** The YAML rendering staged: whole for a record of usual size, else in pieces. */
export async function stageYaml(
  record: SealedRecord,
  path: string,
  root: string,
): Promise<Staged> {
  return "text" in record
    ? await stageAtomic(path, yamlText(record.snapshot), { root })
    : await stageAtomicStream(path, gathered(yamlPieces(record.snapshot), ONE_PIECE), { root });
}
