/**
 * What a set of work-tree files holds, as the object ids `git add` would store (filters and
 * line-ending rules applied), so a later commit compares by content. Where no rule of git's can
 * change the bytes (storedAsIs) mpm hashes them itself; the rest go to `git hash-object`.
 */
import { join } from "../../kernel/path.ts";
import { gitFailure, gitVars, isNotRepo, runGit } from "../run/run.ts";
import { configTexts, findGitDirs, readText } from "../run/root.ts";
import { cQuoted, notUtf8 } from "./git_paths.ts";
import { blobIdOf, objectFormat } from "./work_file.ts";

/** More than this many paths and a pause would wait on hashing: the rest stay unrecorded. */
export const MAX_HASHED_PATHS = 2000;
/** A file larger than this is not hashed (its content is left unrecorded, not guessed). */
export const MAX_HASHED_BYTES = 32 * 1024 * 1024;

/** The most bytes a look keeps for a mark to write; past it, git writes the blobs itself. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;

/** One work-tree path as git would store it, or why it cannot be. */
export type OnDisk =
  /** `bytes`: the content, kept when git has not stored the blob (the mark writes it). */
  | { kind: "file"; blob: string; executable: boolean; bytes?: Uint8Array }
  | { kind: "link"; target: string }
  | { kind: "absent" }
  /** A nested repository, a file over MAX_HASHED_BYTES, a name that is not UTF-8. */
  | { kind: "other" };

/** What each path under `root` is, hashed by git (`write`: blobs written); null without git. */
export async function lookAtFiles(
  root: string,
  paths: readonly string[],
  options: { write?: boolean } = {},
): Promise<Map<string, OnDisk> | null> {
  const result = new Map<string, OnDisk>();
  const files: string[] = [];
  const executable = new Set<string>();
  const asIs = await storedAsIs(root, paths);
  const format = asIs ? await objectFormat(root) : "sha1";
  let kept = 0;
  // Synchronous: one lstat is a few microseconds, and Deno's async ops cost far more each.
  for (const path of paths) {
    result.set(path, { kind: "other" });
    // A name that is not UTF-8 cannot be looked at from here (git_paths.ts): its kind is unknown.
    if (path.endsWith("/") || notUtf8(path)) continue;
    try {
      const full = join(root, path);
      const info = Deno.lstatSync(full);
      if (info.isSymlink) {
        result.set(path, { kind: "link", target: Deno.readLinkSync(full) });
      } else if (info.isFile && info.size <= MAX_HASHED_BYTES) {
        const isExecutable = ((info.mode ?? 0) & 0o111) !== 0;
        const keep = options.write === true;
        const attributes = asIs?.(path);
        if (attributes !== undefined && (!keep || kept + info.size <= MAX_KEPT_BYTES)) {
          const bytes = Deno.readFileSync(full);
          if (keptAsIs(bytes, attributes === "no attributes")) {
            kept += keep ? bytes.length : 0;
            const blob = await blobIdOf(format, bytes);
            result.set(path, {
              kind: "file",
              blob,
              executable: isExecutable,
              ...keep ? { bytes } : {},
            });
            continue;
          }
        }
        files.push(path);
        if (isExecutable) executable.add(path);
      } else if (info.isDirectory && !holdsGit(full)) {
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

/** Which attributes may change what git stores of a path; null when git must hash every path. */
async function storedAsIs(
  root: string,
  paths: readonly string[],
): Promise<((path: string) => "no attributes" | "harmless" | undefined) | null> {
  const vars = gitVars();
  if (Deno.build.os === "windows" || vars.GIT_ATTR_SOURCE) return null;
  if (vars.GIT_CONFIG_COUNT || vars.GIT_CONFIG_PARAMETERS) return null;
  // A .gitattributes being changed or removed: git may read the index's copy of it.
  if (paths.some((path) => path === ".gitattributes" || path.endsWith("/.gitattributes"))) {
    return null;
  }
  const dirs = await findGitDirs(root);
  if (!dirs) return null;
  const config = /attributesfile|\[attr|sparsecheckout|\[include/i;
  if (configTexts(dirs).some((text) => config.test(text))) return null;
  const xdg = vars.XDG_CONFIG_HOME || (vars.HOME ? join(vars.HOME, ".config") : undefined);
  const everywhere = [
    join(dirs.commonDir, "info", "attributes"),
    ...xdg ? [join(xdg, "git", "attributes")] : [],
    ...vars.GIT_ATTR_NOSYSTEM ? [] : SYSTEM_ATTRIBUTES,
  ].map((file) => readText(file));
  const folders = new Map<string, string | undefined>();
  const inFolder = (folder: string) => {
    if (!folders.has(folder)) {
      folders.set(folder, readText(join(root, folder, ".gitattributes")));
    }
    return folders.get(folder);
  };
  return (path) => {
    const parts = path.split("/");
    const texts = [...everywhere];
    for (let i = 0; i < parts.length; i++) texts.push(inFolder(parts.slice(0, i).join("/")));
    const found = texts.filter((text) => text !== undefined);
    if (found.length === 0) return "no attributes";
    return found.some((text) => /filter|ident|encoding/i.test(text!)) ? undefined : "harmless";
  };
}

/** Where git built for these systems keeps its system-wide attributes. */
const SYSTEM_ATTRIBUTES = [
  "/etc/gitattributes",
  "/usr/local/etc/gitattributes",
  "/opt/homebrew/etc/gitattributes",
];

/** Whether git stores these bytes as they are (a line-ending rule turns CRLF into LF). Pure. */
export function keptAsIs(bytes: Uint8Array, noAttributes: boolean): boolean {
  return bytes.indexOf(13) < 0 || (noAttributes && bytes.indexOf(0) >= 0);
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
 * The blob id of each path under `root` (null: deleted); links, huge files and odd names left out
 * (unknown, not absent). Null when git cannot be started.
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
