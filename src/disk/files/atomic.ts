/**
 * How mpm puts bytes on disk: a temp file in the same folder, fsync, rename, fsync of the
 * folder. Files are 0600 and folders 0700. Nothing is written through a symlink that leads
 * out of the `.claude-mpm/` folder.
 *
 * Several files written together (a snapshot's checksum, record, renderings and
 * LATEST-SESSION.txt) can share the steps: `stageAtomic` each (temp written and flushed,
 * concurrently), then `placeStaged` renames them in the order given and flushes each folder
 * once. Every file still appears whole or not at all, and in the order given, to readers and
 * after a crash alike (file systems journal a folder's renames in the order they are made);
 * what goes is a journal wait per file, which `mpm pause` used to make ten times in a row.
 */
import { basename, dirname, join, relative, resolve, sep } from "../../kernel/path.ts";
import { IntegrityError, MpmError } from "../../kernel/errors.ts";
import { startEarly } from "../../kernel/early.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { killStep } from "../../git/run/kill_step.ts";
import { faultPoint } from "./fault_point.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const encoder = new TextEncoder();

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Thrown when a path would leave the folder it must stay in. */
export class UnsafePathError extends MpmError {}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

const STORE = ".claude-mpm";

/*
 * The checks before a write (where a path leads, whether its folder is there and private), the
 * renames, links and removals, and the reads of small files run synchronously: each is one quick
 * system call, which a trip through Deno's thread pool makes many times slower (docs/speed.md).
 * Only the fsyncs, which wait for the disk, and large files go through the pool. The exported
 * functions keep their promises.
 */

/**
 * Where `<project>/.claude-mpm` leads when it is a symbolic link out of the project, else
 * undefined. A cloned repository can commit such a link; followed, it would point mpm's reads
 * and writes at any folder the user can write, so every command refuses it (`refuseLinkedStore`).
 */
// deno-lint-ignore require-await
export async function linkedStoreTarget(project: string): Promise<string | undefined> {
  return linkedStoreTargetSync(project);
}

function linkedStoreTargetSync(project: string): string | undefined {
  const base = join(project, STORE);
  let info: Deno.FileInfo | undefined;
  try {
    info = Deno.lstatSync(base);
  } catch {
    info = undefined;
  }
  if (!info?.isSymlink) return undefined;
  let target: string;
  try {
    target = Deno.realPathSync(base);
  } catch {
    target = resolve(project, Deno.readLinkSync(base));
  }
  return isInside(realPathOr(project), target) ? undefined : target;
}

// deno-lint-ignore require-await
export async function refuseLinkedStore(project: string): Promise<void> {
  refuseLinkedStoreSync(project);
}

function refuseLinkedStoreSync(project: string): void {
  const target = linkedStoreTargetSync(project);
  if (target === undefined) return;
  throw new UnsafePathError(
    `Refusing to use ${
      join(project, STORE)
    }: it is a symbolic link to ${target}, outside the project.`,
    `Remove the link (rm ${join(project, STORE)}; what it points to is kept) and run mpm again.`,
  );
}

/**
 * Resolves symlinks of the deepest existing ancestor of `path` and refuses when the result is
 * outside `root` (itself resolved). Returns the path with its resolved existing prefix.
 * A `root` that is the `.claude-mpm/` folder must not itself lead out of its project.
 */
// deno-lint-ignore require-await
export async function confine(root: string, path: string): Promise<string> {
  return confineSync(root, path);
}

function confineSync(root: string, path: string): string {
  if (basename(root) === STORE) refuseLinkedStoreSync(dirname(root));
  const realRoot = realPathOr(root);
  let existing = resolve(path);
  const rest: string[] = [];
  while (true) {
    let real: string;
    try {
      real = Deno.realPathSync(existing);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      rest.unshift(basename(existing));
      existing = parent;
      continue;
    }
    const full = join(real, ...rest);
    if (!isInside(realRoot, full)) {
      // A link is the reason only when the path, as written, lies inside the folder.
      const written = resolve(path);
      const linked = isInside(resolve(root), written) || isInside(realRoot, written);
      throw new UnsafePathError(
        linked
          ? `Refusing to change ${path}: it leads outside ${root} through a symbolic link.`
          : `Refusing to change ${path}: it lies outside ${root}.`,
        linked
          ? "Remove the link or point it inside the folder."
          : "Nothing was changed there: mpm writes only inside that folder.",
      );
    }
    return full;
  }
}

/**
 * `path` with the links of its deepest existing ancestor resolved, so a root not created yet
 * compares with the resolved paths below it (a macOS /var, a Windows 8.3 or subst'd name).
 */
function realPathOr(path: string): string {
  const rest: string[] = [];
  for (let at = resolve(path);;) {
    try {
      return join(Deno.realPathSync(at), ...rest);
    } catch (error) {
      const parent = dirname(at);
      if (!(error instanceof Deno.errors.NotFound) || parent === at) return resolve(path);
      rest.unshift(basename(at));
      at = parent;
    }
  }
}

/** Creates `dir` and its missing parents with mode 0700. */
// deno-lint-ignore require-await
export async function ensureDir(dir: string): Promise<void> {
  ensureDirSync(dir);
}

function ensureDirSync(dir: string): void {
  try {
    const info = Deno.lstatSync(dir);
    if (info.isDirectory) return;
    if (info.isSymlink) {
      const target = Deno.statSync(dir);
      if (target.isDirectory) return;
    }
    throw new MpmError(`${dir} exists but is not a folder.`, "Move it away and try again.");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  ensureDirSync(dirname(dir));
  try {
    faultPoint(dir, "mkdir");
    Deno.mkdirSync(dir, { mode: DIR_MODE });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  if (!IS_WINDOWS) Deno.chmodSync(dir, DIR_MODE);
}

/**
 * ensureDir, and inside mpm's own folder also narrows a folder someone else made wider (a git
 * clone of committed session files makes them 0755): files are 0600 in 0700 folders.
 */
function ensurePrivateDir(dir: string, root: string): void {
  ensureDirSync(dir);
  if (IS_WINDOWS || basename(root) !== ".claude-mpm") return;
  for (let at = resolve(dir); isInside(resolve(root), at); at = dirname(at)) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.lstatSync(at);
    } catch {
      info = undefined;
    }
    if (info?.isDirectory && info.mode !== null && (info.mode & 0o077) !== 0) {
      try {
        Deno.chmodSync(at, DIR_MODE);
      } catch {
        // Not ours to narrow (another owner): the files inside are still 0600.
      }
    }
    if (at === resolve(root)) break;
  }
}

function tempName(path: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  return join(dirname(path), `.${basename(path)}.${Deno.pid}.${random}.tmp`);
}

async function syncDir(dir: string): Promise<void> {
  if (IS_WINDOWS) return;
  try {
    using handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic there.
  }
}

async function writeTemp(path: string, data: Uint8Array): Promise<string> {
  const { temp, flushed } = writeTempUnflushed(path, data);
  await flushed;
  return temp;
}

/**
 * writeTemp whose fsync is still under way when it returns: `flushed` settles when the bytes are
 * on disk (and the mode is set). The caller does other work meanwhile, and awaits it.
 */
function writeTempUnflushed(
  path: string,
  data: Uint8Array,
): { temp: string; flushed: Promise<void> } {
  const temp = tempName(path);
  // Opened and written synchronously as well (the bytes go to the page cache: microseconds for
  // mpm's files); only the fsync waits for the disk, and runs in the thread pool.
  const file = Deno.openSync(temp, { write: true, createNew: true, mode: FILE_MODE });
  try {
    faultPoint(temp, "write");
    let written = 0;
    while (written < data.length) written += file.writeSync(data.subarray(written));
  } catch (error) {
    // A full disk, a quota: the half-written temp file goes with the failure.
    file.close();
    dropTemp(temp);
    throw naming(error, temp);
  }
  // Whoever places or drops the file awaits it.
  const flushed = startEarly(async () => {
    try {
      await file.sync();
    } catch (error) {
      throw naming(error, temp);
    } finally {
      file.close();
    }
    if (!IS_WINDOWS) await Deno.chmod(temp, FILE_MODE);
  });
  return { temp, flushed };
}

/**
 * A write's system error, its message naming the file as Deno's errors for an open or a rename
 * do: a write or fsync on a handle names none, and the person is then told which file was not
 * saved. Any other error (mpm's own, the data's) is left as it is.
 */
export function naming(error: unknown, path: string): unknown {
  const system = error instanceof Error && typeof (error as { code?: unknown }).code === "string";
  if (system && !error.message.includes("'")) {
    error.message = `${error.message}: write '${path}'`;
  }
  return error;
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

export interface WriteOptions {
  /** The folder no write may leave (normally `.claude-mpm/`). */
  root: string;
}

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

/**
 * writeAtomic's first half: the checks, then `data` in a temp file beside `path`, its fsync
 * started (`flushed`), so the caller can stage more, or compute, while the disk works.
 * `placeStaged` puts it in place; `discardStaged` drops it.
 */
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

/**
 * Renames staged files into place, in the order given (a reader sees them appear in that
 * order), then flushes each of their folders once (`flush: false`: not yet, a later
 * placeStaged in the same folder does). When a rename fails, the temp files not yet renamed
 * are removed and the error is thrown; those already renamed stay.
 */
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

/**
 * writeAtomic without the fsyncs, for a cache mpm can always do without (SessionStart's record
 * of what it told, `cache/told.json`): still replaced whole by a rename, so a reader never sees
 * half of it, and after a crash it is the old file or the new one, at worst missing. An fsync
 * there would make every SessionStart wait on a busy disk.
 */
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

/**
 * createAtomic for a staged file: puts it in place only if nothing is there yet (a hard link,
 * then the temp name goes). False when the name is taken (the temp file is removed then too).
 * The folder is not flushed: a placeStaged in the same folder afterwards does that.
 */
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

/** Removes a temp file mpm made, if it is still there. */
function dropTemp(temp: string): void {
  try {
    Deno.removeSync(temp);
  } catch {
    // Renamed or linked away already, or never made.
  }
}

/** What writeAtomicStream gathers before each write. */
const STREAM_BUFFER = 1024 * 1024;

function joinPieces(pieces: (string | Uint8Array)[]): string | Uint8Array {
  if (pieces.every((p) => typeof p === "string")) return pieces.join("");
  return concatBytes(pieces.map(toBytes));
}

/**
 * writeAtomic for output too large to hold at once (a replay page of a 200 MB transcript): the
 * pieces go to the temp file as they come, and the file appears whole or not at all. When the
 * pieces fail midway, the temp file is removed and the old file stays.
 */
export async function writeAtomicStream(
  path: string,
  pieces: AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
): Promise<number> {
  return (await streamAtomic(path, pieces, options, false))!;
}

/**
 * writeAtomicStream only if nothing is at `path` yet, as createAtomic: the size written, or
 * undefined (and nothing changed) when the name is taken once the pieces are written.
 */
export async function createAtomicStream(
  path: string,
  pieces: AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
): Promise<number | undefined> {
  return await streamAtomic(path, pieces, options, true);
}

async function streamAtomic(
  path: string,
  pieces: AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
  createOnly: boolean,
): Promise<number | undefined> {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  ensurePrivateDir(dirname(target), options.root);
  const temp = tempName(target);
  let size = 0;
  try {
    {
      using file = await Deno.open(temp, { write: true, createNew: true, mode: FILE_MODE });
      faultPoint(temp, "write");
      // Pieces are often small (one event each): a write per piece costs ten times the time.
      let held: (string | Uint8Array)[] = [];
      let heldLength = 0;
      const flush = async () => {
        const bytes = held.length === 1 ? toBytes(held[0]) : toBytes(joinPieces(held));
        held = [];
        heldLength = 0;
        let written = 0;
        while (written < bytes.length) written += await file.write(bytes.subarray(written));
        size += bytes.length;
      };
      for await (const piece of pieces) {
        held.push(piece);
        heldLength += piece.length;
        if (heldLength >= STREAM_BUFFER) await flush();
      }
      if (held.length > 0) await flush();
      await file.sync();
    }
    if (!IS_WINDOWS) await Deno.chmod(temp, FILE_MODE);
    if (!createOnly) await Deno.rename(temp, target);
    else {
      try {
        await Deno.link(temp, target);
      } catch (error) {
        if (error instanceof Deno.errors.AlreadyExists) return undefined;
        throw error;
      } finally {
        await Deno.remove(temp).catch(() => {});
      }
    }
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw naming(error, temp);
  }
  await syncDir(dirname(target));
  return size;
}

/**
 * Writes `data` to `path` only if nothing is there yet (exclusive create, still atomic: readers
 * never see a half-written file). Returns false when the name is taken.
 */
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

/**
 * createAtomic under the first free name of a series, `nameFor(1)`, `nameFor(2)`… (error records,
 * resume files, backups); returns the path.
 */
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

/**
 * A new file with `bytes`, no fsync. Through a handle, not `Deno.writeFile`: that one loads Deno's
 * web streams on its first call (it also takes a stream), which a hook would pay for one marker.
 */
function writeNew(path: string, bytes: Uint8Array): void {
  faultPoint(path, "open");
  using file = Deno.openSync(path, { write: true, createNew: true, mode: FILE_MODE });
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/**
 * createAtomic for a marker whose loss after a crash costs nothing (a claim that an event already
 * ran): the same exclusive, whole-or-nothing create, without the fsyncs a hook cannot spare.
 */
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

/** lstatIfExists without the thread pool: what is at `path`, or undefined when nothing is. */
export function lstatIfExistsSync(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function refuseSymlink(target: string, shown: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  if (info.isSymlink) {
    throw new UnsafePathError(
      `Refusing to write ${shown}: it is a symbolic link.`,
      "Remove the link; mpm writes only regular files.",
    );
  }
}

/**
 * The file appendLine would open, after its checks: inside the root, no symbolic link, and a
 * regular file or none yet. A command whose work ends with an append checks first (state_store.ts
 * `changeState`), so a refused append never follows a change already made.
 */
export function appendable(path: string, options: WriteOptions): string {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  // Opening a FIFO to append waits for a reader: only a regular file (or none yet) is opened.
  const info = lstatIfExistsSync(target);
  if (info !== undefined && !info.isFile) {
    throw new UnreadableFileError(
      `Refusing to append to ${path}: it is not a regular file.`,
      "Remove it; mpm starts the file again.",
    );
  }
  return target;
}

/**
 * Appends one line (a JSONL record); lines under 4 KiB are written in one append. Whole or not at
 * all: a disk that fills midway (the system writes part of it, then refuses the rest) has the
 * part cut off again, and a file the append made is removed, before the error, naming the file,
 * is thrown.
 */
// deno-lint-ignore require-await
export async function appendLine(
  path: string,
  line: string,
  options: WriteOptions,
): Promise<void> {
  const target = appendable(path, options);
  ensurePrivateDir(dirname(target), options.root);
  faultPoint(target, "open");
  using file = Deno.openSync(target, { append: true, create: true, mode: FILE_MODE });
  const bytes = encoder.encode(line.endsWith("\n") ? line : line + "\n");
  const size = file.statSync().size;
  try {
    faultPoint(target, "write");
    for (let written = 0; written < bytes.length;) {
      const wrote = file.writeSync(bytes.subarray(written));
      if (wrote === 0) {
        throw Object.assign(new Error("No space left on device"), { code: "ENOSPC" });
      }
      written += wrote;
    }
  } catch (error) {
    undoAppend(file, target, size);
    throw naming(error, path);
  }
  killStep("file", target);
}

/** Cuts a failed append off again; an empty file it made is removed. Best effort: it failed. */
function undoAppend(file: Deno.FsFile, target: string, size: number): void {
  try {
    file.truncateSync(size);
    if (size === 0) Deno.removeSync(target);
  } catch {
    // The error thrown already says the file was not saved.
  }
}

/**
 * Appends `pieces` to a file of which only the first `at` bytes are trusted — a log whose length
 * a record kept elsewhere names (the vault's data files, src/vault/). Whatever lies past `at`, an
 * append a crash cut short, is cut off first; a file shorter than `at` is damaged and refused.
 * The bytes are on disk (fsync) when this returns: the caller records the new length after.
 */
export async function appendAt(
  path: string,
  at: number,
  pieces: readonly Uint8Array[],
  options: WriteOptions,
): Promise<number> {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  const info = lstatIfExistsSync(target);
  if (info !== undefined && !info.isFile) {
    throw new UnreadableFileError(`Refusing to append to ${path}: it is not a regular file.`);
  }
  ensurePrivateDir(dirname(target), options.root);
  faultPoint(target, "open");
  using file = await Deno.open(target, { read: true, write: true, create: true, mode: FILE_MODE });
  const { size } = await file.stat();
  if (size < at) {
    throw new IntegrityError(
      `${path} is shorter (${size} bytes) than its record says (${at}).`,
      "Run `mpm doctor` to see the damage.",
    );
  }
  let end = at;
  try {
    if (size > at) await file.truncate(at);
    await file.seek(at, Deno.SeekMode.Start);
    for (const piece of pieces) {
      let written = 0;
      while (written < piece.length) written += await file.write(piece.subarray(written));
      end += piece.length;
    }
    await file.sync();
  } catch (error) {
    // What was written past `at` is cut off by the next append; the person is told which file.
    throw naming(error, path);
  }
  if (!IS_WINDOWS) await Deno.chmod(target, FILE_MODE);
  return end;
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

/**
 * The bytes `[from, from + length)` of a regular file mpm wrote (fewer when it is shorter), or
 * undefined when it does not exist: a part of a file too large to read whole.
 */
export async function readSpan(
  path: string,
  from: number,
  length: number,
): Promise<Uint8Array | undefined> {
  try {
    checkReadable(path, await Deno.stat(path), Infinity);
    using file = await Deno.open(path, { read: true });
    await file.seek(from, Deno.SeekMode.Start);
    const buffer = new Uint8Array(Math.max(0, length));
    let filled = 0;
    while (filled < buffer.length) {
      const read = await file.read(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * The most mpm reads of one file it keeps (a snapshot, the state, an index, a checksum). Its
 * files are kilobytes; a larger one was not written by mpm, and is refused rather than read whole.
 */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

/**
 * Thrown for a file mpm must read that is not a regular file (a FIFO would block the read for
 * ever, a link to a device would never end) or is larger than it reads. Exit 4, like any stored
 * file that fails its checks.
 */
export class UnreadableFileError extends IntegrityError {}

/**
 * Whether `path` may be read: a regular file (a link is followed only to one) of at most `limit`
 * bytes. Checked before the file is opened: opening a FIFO waits for a writer.
 */
function checkReadable(path: string, info: Deno.FileInfo, limit: number): void {
  if (!info.isFile) {
    throw new UnreadableFileError(
      `${path} is not a regular file (a FIFO, a device or a folder), so mpm does not read it.`,
      "Remove it; mpm writes its own files again when it needs them.",
    );
  }
  if (info.size > limit) {
    throw new UnreadableFileError(
      `${path} holds ${info.size} bytes, more than mpm reads of one file (${limit}).`,
      "Move it out of the way; mpm does not write files of that size.",
    );
  }
}

/** Reads at most `limit` bytes from an open file; more is refused (a file that grew, or /proc). */
function boundedBytes(chunks: Uint8Array[], total: number, path: string, limit: number) {
  if (total > limit) {
    throw new UnreadableFileError(
      `${path} holds more than ${limit} bytes, so mpm does not read it.`,
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Files up to this size are read synchronously (see the top of this file), larger in the pool. */
const SMALL_FILE_BYTES = 256 * 1024;

/**
 * A file's bytes, or undefined when it does not exist. Only a regular file of at most `limit`
 * bytes is read; anything else throws UnreadableFileError.
 */
export async function readBytesIfExists(
  path: string,
  limit = MAX_READ_BYTES,
): Promise<Uint8Array | undefined> {
  try {
    const info = Deno.statSync(path);
    checkReadable(path, info, limit);
    if (info.size <= SMALL_FILE_BYTES) return readCheckedSync(path, limit, info.size);
    using file = await Deno.open(path, { read: true });
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buffer = new Uint8Array(Math.min(limit + 1 - total, 1 << 16) || 1);
      const read = await file.read(buffer);
      if (read === null) break;
      chunks.push(buffer.subarray(0, read));
      total += read;
      if (total > limit) break;
    }
    return boundedBytes(chunks, total, path, limit);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** readBytesIfExists without a trip through the thread pool: for small files read in a batch. */
export function readBytesIfExistsSync(
  path: string,
  limit = MAX_READ_BYTES,
): Uint8Array | undefined {
  try {
    const info = Deno.statSync(path);
    checkReadable(path, info, limit);
    return readCheckedSync(path, limit, info.size);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * The bytes of a file found readable (checkReadable) at `size` bytes, read synchronously into one
 * buffer of that size and a byte more (to see its end), grown only if the file grew: a fresh
 * 64 KB buffer per read made `mpm list`'s 42 small files take 12 ms instead of 1.
 */
function readCheckedSync(path: string, limit: number, size: number): Uint8Array {
  using file = Deno.openSync(path, { read: true });
  let buffer = new Uint8Array(Math.min(limit, size) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > limit) break;
      const grown = new Uint8Array(Math.min(limit + 1, buffer.length * 2));
      grown.set(buffer);
      buffer = grown;
    }
    const read = file.readSync(buffer.subarray(total));
    if (read === null) break;
    total += read;
  }
  return boundedBytes([buffer.subarray(0, total)], total, path, limit);
}

const decoder = new TextDecoder();

/** A file as text, or undefined when it does not exist; read as readBytesIfExists reads. */
export async function readTextIfExists(
  path: string,
  limit = MAX_READ_BYTES,
): Promise<string | undefined> {
  const bytes = await readBytesIfExists(path, limit);
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

/** readTextIfExists without a trip through the thread pool: for small files read in a batch. */
export function readTextIfExistsSync(path: string, limit = MAX_READ_BYTES): string | undefined {
  const bytes = readBytesIfExistsSync(path, limit);
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

/**
 * The names of the regular files in `dir`; none when it is missing, not a folder or unreadable
 * (callers look for their own files there, and nothing readable means none of theirs).
 */
// deno-lint-ignore require-await
export async function fileNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) if (entry.isFile) names.push(entry.name);
  } catch {
    // Nothing there to list.
  }
  return names;
}

/** What is at `path` (a link itself, not what it points to), or undefined when nothing is. */
// deno-lint-ignore require-await
export async function lstatIfExists(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (isNothingThere(error)) return undefined;
    throw error;
  }
}

/**
 * What is at `path`, links followed (`lstatQuietly`: not followed), or undefined when nothing is
 * or it cannot be looked at: for checks that treat both alike (a stamp, a folder test).
 */
export function statQuietly(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

export function lstatQuietly(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

export async function exists(path: string): Promise<boolean> {
  return await lstatIfExists(path) !== undefined;
}

/** Nothing at a path: not found, or a file where the path needs a folder (`a.txt/b`). */
function isNothingThere(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory;
}
