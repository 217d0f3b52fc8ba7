/**
 * One work-tree path read the way git hashes it: a file's bytes, a symbolic link's target (never
 * followed), nothing for a folder. A checkpoint (sha256 and blob id) and `mpm branch`/`return`'s
 * tree record (blob id) both hash what this reads, so the two cannot disagree about a path.
 */
import { digestHex, digestHexSync, gitBlobBytes } from "../../kernel/hashing/digest.ts";
import { join } from "../../kernel/path.ts";
import { findGitDirs } from "../run/root.ts";
import { runGit } from "../run/run.ts";

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

/** Larger files are hashed as a stream, never held in memory whole. */
export const STREAMED_FROM = 8 * 1024 * 1024;

/** What a path holds, by hash: sha256 of its bytes and, when asked, git's blob id of them. */
export interface WorkFileDigest {
  kind: "file" | "symlink" | "dir" | "missing";
  sha256: string | null;
  blob: string | null;
}

/** Hashes `path` under `root` without following a link; a large file is read in pieces. */
export async function digestWorkFile(
  root: string,
  path: string,
  format?: ObjectFormat,
  withSha256 = true,
): Promise<WorkFileDigest> {
  const full = join(root, path);
  const info = await Deno.lstat(full).catch((error) => {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw error;
  });
  if (info === null) return { kind: "missing", sha256: null, blob: null };
  if (info.isFile && info.size >= STREAMED_FROM) {
    const streamed = await streamDigest(full, info.size, format);
    if (streamed !== null) return { kind: "file", ...streamed };
  }
  const file = await readWorkFile(root, path);
  if (file.kind === "missing" || file.kind === "dir") {
    return { kind: file.kind, sha256: null, blob: null };
  }
  const [sha256, blob] = await Promise.all([
    withSha256 ? digestHex("sha256", file.bytes) : null,
    format ? blobIdOf(format, file.bytes) : null,
  ]);
  return { kind: file.kind, sha256, blob };
}

/** sha256 and the blob id of a large file in one pass; null when it vanished meanwhile. */
async function streamDigest(
  full: string,
  size: number,
  format?: ObjectFormat,
): Promise<{ sha256: string; blob: string | null } | null> {
  // node:crypto hashes incrementally; it is loaded only for files this large.
  const { createHash } = await import("node:crypto");
  const plain = createHash("sha256");
  const blob = format ? createHash(format) : null;
  blob?.update(`blob ${size}\0`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(full, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  // One buffer, read into again and again: nothing is left for the collector to catch up with.
  const buffer = new Uint8Array(1024 * 1024);
  try {
    for (let read = await file.read(buffer); read !== null; read = await file.read(buffer)) {
      const piece = buffer.subarray(0, read);
      plain.update(piece);
      blob?.update(piece);
    }
  } finally {
    file.close();
  }
  return { sha256: plain.digest("hex"), blob: blob?.digest("hex") ?? null };
}

/** git's object id of `bytes` as a blob (what `git hash-object --no-filters` gives). */
export function blobId(format: ObjectFormat, bytes: Uint8Array): string {
  return digestHexSync(format, gitBlobBytes(bytes));
}

/** The same id, by Web Crypto when the file is large (kernel/hashing/digest.ts). */
export function blobIdOf(format: ObjectFormat, bytes: Uint8Array): Promise<string> {
  return digestHex(format, gitBlobBytes(bytes));
}

/** Each repository's object format, asked once per run: a repository never changes it. */
const formats = new Map<string, Promise<ObjectFormat>>();

/** "sha1" or "sha256": the hash a work-tree file's blob id must be computed with. */
export function objectFormat(root: string): Promise<ObjectFormat> {
  let format = formats.get(root);
  if (format === undefined) {
    format = formatFromConfig(root).then((known) => known ?? askGitForFormat(root));
    formats.set(root, format);
  }
  return format;
}

/** The object format the config names (sha1 when none); undefined when git must be asked. */
async function formatFromConfig(root: string): Promise<ObjectFormat | undefined> {
  const dirs = await findGitDirs(root);
  if (!dirs) return undefined;
  const text = await Deno.readTextFile(join(dirs.commonDir, "config")).catch(() => undefined);
  if (text === undefined) return undefined;
  if (!/objectformat/i.test(text)) return "sha1";
  const named = text.match(/^\s*objectformat\s*=\s*(sha1|sha256)\s*$/im);
  return named ? named[1].toLowerCase() as ObjectFormat : undefined;
}

async function askGitForFormat(root: string): Promise<ObjectFormat> {
  const out = await runGit(root, ["rev-parse", "--show-object-format"]);
  return out?.code === 0 && out.stdout.trim() === "sha256" ? "sha256" : "sha1";
}
