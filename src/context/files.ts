/**
 * The context files: `.claude/context.md` and partitions `.claude/context/NAME.md`. Often
 * committed, so a link out of the project, a non-file, binary or an oversized file is refused in
 * one sentence before it is read or written; writes are atomic.
 */
import { dirname, join, resolve } from "../kernel/path.ts";
import { errorText, faultError, MpmError, UsageError } from "../kernel/errors.ts";
import { createAtomic, writeAtomic } from "../disk/files/atomic.ts";
import { lstatIfExistsSync } from "../disk/read/stat.ts";
import { isInside, UnsafePathError } from "../disk/files/confine/confine.ts";
import { checkPartitionName, partitionOfFile } from "./partitions.ts";

export const CONTEXT_FILE = ".claude/context.md";
export const PARTITIONS_DIR = ".claude/context";

/** Larger than any context a person keeps by hand; beyond it the file is not read at all. */
export const MAX_CONTEXT_BYTES = 1024 * 1024;

export interface ContextLocation {
  root: string;
  path: string;
  /** The path as shown to people: relative to the project, with `/`. */
  shown: string;
  /** The partition, or null for the main context file. */
  partition: string | null;
}

/** Where the main context file, or partition `name`, lives in `root`. */
export function contextLocation(root: string, partition: string | null): ContextLocation {
  const shown = partition === null
    ? CONTEXT_FILE
    : `${PARTITIONS_DIR}/${checkPartitionName(partition)}.md`;
  return { root, path: join(root, ...shown.split("/")), shown, partition };
}

export interface ContextText {
  text: string;
  /** The file itself with links resolved (inside the project): where a write goes. */
  real: string;
}

/** The context file's text (undefined: none), refused as above; its BOM kept for a rewrite. */
export async function readContext(at: ContextLocation): Promise<ContextText | undefined> {
  // Looked for synchronously: most projects have none, and SessionStart asks every time.
  const link = lstatIfExistsSync(at.path);
  if (link === undefined) {
    // No file; but a `.claude` folder that leads out of the project is refused all the same.
    const parent = realPathIfExistsSync(dirname(at.path));
    if (parent !== undefined) refuseLinkOut(at, parent, "its folder");
    return undefined;
  }
  // A dangling link is judged by where it points.
  const real = await Deno.realPath(at.path).catch(async () =>
    resolve(dirname(at.path), await Deno.readLink(at.path))
  );
  refuseLinkOut(at, real);
  if (link.isSymlink && !(await Deno.stat(at.path).then(() => true, () => false))) {
    throw new UsageError(
      `${refusing(at)}it is a symbolic link to nothing (${real}).`,
      "Remove the link, or point it at a file inside the project.",
    );
  }
  const info = await Deno.stat(real);
  if (!info.isFile) {
    throw new UsageError(
      `${refusing(at)}it is not a regular file.`,
      "Replace it with a markdown file, or remove it.",
    );
  }
  if (info.size > MAX_CONTEXT_BYTES) {
    const size = `${info.size} bytes, more than the ${MAX_CONTEXT_BYTES} a context file may have`;
    throw new UsageError(
      `${refusing(at)}it is ${size}.`,
      "Cut it to under 1 MiB: move long material into files of its own.",
    );
  }
  const bytes = await Deno.readFile(real);
  const text = decodeText(bytes);
  if (text === undefined) {
    throw new UsageError(
      `${refusing(at)}it is a binary file, not markdown text.`,
      "Save it as UTF-8 markdown text, or remove it.",
    );
  }
  return { text, real };
}

/** How every refusal of a context file begins; `leftOutLine` takes it off again. */
function refusing(at: ContextLocation): string {
  return `Refusing to use ${at.shown}: `;
}

/** One line saying a refused context file is left out, why, and what to do (`--preview`). Pure. */
export function leftOutLine(at: ContextLocation, error: unknown): string {
  const said = errorText(error);
  const why = said.startsWith(refusing(at)) ? said.slice(refusing(at).length) : said;
  const hint = error instanceof MpmError ? error.hint : faultError(error)?.hint;
  return `mpm: left out ${at.shown}, as SessionStart does: ${why}${hint ? ` ${hint}` : ""}`;
}

/** UTF-8 text without NUL bytes, else undefined. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function realPathIfExistsSync(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

/** Refuses `resolved` (a path with its links resolved) when it is outside the project. */
function refuseLinkOut(at: ContextLocation, resolved: string, what = "it"): void {
  const root = Deno.realPathSync(at.root);
  if (!isInside(root, resolved)) {
    throw new UnsafePathError(
      `${refusing(at)}${what} leads through a symbolic link to ${resolved}, outside the project.`,
      "Remove the link or point it inside the project; mpm changed nothing.",
    );
  }
}

/** Replaces the context file's text, atomically, at the file its links lead to. */
export async function writeContext(at: ContextLocation, real: string, text: string): Promise<void> {
  await writeAtomic(real, text, { root: at.root });
}

/** Writes a new context file; false when one is already there (nothing is overwritten). */
export async function createContext(at: ContextLocation, text: string): Promise<boolean> {
  // A dangling link in the file's place would be followed by nothing, but is still "there".
  if (await Deno.lstat(at.path).then(() => true, () => false)) return false;
  // A folder on the way that leads out of the project is refused by the write (disk/files/atomic.ts).
  return await createAtomic(at.path, text, { root: at.root });
}

export interface PartitionFile {
  name: string;
  shown: string;
  /** Its first `# ` heading, if any, to tell partitions apart in a list. */
  title: string | null;
}

/** The partitions in `.claude/context/`, by name; none when the folder does not exist. */
export async function listPartitions(root: string): Promise<PartitionFile[]> {
  const dir = join(root, ...PARTITIONS_DIR.split("/"));
  const real = await Deno.realPath(dir).catch((error) => {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  });
  if (real === undefined) return [];
  if (!isInside(await Deno.realPath(root), real)) {
    throw new UnsafePathError(
      `Refusing to use ${PARTITIONS_DIR}: it is a symbolic link to ${real}, outside the project.`,
      "Remove the link or point it inside the project; mpm changed nothing.",
    );
  }
  const names: string[] = [];
  for await (const entry of Deno.readDir(real)) {
    const name = partitionOfFile(entry.name);
    if (name !== undefined && (entry.isFile || entry.isSymlink)) names.push(name);
  }
  names.sort();
  const files: PartitionFile[] = [];
  for (const name of names) {
    const at = contextLocation(root, name);
    const read = await readContext(at).catch((error) => {
      if (error instanceof MpmError) return undefined;
      throw error;
    });
    const title = read?.text.match(/^#\s+(.+?)\s*$/m)?.[1] ?? null;
    files.push({ name, shown: at.shown, title });
  }
  return files;
}
