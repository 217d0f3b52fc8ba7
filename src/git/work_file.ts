/**
 * One work-tree path read the way git hashes it: a file's bytes, a symbolic link's target (never
 * followed), nothing for a folder. A checkpoint (sha256 and blob id) and `mpm branch`/`return`'s
 * tree record (blob id) both hash what this reads, so the two cannot disagree about a path.
 */
import { digestHex, digestHexSync, gitBlobBytes } from "../kernel/digest.ts";
import { join } from "../kernel/path.ts";

export type ObjectFormat = "sha1" | "sha256";

/** What is at a path: its bytes as git hashes them, a folder, or nothing. */
export type WorkFile =
  | { kind: "file" | "symlink"; bytes: Uint8Array }
  | { kind: "dir" }
  | { kind: "missing" };

/** Reads `path` under `root` without following a symbolic link; "missing" if it is not there. */
export async function readWorkFile(root: string, path: string): Promise<WorkFile> {
  const full = join(root, path);
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(full);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return { kind: "missing" };
    }
    throw error;
  }
  if (info.isSymlink) {
    return { kind: "symlink", bytes: new TextEncoder().encode(await Deno.readLink(full)) };
  }
  if (!info.isFile) return { kind: "dir" };
  try {
    return { kind: "file", bytes: await Deno.readFile(full) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" }; // removed meanwhile
    throw error;
  }
}

/** git's object id of `bytes` as a blob (what `git hash-object --no-filters` gives). */
export function blobId(format: ObjectFormat, bytes: Uint8Array): string {
  return digestHexSync(format, gitBlobBytes(bytes));
}

/** The same id, by Web Crypto when the file is large (kernel/digest.ts). */
export function blobIdOf(format: ObjectFormat, bytes: Uint8Array): Promise<string> {
  return digestHex(format, gitBlobBytes(bytes));
}
