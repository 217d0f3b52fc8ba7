/** What mpm's SQLite caches (search index, board facts) share: their files and their faults. */
import type { DatabaseSync } from "node:sqlite";
import { removeFile } from "./files/atomic.ts";

/** Removes a database and its own files beside it, quietly (a damaged cache made again). */
export async function removeDatabase(base: string, file: string): Promise<void> {
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    await removeFile(path, { root: base }).catch(() => {});
  }
}

/** Closes a database, quietly. */
export function closeQuietly(db: DatabaseSync | null): void {
  try {
    db?.close();
  } catch {
    // Closed already.
  }
}

export function faultText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isBusy(error: unknown): boolean {
  return /\b(locked|busy)\b/i.test(faultText(error));
}

export function isReadOnly(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    /readonly|read-only|unable to open|permission denied/i.test(faultText(error));
}

/** Runs `work` in one write transaction: committed whole, or rolled back and the error thrown. */
export function inTransaction(db: DatabaseSync, work: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    work();
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
