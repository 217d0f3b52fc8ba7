/** Appends to the logs mpm keeps: a line whole or not at all, or pieces past a trusted length. */
import { dirname } from "../../kernel/path.ts";
import { IntegrityError } from "../../kernel/errors.ts";
import { killStep } from "../../git/run/kill_step.ts";
import { faultPoint } from "./faults/fault_point.ts";
import { confineSync, refuseSymlink, type WriteOptions } from "./confine/confine.ts";
import { ensurePrivateDir, FILE_MODE, IS_WINDOWS } from "./confine/folders.ts";
import { naming } from "./confine/temp.ts";
import { UnreadableFileError } from "../read/read.ts";
import { lstatIfExistsSync } from "../read/stat.ts";

const encoder = new TextEncoder();

/** The file appendLine would open, checked, so a command can check it before it changes. */
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

/** Appends one line whole or not at all (a part written on a full disk is cut off again). */
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
 * Appends `pieces` to a log trusted up to `at` bytes: past it cut off first, shorter refused as
 * damaged. Fsynced on return, so the caller records the new length after.
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
