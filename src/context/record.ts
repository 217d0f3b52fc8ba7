/**
 * The context file as a snapshot or checkpoint records it: path, sha256, redacted text. Never
 * fails a pause: a file `mpm context` would refuse is simply not recorded.
 */
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import type { ContextRecord } from "../kernel/snapshot.ts";
import { contextLocation, PARTITIONS_DIR, readContext } from "./files.ts";
import { partitionOfFile } from "./partitions.ts";

/** Past this many characters only the hash is kept: a record is not a copy of a large file. */
export const MAX_RECORDED_CHARS = 64 * 1024;

/** The record of the main context file, or of `partition`; null when there is none to record. */
export async function readContextRecord(
  root: string,
  partition: string | null,
): Promise<ContextRecord | null> {
  try {
    const at = contextLocation(root, partition);
    const read = await readContext(at);
    if (read === undefined) return null;
    return {
      file: at.shown,
      sha256: sha256Hex(new TextEncoder().encode(read.text)),
      // Free text of the record that keeps it: its writer redacts it (`snapshotText`).
      text: read.text.length > MAX_RECORDED_CHARS ? null : read.text,
    };
  } catch {
    return null;
  }
}

/** The partition a record's file is (`.claude/context/NAME.md`), or null for the main file. */
export function partitionOfRecord(record: ContextRecord | null | undefined): string | null {
  const prefix = `${PARTITIONS_DIR}/`;
  if (!record?.file.startsWith(prefix)) return null;
  return partitionOfFile(record.file.slice(prefix.length)) ?? null;
}
