/**
 * Changing what is on disk besides a file's bytes (remove, rename, link, folders, modes, times),
 * so the disk writer stays the one place that changes it. They act on the path given (a last link
 * is not followed): a caller whose path came from outside confines it first.
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { writeAtomic } from "./atomic.ts";
import type { WriteOptions } from "./confine/confine.ts";

const IS_WINDOWS = Deno.build.os === "windows";

/** Removes a file or an empty folder; fails as the system does, when it is missing too. */
// deno-lint-ignore require-await
export async function removeEntry(path: string): Promise<void> {
  Deno.removeSync(path);
}

/** Removes a file or an empty folder if it is there: false when it was not. */
// deno-lint-ignore require-await
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    Deno.removeSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Removes a file or empty folder if it can, saying whether; never fails. For what may stay. */
// deno-lint-ignore require-await
export async function removeQuietly(path: string): Promise<boolean> {
  try {
    Deno.removeSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes each folder that is a folder (not a link to one) with nothing in it, in the order given
 * (the inner first); any other is left, quietly.
 */
export async function removeEmptyFolders(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    try {
      if ((await Deno.lstat(path)).isDirectory) await Deno.remove(path);
    } catch {
      // Not there, not a folder, or not empty: it stays.
    }
  }
}

/** Removes a folder with everything in it; fails as the system does. */
export async function removeTree(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true });
}

/** Renames `from` to `to`, replacing a file there; fails as the system does. */
// deno-lint-ignore require-await
export async function renameEntry(from: string, to: string): Promise<void> {
  Deno.renameSync(from, to);
}

/** Hard-links `from` as `to` unless the name is taken (false); `to` is whole or as it was. */
// deno-lint-ignore require-await
export async function linkIfFree(from: string, to: string): Promise<boolean> {
  try {
    Deno.linkSync(from, to);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/** Makes the folder `dir` (0700; its parent must exist) unless the name is taken: false then. */
export async function claimDir(dir: string): Promise<boolean> {
  try {
    await Deno.mkdir(dir, { mode: 0o700 });
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
}

/**
 * Sets the permission bits of a file or folder; nothing on Windows, which has none. A link there is
 * left as it is (chmod would change what it points to); setModeOf also holds against a swap.
 */
export async function setMode(path: string, mode: number): Promise<void> {
  if (IS_WINDOWS || (await Deno.lstat(path)).isSymlink) return;
  await Deno.chmod(path, mode);
}

/**
 * Sets the permission bits of the file or folder at `path` only while it is one (`kind`): opened
 * without following a last link and without waiting on a FIFO, checked, then changed through that
 * open file, so a link or anything else put in its place meanwhile is left as it is. False when
 * what is there is not a `kind`; nothing on Windows.
 */
export async function setModeOf(
  path: string,
  kind: "file" | "dir",
  mode: number,
): Promise<boolean> {
  if (IS_WINDOWS) return true;
  // Loaded here: node:fs in a module every start loads would cost each start its load.
  const { closeSync, constants, fchmodSync, fstatSync, openSync } = await import("node:fs");
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK |
    (kind === "dir" ? constants.O_DIRECTORY : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch {
    return false;
  }
  try {
    const info = fstatSync(fd);
    if (kind === "dir" ? !info.isDirectory() : !info.isFile()) return false;
    fchmodSync(fd, mode);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Sets a file's or folder's access and modification times. */
export async function setTimes(path: string, atime: Date, mtime: Date): Promise<void> {
  await Deno.utime(path, atime, mtime);
}

/** writeAtomic for a script (a hook), given `mode` before its rename: never seen without it. */
export async function writeExecutable(
  path: string,
  text: string,
  mode: number,
  options: WriteOptions,
): Promise<void> {
  const random = crypto.getRandomValues(new Uint32Array(1))[0];
  const temp = join(dirname(path), `.${basename(path)}.${Deno.pid}.${random}.new`);
  await writeAtomic(temp, text, options);
  try {
    await setMode(temp, mode);
    await Deno.rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
}
