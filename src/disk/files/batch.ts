/**
 * Many files written atomically at once (`mpm sync pull` imports thousands), each folder confined
 * and flushed once. Synchronous but for the fsyncs (Deno's thread pool is several times slower
 * here), which go FSYNC_WINDOW at a time so the file system merges them.
 */
import { basename, dirname, join, resolve } from "../../kernel/path.ts";
import { confine, isInside, UnsafePathError } from "./confine/confine.ts";
import { DIR_MODE, ensureDir, FILE_MODE } from "./confine/folders.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const encoder = new TextEncoder();

/** How many files are fsynced at once. */
const FSYNC_WINDOW = 32;

/**
 * Past this many files in a folder, it is listed once rather than each name looked up — when
 * they are a fair share of it: at most LIST_SHARE_BYTES of the folder's size (an entry takes 20
 * to 60 bytes of it on ext4, tmpfs and btrfs) a file. A pull of 300 into a year's folder of
 * 240,000 entries looks up 300 names, not list 240,000.
 */
const LIST_ABOVE = 200;
const LIST_SHARE_BYTES = 512;

export interface BatchFile {
  path: string;
  data: string | Uint8Array;
  /** Placed first, only if nothing is at `path` yet (else its whole group is left out). */
  exclusive?: boolean;
  /**
   * false: a file mpm can do without after a crash (a rendering never read back), still put in
   * place whole by a rename but not fsynced: half the flushes of an import were these.
   */
  durable?: boolean;
}

export interface BatchOptions {
  /** The folder no write may leave (normally `.claude-mpm/`). */
  root: string;
}

interface Pending {
  file: BatchFile;
  /** The folder, with its links resolved. */
  dir: string;
  /** The target in that folder. */
  target: string;
  temp?: string;
  /** The temp is gone: renamed into place. */
  placed?: boolean;
}

/** ensureDir, narrowing inside `.claude-mpm/` a folder made wider (a clone's 0755). */
async function ensurePrivateDir(dir: string, root: string): Promise<void> {
  await ensureDir(dir);
  if (IS_WINDOWS || basename(root) !== ".claude-mpm") return;
  for (let at = resolve(dir); isInside(resolve(root), at); at = dirname(at)) {
    const info = await Deno.lstat(at).catch(() => undefined);
    if (info?.isDirectory && info.mode !== null && (info.mode & 0o077) !== 0) {
      await Deno.chmod(at, DIR_MODE).catch(() => {});
    }
    if (at === resolve(root)) break;
  }
}

/** Whether files created with mode 0600 come out narrower (a umask like 0277) and need a chmod. */
function umaskNarrowsFiles(): boolean {
  if (IS_WINDOWS) return false;
  try {
    return (Deno.umask() & FILE_MODE) !== 0;
  } catch {
    return true;
  }
}

/** Temp names as atomic.ts makes them (`.NAME.PID.DIGITS.tmp`, which sweep.ts knows). */
function tempNamer(): (target: string) => string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0];
  let count = 0;
  return (target) =>
    join(dirname(target), `.${basename(target)}.${Deno.pid}.${random}${count++}.tmp`);
}

/** Creates `pending`'s temp file and writes its bytes; the caller fsyncs and closes it. */
function openTemp(pending: Pending, temp: string, chmod: boolean): Deno.FsFile {
  const file = Deno.openSync(temp, { write: true, createNew: true, mode: FILE_MODE });
  pending.temp = temp;
  try {
    const data = typeof pending.file.data === "string"
      ? encoder.encode(pending.file.data)
      : pending.file.data;
    let written = 0;
    while (written < data.length) written += file.writeSync(data.subarray(written));
    if (chmod) Deno.chmodSync(temp, FILE_MODE);
  } catch (error) {
    file.close();
    throw error;
  }
  return file;
}

/** Fsyncs the files at once (so the file system can merge the flushes), then closes them. */
async function syncAndClose(files: Deno.FsFile[]): Promise<void> {
  const synced = await Promise.allSettled(files.map((file) => file.sync()));
  for (const file of files) file.close();
  const failed = synced.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * Writes every temp file, a window created while the window before it is fsynced; a file not
 * `durable` is closed unflushed.
 */
async function writeTemps(all: Pending[]): Promise<void> {
  const chmod = umaskNarrowsFiles();
  const tempName = tempNamer();
  const durable = all.filter((p) => p.file.durable !== false);
  for (const pending of all.filter((p) => p.file.durable === false)) {
    openTemp(pending, tempName(pending.target), chmod).close();
  }
  let failure: { error: unknown } | undefined;
  let previous: Promise<void> = Promise.resolve();
  for (let i = 0; i < durable.length && !failure; i += FSYNC_WINDOW) {
    const files: Deno.FsFile[] = [];
    try {
      for (const pending of durable.slice(i, i + FSYNC_WINDOW)) {
        files.push(openTemp(pending, tempName(pending.target), chmod));
      }
    } catch (error) {
      failure = { error };
    }
    const syncing = syncAndClose(files).catch((error) => {
      failure ??= { error };
    });
    await previous;
    previous = syncing;
  }
  await previous;
  if (failure) throw failure.error;
}

function syncDir(dir: string): void {
  if (IS_WINDOWS) return;
  try {
    const handle = Deno.openSync(dir, { read: true });
    try {
      handle.syncSync();
    } finally {
      handle.close();
    }
  } catch {
    // Some file systems cannot fsync a folder; the renames are still atomic there.
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

function isSymlink(path: string): boolean {
  try {
    return Deno.lstatSync(path).isSymlink;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The names in `dir` that are symbolic links. */
function symlinksIn(dir: string): Set<string> {
  const links = new Set<string>();
  for (const entry of Deno.readDirSync(dir)) if (entry.isSymlink) links.add(entry.name);
  return links;
}

/** Refuses to replace a symbolic link, as writeAtomic does (refused, not erased). */
function refuseSymlinks(replaced: Pending[]): void {
  const byDir = Map.groupBy(replaced, (p) => p.dir);
  for (const [dir, pendings] of byDir) {
    const list = pendings.length > LIST_ABOVE &&
      pendings.length * LIST_SHARE_BYTES >= Deno.statSync(dir).size;
    const links = list ? symlinksIn(dir) : undefined;
    for (const pending of pendings) {
      if (links ? links.has(basename(pending.target)) : isSymlink(pending.target)) {
        throw new UnsafePathError(
          `Refusing to write ${pending.file.path}: it is a symbolic link.`,
          "Remove the link; mpm writes only regular files.",
        );
      }
    }
  }
}

/** Puts one group in place; false (and nothing of it left) when an exclusive name is taken. */
function commitGroup(group: Pending[]): boolean {
  const linked: string[] = [];
  for (const pending of group.filter((p) => p.file.exclusive)) {
    try {
      Deno.linkSync(pending.temp!, pending.target);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      for (const path of linked) removeQuietly(path);
      return false;
    }
    linked.push(pending.target);
  }
  for (const pending of group.filter((p) => !p.file.exclusive)) {
    Deno.renameSync(pending.temp!, pending.target);
    pending.placed = true;
  }
  return true;
}

/**
 * Writes each group of files atomically; per group whether it was (false: an exclusive name taken).
 * On failure the placed groups stay, no temp file is left and the error is thrown.
 */
export async function writeBatch(
  groups: BatchFile[][],
  options: BatchOptions,
): Promise<boolean[]> {
  const folders = new Map<string, string>();
  for (const dir of new Set(groups.flat().map((f) => resolve(dirname(f.path))))) {
    const real = await confine(options.root, dir);
    await ensurePrivateDir(real, options.root);
    folders.set(dir, real);
  }
  const pendings = groups.map((group) =>
    group.map((file): Pending => {
      const dir = folders.get(resolve(dirname(file.path)))!;
      return { file, dir, target: join(dir, basename(file.path)) };
    })
  );
  const all = pendings.flat();
  refuseSymlinks(all.filter((p) => !p.file.exclusive));
  const written: boolean[] = [];
  try {
    await writeTemps(all);
    for (const group of pendings) written.push(commitGroup(group));
  } finally {
    // An exclusive file's temp is still there after its link: every unplaced temp goes.
    for (const pending of all) {
      if (pending.temp !== undefined && !pending.placed) removeQuietly(pending.temp);
    }
    if (written.some(Boolean)) { for (const dir of new Set(folders.values())) syncDir(dir); }
  }
  return written;
}
