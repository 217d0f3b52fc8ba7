/** What mpm's SQLite caches (search index, board facts) share: opening, files, faults. */
import type { DatabaseSync } from "node:sqlite";
import { createAtomic, removeFile } from "./files/atomic.ts";
import { lstatIfExists } from "./read/stat.ts";
import { confine } from "./files/confine/confine.ts";
import { removeEntry } from "./files/entries.ts";
import { dirname } from "../kernel/path.ts";

/** A cache's layout: its version, its tables (made in one transaction), a read of each. */
export interface CacheShape {
  schema: number;
  busyMs: number;
  pragmas: string;
  create: (db: DatabaseSync) => void;
  /** Throws on a damaged table; says why a file that is not this one's is made again. */
  check: (db: DatabaseSync) => string | null;
}

export type CacheOpened =
  | { db: DatabaseSync; fresh: boolean; rebuilt?: string }
  | { db: null; why: string; detail: string };

/**
 * Opens a cache (made when missing): WAL, so one window reads while another writes, and a busy
 * timeout, so two writers take turns. One that is damaged or not this layout is made again.
 */
export async function openCache(base: string, file: string, shape: CacheShape) {
  const first = await tryOpen(base, file, shape);
  if (first.db !== null || first.why === "locked" || first.why === "unwritable") return first;
  await removeDatabase(base, file);
  const again = await tryOpen(base, file, shape);
  return again.db === null ? again : { ...again, rebuilt: first.why };
}

async function tryOpen(base: string, file: string, shape: CacheShape): Promise<CacheOpened> {
  const info = await lstatIfExists(file).catch(() => undefined);
  if (info !== undefined && !info.isFile) {
    return { db: null, why: "damaged", detail: "it is not a regular file" };
  }
  let db: DatabaseSync | null = null;
  try {
    // Made 0600 before SQLite opens it: its WAL and shared memory take the database's mode.
    if (info === undefined) await createAtomic(file, "", { root: base });
    db = new (await import("node:sqlite")).DatabaseSync(file, { timeout: shape.busyMs });
    const { user_version } = db.prepare("PRAGMA user_version").get() as { user_version: number };
    if (user_version !== 0 && user_version !== shape.schema) {
      db.close();
      return { db: null, why: "schema", detail: `schema ${user_version}` };
    }
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; ${shape.pragmas}`);
    if (user_version === 0) {
      inTransaction(db, () => {
        shape.create(db!);
        db!.exec(`PRAGMA user_version = ${shape.schema}`);
      });
    }
    const refused = shape.check(db);
    if (refused === null) return { db, fresh: info === undefined };
    db.close();
    return { db: null, why: refused, detail: refused };
  } catch (error) {
    closeQuietly(db);
    const why = isBusy(error) ? "locked" : isReadOnly(error) ? "unwritable" : "damaged";
    return { db: null, why, detail: faultText(error) };
  }
}

/**
 * Removes a database and its own files beside it, quietly (a damaged cache made again). A link
 * at one of their names is removed itself, never followed: what it points to is kept.
 */
export async function removeDatabase(base: string, file: string): Promise<void> {
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if ((await lstatIfExists(path))?.isSymlink) {
        await confine(base, dirname(path));
        await removeEntry(path);
      } else {
        await removeFile(path, { root: base });
      }
    } catch {
      // Not there, or it cannot be removed: opening it says so.
    }
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
