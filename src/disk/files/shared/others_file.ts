/**
 * Reading a file another program owns and mpm edits in place (`~/.claude.json`) whole, as bytes
 * and text. A refusal only says what is wrong, in a clause for the caller's sentence: unlike mpm's
 * own files, the owner's file is never to be moved.
 */
import { MpmError } from "../../../kernel/errors.ts";

/** The longest file read: V8's longest string; Claude Code's state file can be 100 MB. */
export const OTHERS_FILE_MAX_BYTES = 512 * 1024 * 1024 - 64;

/** Why a file of another program's was not read: `reason` is a clause ("it is a folder"). */
export class OthersFileError extends MpmError {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}.`);
  }
}

export interface OthersText {
  /** The file's bytes, exactly (a byte-order mark kept). */
  bytes: Uint8Array;
  /** The same as text: they encode back to `bytes`. */
  text: string;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The file at `path` as bytes and text, or undefined; not UTF-8 in a regular file within `limit`
 * throws OthersFileError.
 */
export async function readOthersText(
  path: string,
  limit = OTHERS_FILE_MAX_BYTES,
): Promise<OthersText | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new OthersFileError(path, cause(error));
  }
  // Checked before opening: opening a FIFO waits for a writer.
  if (info.isDirectory) throw new OthersFileError(path, "it is a folder, not a file");
  if (!info.isFile) {
    throw new OthersFileError(path, "it is not a regular file (a FIFO, a socket or a device)");
  }
  if (info.size > limit) {
    throw new OthersFileError(
      path,
      `it holds ${info.size} bytes, more than mpm can edit in place (${limit})`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new OthersFileError(path, cause(error));
  }
  if (bytes.length > limit) {
    throw new OthersFileError(path, `it grew past ${limit} bytes while mpm read it`);
  }
  try {
    return { bytes, text: strict.decode(bytes) };
  } catch {
    throw new OthersFileError(path, "it is not UTF-8 text");
  }
}

/** Whether the file at `path` holds exactly `bytes` (undefined: that there is no file). */
export async function holdsBytes(path: string, bytes: Uint8Array | undefined): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return bytes === undefined;
    throw new OthersFileError(path, cause(error));
  }
  using _ = file;
  if (bytes === undefined || (await file.stat()).size !== bytes.length) return false;
  // Compared a piece at a time: a second copy of a 100 MB file is not kept.
  const piece = new Uint8Array(1 << 20);
  for (let at = 0;;) {
    const read = await file.read(piece);
    if (read === null) return at === bytes.length;
    if (at + read > bytes.length) return false;
    for (let i = 0; i < read; i++) if (piece[i] !== bytes[at + i]) return false;
    at += read;
  }
}

function cause(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) {
    return "it cannot be read (permission denied)";
  }
  if (error instanceof Deno.errors.NotADirectory) return "a part of its path is not a folder";
  const message = error instanceof Error ? error.message : String(error);
  return `it cannot be read (${message.split("\n")[0]})`;
}
