/**
 * What `git status` is made from, read from the git dir with no process: equal stamps mean no
 * commit, checkout, add, fetch or push between them.
 */
import { dirname, join } from "../../kernel/path.ts";
import { findGitDirs, headCommitIn, readText } from "../run/root.ts";

/** A file's inode, size and mtime, or "-": equal stamps mean it was not replaced or written. */
export function fileStamp(path: string): string {
  try {
    const info = Deno.statSync(path);
    return `${info.ino ?? ""}:${info.size}:${info.mtime?.getTime() ?? ""}`;
  } catch {
    return "-";
  }
}

/** The names in `dir`, listed once (none where it cannot be listed). */
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
  const head = readText(join(dirs.gitDir, "HEAD"));
  if (head === undefined) return null;
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
