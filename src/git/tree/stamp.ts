/**
 * What `git status` of a work tree is made from, read from the git dir's files with no git
 * process: HEAD's text and the commit it names (git/run/root.ts `headCommit`), the index's inode,
 * size and modification time, packed-refs and FETCH_HEAD likewise, the work tree's top folder
 * (a file made or removed there), and the folder of the upstream's ref (a push or a fetch
 * renames a new ref file into it). Two equal stamps mean a commit, a checkout, a `git add`, a
 * fetch or a push did not happen between them; an edit of a tracked file that is not added yet
 * changes none of them, so what a status said of the work tree is as of its reading.
 *
 * Null where the files do not say it plainly: no repository, a ref store other than files.
 */
import { dirname, join } from "../../kernel/path.ts";
import { findGitDirs, headCommitIn } from "../run/root.ts";

/**
 * A file's inode, size and modification time, or "-" where there is none: two equal stamps mean
 * the file was not replaced or written between them (mpm replaces its files by renaming a new
 * one over them, which gives a new inode).
 */
export function fileStamp(path: string): string {
  try {
    const info = Deno.statSync(path);
    return `${info.ino ?? ""}:${info.size}:${info.mtime?.getTime() ?? ""}`;
  } catch {
    return "-";
  }
}

function textOf(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/**
 * The names in `dir` (none where it cannot be listed): one listing, where a stamp of each name
 * that is not there would fail on its own.
 */
function namesIn(dir: string): Set<string> {
  try {
    return new Set(Array.from(Deno.readDirSync(dir), (entry) => entry.name));
  } catch {
    return new Set();
  }
}

/** The stamp of the work tree at `root`, with `upstream`'s ref folder when one is named. */
export async function gitStamp(root: string, upstream: string | null): Promise<string | null> {
  const dirs = await findGitDirs(root);
  if (dirs === undefined) return null;
  const common = namesIn(dirs.commonDir);
  if (common.has("reftable")) return null;
  const head = textOf(join(dirs.gitDir, "HEAD"));
  if (head === null) return null;
  const listed = (name: string) => common.has(name) ? fileStamp(join(dirs.commonDir, name)) : "-";
  const parts = [
    head.trim(),
    headCommitIn(dirs, head) ?? "-",
    fileStamp(join(dirs.gitDir, "index")),
    listed("packed-refs"),
    listed("FETCH_HEAD"),
    fileStamp(root),
  ];
  if (upstream !== null && !upstream.split("/").includes("..")) {
    parts.push(fileStamp(dirname(join(dirs.commonDir, "refs", "remotes", upstream))));
  }
  return parts.join("\n");
}
