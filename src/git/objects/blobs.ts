/**
 * What a set of work-tree files holds, as git object ids: what `git add` would store for each
 * (clean filters and line-ending rules applied), so a later commit can be compared with it by
 * content instead of by name. One `hash-object --stdin-paths` for all of them.
 */
import { join } from "../../kernel/path.ts";
import { gitFailure, isNotRepo, runGit } from "../run/run.ts";

/** More than this many paths and a pause would wait on hashing: the rest stay unrecorded. */
export const MAX_HASHED_PATHS = 2000;
/** A file larger than this is not hashed (its content is left unrecorded, not guessed). */
export const MAX_HASHED_BYTES = 32 * 1024 * 1024;

/**
 * The blob id of each path under `root`, null for a path that does not exist (deleted). Paths
 * that are not regular files (links, folders, nested repositories), too large, with a line break
 * in their name, or beyond MAX_HASHED_PATHS are left out: unknown, not absent. Null when git
 * cannot be started.
 */
export async function hashWorkTreeFiles(
  root: string,
  paths: readonly string[],
): Promise<Map<string, string | null> | null> {
  const result = new Map<string, string | null>();
  const asked = paths.slice(0, MAX_HASHED_PATHS).filter((p) =>
    !p.endsWith("/") && !/[\n\r]/.test(p)
  );
  const kinds = await Promise.all(asked.map(async (path) => {
    try {
      const info = await Deno.lstat(join(root, path));
      return info.isFile && info.size <= MAX_HASHED_BYTES ? "file" : "other";
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return "absent";
      }
      return "other";
    }
  }));
  const files: string[] = [];
  asked.forEach((path, i) => {
    if (kinds[i] === "absent") result.set(path, null);
    else if (kinds[i] === "file") files.push(path);
  });
  if (files.length === 0) return result;
  const args = ["hash-object", "--stdin-paths"];
  const out = await runGit(root, args, { stdin: files.map((f) => `${f}\n`).join("") });
  if (out === null || isNotRepo(out)) return null;
  // A file removed between the lstat and git reading it fails the whole call: unknown, then.
  if (out.code !== 0) {
    if (/cannot open|unable to hash|No such file/i.test(out.stderr)) return result;
    throw gitFailure(args, out);
  }
  const ids = out.stdout.split("\n");
  files.forEach((file, i) => {
    if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(ids[i] ?? "")) result.set(file, ids[i]);
  });
  return result;
}
