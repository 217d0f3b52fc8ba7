/** Atomic writes of output too large to hold at once, piece by piece into the temp file. */
import { dirname } from "../../kernel/path.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { faultPoint } from "./faults/fault_point.ts";
import { confineSync, refuseSymlink, type WriteOptions } from "./confine/confine.ts";
import { ensurePrivateDir, FILE_MODE, IS_WINDOWS, syncDir } from "./confine/folders.ts";
import { dropTemp, flushLater, naming, tempName, toBytes } from "./confine/temp.ts";
import type { Staged } from "./atomic.ts";

/** What writeAtomicStream gathers before each write. */
const STREAM_BUFFER = 1024 * 1024;

function joinPieces(pieces: (string | Uint8Array)[]): string | Uint8Array {
  if (pieces.every((p) => typeof p === "string")) return pieces.join("");
  return concatBytes(pieces.map(toBytes));
}

/** writeAtomic for output too large to hold: the pieces go to the temp file as they come. */
export async function writeAtomicStream(
  path: string,
  pieces: AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
): Promise<number> {
  return (await streamAtomic(path, pieces, options, false))!;
}

/** writeAtomicStream only if nothing is at `path` yet: the size written, or undefined if taken. */
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

/** stageAtomic for a file too large to hold, each piece through `seen`; fsync under way. */
export async function stageAtomicStream(
  path: string,
  pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: WriteOptions,
  seen?: (bytes: Uint8Array) => void,
): Promise<Staged> {
  const target = confineSync(options.root, path);
  refuseSymlink(target, path);
  ensurePrivateDir(dirname(target), options.root);
  const temp = tempName(target);
  const file = Deno.openSync(temp, { write: true, createNew: true, mode: FILE_MODE });
  try {
    faultPoint(temp, "write");
    for await (const piece of pieces) {
      const bytes = toBytes(piece);
      seen?.(bytes);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
    }
  } catch (error) {
    file.close();
    dropTemp(temp);
    throw naming(error, temp);
  }
  return { target, temp, flushed: flushLater(file, temp) };
}
