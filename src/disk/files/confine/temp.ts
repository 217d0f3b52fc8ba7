/**
 * The temp file beside a target that every atomic write starts with: written, flushed (fsync)
 * and given its mode before it is renamed or linked into place, or dropped.
 */
import { basename, dirname, join } from "../../../kernel/path.ts";
import { startEarly } from "../../../kernel/early.ts";
import { faultPoint } from "../faults/fault_point.ts";
import { FILE_MODE, IS_WINDOWS } from "./folders.ts";

const encoder = new TextEncoder();

export function tempName(path: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2)).join("");
  return join(dirname(path), `.${basename(path)}.${Deno.pid}.${random}.tmp`);
}

export async function writeTemp(path: string, data: Uint8Array): Promise<string> {
  const { temp, flushed } = writeTempUnflushed(path, data);
  await flushed;
  return temp;
}

/** writeTemp whose fsync is under way on return: `flushed` settles when the bytes are on disk. */
export function writeTempUnflushed(
  path: string,
  data: Uint8Array,
): { temp: string; flushed: Promise<void> } {
  const temp = tempName(path);
  // Opened and written synchronously (page cache: microseconds); only the fsync uses the pool.
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
  return { temp, flushed: flushLater(file, temp) };
}

/** Removes a temp file mpm made, if it is still there. */
/** A written temp file's fsync, close and mode, under way: whoever places or drops it awaits it. */
export function flushLater(file: Deno.FsFile, temp: string): Promise<void> {
  return startEarly(async () => {
    try {
      await file.sync();
    } catch (error) {
      throw naming(error, temp);
    } finally {
      file.close();
    }
    if (!IS_WINDOWS) await Deno.chmod(temp, FILE_MODE);
  });
}

export function dropTemp(temp: string): void {
  try {
    Deno.removeSync(temp);
  } catch {
    // Renamed or linked away already, or never made.
  }
}

/** A write's system error with its message naming the file; any other error as it is. */
export function naming(error: unknown, path: string): unknown {
  const system = error instanceof Error && typeof (error as { code?: unknown }).code === "string";
  if (system && !error.message.includes("'")) {
    error.message = `${error.message}: write '${path}'`;
  }
  return error;
}

export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** A new file with `bytes`, no fsync, through a handle (`Deno.writeFile` loads web streams). */
export function writeNew(path: string, bytes: Uint8Array): void {
  faultPoint(path, "open");
  using file = Deno.openSync(path, { write: true, createNew: true, mode: FILE_MODE });
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}
