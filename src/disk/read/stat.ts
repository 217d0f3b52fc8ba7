/** What is at a path, and the files of a folder: the looks that do not read a file. */
import { basename, dirname, join, resolve } from "../../kernel/path.ts";

/** lstatIfExists without the thread pool: what is at `path`, or undefined when nothing is. */
export function lstatIfExistsSync(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** What a file looked like (kind, size, times, inode) in one string: "-" when nothing is there. */
export function fileStamp(info: Deno.FileInfo | undefined): string {
  if (info === undefined) return "-";
  // A template, not an array joined: a board stamps two files for each of thousands of records.
  const kind = info.isFile ? "f" : info.isSymlink ? "l" : "o";
  return `${kind}:${info.size}:${info.mtime?.getTime() ?? ""}:${info.ctime?.getTime() ?? ""}:${
    info.ino ?? ""
  }`;
}

/** The names of the regular files in `dir`; none when it is missing, not a folder or unreadable. */
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

/** What is at `path`, links followed, or undefined when nothing is or it cannot be looked at. */
export function statQuietly(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch {
    return undefined;
  }
}

/** `path` with its deepest existing ancestor's links resolved (macOS /var, Windows 8.3 names). */
export function realPathOr(path: string): string {
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
