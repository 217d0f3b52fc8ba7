/**
 * What a set of work-tree files holds, as git object ids: what `git add` would store for each
 * (clean filters and line-ending rules applied), so a later commit can be compared with it by
 * content instead of by name, and a mark can keep it. One `hash-object --stdin-paths` for all of
 * them.
 */
import { join } from "../../kernel/path.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";
import { cQuoted, notUtf8 } from "./git_paths.ts";

/** More than this many paths and a pause would wait on hashing: the rest stay unrecorded. */
export const MAX_HASHED_PATHS = 2000;
/** A file larger than this is not hashed (its content is left unrecorded, not guessed). */
export const MAX_HASHED_BYTES = 32 * 1024 * 1024;

/** One work-tree path as git would store it, or why it cannot be. */
export type OnDisk =
  | { kind: "file"; blob: string; executable: boolean }
  | { kind: "link"; target: string }
  | { kind: "absent" }
  /** A nested repository, a file over MAX_HASHED_BYTES, a name that is not UTF-8. */
  | { kind: "other" };

/**
 * What each path under `root` is, its files hashed by git (and with `write`, their blobs written
 * into the repository, as `git add` would). Null when git cannot be started or `root` is in no
 * repository while `write` asks for one.
 */
export async function lookAtFiles(
  root: string,
  paths: readonly string[],
  options: { write?: boolean } = {},
): Promise<Map<string, OnDisk> | null> {
  const result = new Map<string, OnDisk>();
  const files: string[] = [];
  const executable = new Set<string>();
  // Synchronous: one lstat is a few microseconds, and Deno's async ops cost far more each.
  for (const path of paths) {
    result.set(path, { kind: "other" });
    // A name that is not UTF-8 cannot be looked at from here (git_paths.ts): its kind is unknown.
    if (path.endsWith("/") || notUtf8(path)) continue;
    try {
      const info = Deno.lstatSync(join(root, path));
      if (info.isSymlink) {
        result.set(path, { kind: "link", target: Deno.readLinkSync(join(root, path)) });
      } else if (info.isFile && info.size <= MAX_HASHED_BYTES) {
        files.push(path);
        if (((info.mode ?? 0) & 0o111) !== 0) executable.add(path);
      } else if (info.isDirectory && !holdsGit(join(root, path))) {
        // A file that became a folder is gone as a file; the folder's files are paths of their own.
        result.set(path, { kind: "absent" });
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        result.set(path, { kind: "absent" });
      }
    }
  }
  if (files.length === 0) return result;
  const args = ["hash-object", ...(options.write ? ["-w"] : []), "--stdin-paths"];
  // Quoted, one a line: git reads back a name with a line break (or a leading quote) as it is.
  const out = await runGit(root, args, {
    stdin: files.map((f) => `${cQuoted(f, true)}\n`).join(""),
  });
  if (out === null || isNotRepo(out)) return null;
  // A file removed between the lstat and git reading it fails the whole call: unknown, then.
  if (out.code !== 0) {
    if (/cannot open|unable to hash|No such file/i.test(out.stderr)) return result;
    throw gitFailure(args, out);
  }
  const ids = out.stdout.split("\n");
  files.forEach((file, i) => {
    if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(ids[i] ?? "")) {
      result.set(file, { kind: "file", blob: ids[i], executable: executable.has(file) });
    }
  });
  return result;
}

/** Whether a folder is a repository of its own (a submodule, a nested clone): `.git` in it. */
export function holdsGit(dir: string): boolean {
  try {
    Deno.lstatSync(join(dir, ".git"));
    return true;
  } catch {
    return false;
  }
}

/**
 * The blob id of each path under `root`, null for a path that does not exist (deleted). Paths
 * that are not regular files (links, folders, nested repositories), too large, named in bytes
 * that are not UTF-8, or beyond MAX_HASHED_PATHS are left out: unknown, not absent. Null when git
 * cannot be started. `looked`: the same paths looked at already (a pause shares one look).
 */
export async function hashWorkTreeFiles(
  root: string,
  paths: readonly string[],
  looked?: ReadonlyMap<string, OnDisk>,
): Promise<Map<string, string | null> | null> {
  const asked = paths.slice(0, MAX_HASHED_PATHS);
  const seen = looked && asked.every((path) => looked.has(path))
    ? looked
    : await lookAtFiles(root, asked);
  if (seen === null) return null;
  const result = new Map<string, string | null>();
  for (const path of asked) {
    const found = seen.get(path);
    if (found?.kind === "file") result.set(path, found.blob);
    else if (found?.kind === "absent") result.set(path, null);
  }
  return result;
}
