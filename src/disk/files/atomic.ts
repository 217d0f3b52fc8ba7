/**
 * How mpm puts bytes on disk: a temp file beside, fsync, rename, fsync of the folder; files 0600,
 * folders 0700, never through a link out of `.claude-mpm/`. `stageAtomic` then `placeStaged` puts
 * files in order with one folder flush, each whole or not at all.
 */
import { dirname, join } from "../../kernel/path.ts";
import { MpmError } from "../../kernel/errors.ts";
import { killStep } from "../../git/run/kill_step.ts";
import { confineSync, refuseSymlink, type WriteOptions } from "./confine/confine.ts";
import { ensurePrivateDir, FILE_MODE, IS_WINDOWS, syncDir } from "./confine/folders.ts";
import {
  dropTemp,
  tempName,
  toBytes,
  writeNew,
  writeTemp,
  writeTempUnflushed,
} from "./confine/temp.ts";

/*
 * The checks before a write (where a path leads, whether its folder is there and private), the
 * renames, links and removals, and the reads of small files run synchronously: each is one quick
 * system call, which a trip through Deno's thread pool makes many times slower (~50-100 µs against a few).
 * Only the fsyncs, which wait for the disk, and large files go through the pool. The exported
 * functions keep their promises.
 */

/** Writes `data` to `path` atomically, replacing what was there. */
export async function writeAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<void> {
  await placeStaged([await stageAtomic(path, data, options)]);
}

/** A file written under a temporary name beside its target: not in place yet. */
export interface Staged {
  readonly target: string;
  readonly temp: string;
  /** Settles once the temp file is on disk (fsync): placing and linking wait for it. */
  readonly flushed: Promise<void>;
}

/** writeAtomic's first half: the checks, then `data` in a temp file, its fsync started. */
// deno-lint-ignore require-await
export async function stageAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<Staged> {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  ensurePrivateDir(dirname(target), options.root);
  return { target, ...writeTempUnflushed(target, toBytes(data)) };
}

/** Renames staged files into place in order, folders flushed once; a failure removes the rest. */
export async function placeStaged(
  staged: readonly Staged[],
  options: { flush?: boolean } = {},
): Promise<void> {
  try {
    await Promise.all(staged.map((file) => file.flushed));
  } catch (error) {
    await discardStaged(staged);
    throw error;
  }
  for (const [i, file] of staged.entries()) {
    try {
      Deno.renameSync(file.temp, file.target);
    } catch (error) {
      await discardStaged(staged.slice(i));
      throw error;
    }
    killStep("file", file.target);
  }
  if (options.flush === false) return;
  const folders = [...new Set(staged.map((file) => dirname(file.target)))];
  await Promise.all(folders.map(syncDir));
}

/** writeAtomic without the fsyncs, for a cache mpm can do without (still replaced whole). */
// deno-lint-ignore require-await
export async function writeCache(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<void> {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  ensurePrivateDir(dirname(target), options.root);
  const temp = tempName(target);
  try {
    writeNew(temp, toBytes(data));
    if (!IS_WINDOWS) Deno.chmodSync(temp, FILE_MODE);
    Deno.renameSync(temp, target);
  } catch (error) {
    dropTemp(temp);
    throw error;
  }
}

/** createAtomic for a staged file: hard-linked only if the name is free (else false); no flush. */
export async function linkStaged(staged: Staged): Promise<boolean> {
  try {
    await staged.flushed;
    Deno.linkSync(staged.temp, staged.target);
    killStep("file", staged.target);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    dropTemp(staged.temp);
  }
}

/** Removes staged temp files (a write given up on), once their fsync has settled. */
export async function discardStaged(staged: readonly Staged[]): Promise<void> {
  await Promise.all(staged.map(async (file) => {
    await file.flushed.catch(() => {});
    dropTemp(file.temp);
  }));
}

/** Writes `data` to `path` atomically only if nothing is there yet; false if the name is taken. */
export async function createAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteOptions,
): Promise<boolean> {
  const target = confineSync(options.root, path);
  ensurePrivateDir(dirname(target), options.root);
  const temp = await writeTemp(target, toBytes(data));
  try {
    Deno.linkSync(temp, target);
    killStep("file", target);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    dropTemp(temp);
    await syncDir(dirname(target));
  }
}

/** Attempts createUnique makes before it gives up. */
const MAX_UNIQUE_ATTEMPTS = 1000;

/** createAtomic under the first free name of `nameFor(1)`, `nameFor(2)`…; returns the path. */
export async function createUnique(
  dir: string,
  nameFor: (attempt: number) => string,
  data: string | Uint8Array,
  root: string,
): Promise<string> {
  for (let attempt = 1; attempt <= MAX_UNIQUE_ATTEMPTS; attempt++) {
    const path = join(dir, nameFor(attempt));
    if (await createAtomic(path, data, { root })) return path;
  }
  throw new MpmError(`Could not find a free file name in ${dir}.`);
}

/** createAtomic for a marker whose loss after a crash costs nothing: exclusive, whole, no fsync. */
// deno-lint-ignore require-await
export async function claimMarker(
  path: string,
  data: string,
  options: WriteOptions,
): Promise<boolean> {
  const target = confineSync(options.root, path);
  ensurePrivateDir(dirname(target), options.root);
  const temp = tempName(target);
  try {
    writeNew(temp, toBytes(data));
    Deno.linkSync(temp, target);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    dropTemp(temp);
  }
}

/** Removes a file mpm wrote, if it is there, never through a link that leaves `root`. */
// deno-lint-ignore require-await
export async function removeFile(path: string, options: WriteOptions): Promise<boolean> {
  const target = confineSync(options.root, path);
  try {
    Deno.removeSync(target);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
