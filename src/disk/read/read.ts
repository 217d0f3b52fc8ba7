/**
 * Reading the files mpm wrote: only a regular file (a FIFO would block the read for ever), and
 * at most what mpm writes of one file. Small files are read synchronously (no thread-pool trip).
 */
import { IntegrityError } from "../../kernel/errors.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";

/** The bytes `[from, from + length)` of a file mpm wrote (fewer if short); undefined if absent. */
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

/** readSpan without a trip through the thread pool, with the file's size then. */
export function readSpanSync(
  path: string,
  from: number,
  length: number,
): { bytes: Uint8Array; size: number } | undefined {
  try {
    using file = Deno.openSync(path, { read: true });
    const info = file.statSync();
    checkReadable(path, info, Infinity);
    file.seekSync(from, Deno.SeekMode.Start);
    const buffer = new Uint8Array(Math.max(0, Math.min(length, info.size - from)));
    let filled = 0;
    while (filled < buffer.length) {
      const read = file.readSync(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return { bytes: buffer.subarray(0, filled), size: info.size };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** The most mpm reads of one file it keeps; a larger one is not mpm's, and is refused. */
export const MAX_READ_BYTES = 32 * 1024 * 1024;

/** Thrown for a file mpm must read that is not a regular file or is too large. Exit 4. */
export class UnreadableFileError extends IntegrityError {}

/** Whether `path` is a regular file of at most `limit` bytes; checked before opening (FIFOs). */
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
  return concatBytes(chunks);
}

/** Files up to this size are read synchronously (see the top of this file), larger in the pool. */
const SMALL_FILE_BYTES = 256 * 1024;

/** A file's bytes, or undefined when it does not exist; else UnreadableFileError. */
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

/** A file's bytes, read into one buffer of `size`, then a byte more to see its end. */
function readCheckedSync(path: string, limit: number, size: number): Uint8Array {
  using file = Deno.openSync(path, { read: true });
  let buffer = new Uint8Array(Math.min(limit, size));
  let total = 0;
  const more = new Uint8Array(1);
  for (;;) {
    if (total === buffer.length) {
      // Full: one byte more says whether the file ends here (it nearly always does).
      const read = file.readSync(more);
      if (read === null || read === 0) break;
      if (total + 1 > limit) return boundedBytes([], total + 1, path, limit);
      const grown = new Uint8Array(Math.min(limit + 1, Math.max(buffer.length * 2, 64)));
      grown.set(buffer);
      grown[total++] = more[0];
      buffer = grown;
      continue;
    }
    const read = file.readSync(buffer.subarray(total));
    if (read === null) break;
    total += read;
  }
  if (total > limit) return boundedBytes([], total, path, limit);
  return total === buffer.length ? buffer : buffer.slice(0, total);
}

/** Frees `bytes` now when they are their whole buffer (else they wait for a full GC). */
export function letGo(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (!(buffer instanceof ArrayBuffer) || buffer.detached) return;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength) return;
  buffer.transfer(0);
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
