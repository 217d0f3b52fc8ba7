/**
 * Whether a worktree may be made at a path inside the repository: a clone can commit a link on the
 * way that `git worktree add` follows, so each existing folder must be real and inside; one swapped
 * in after the check is caught after the add (`worktreeLanding`) and removed.
 */
import { join, relative, resolve, sep } from "../kernel/path.ts";
import { isInside, realPathOrNull, runGit } from "./git.ts";
import { lstatQuietly } from "../disk/read/stat.ts";
import { listWorktrees } from "./prune.ts";

/** Why no worktree may be made at `path` (one clause naming the folder), or null when it may. */
export async function worktreePlaceProblem(root: string, path: string): Promise<string | null> {
  if (!isInside(root, path, true)) return null;
  const parts = relative(root, path).split(sep).filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) return `${path} is the repository itself`;
  let at = root;
  let deepest = root;
  // The new worktree's own folder is not judged: it must not exist at all (the caller checks).
  for (const part of parts.slice(0, -1)) {
    at = join(at, part);
    const info = lstatQuietly(at);
    if (info === undefined) break;
    const shown = relative(root, at).split(sep).join("/");
    if (info.isSymlink) {
      const target = await realPathOrNull(at);
      return `${shown} is a symbolic link${target ? ` (to ${target})` : ""}`;
    }
    if (!info.isDirectory) return `${shown} is not a folder`;
    deepest = at;
  }
  const [realRoot, realDeepest] = await Promise.all([
    realPathOrNull(root),
    realPathOrNull(deepest),
  ]);
  if (realRoot === null || realDeepest === null || !isInside(realRoot, realDeepest, true)) {
    return `${relative(root, deepest).split(sep).join("/") || "."} leads outside the repository`;
  }
  return null;
}

/** After `git worktree add`: null when git made it where `path` was checked, else where it did. */
export async function worktreeLanding(
  root: string,
  path: string,
  branch: string,
): Promise<{ landed: string | null } | null> {
  if (!isInside(root, path)) return null;
  const [realRoot, listed] = await Promise.all([realPathOrNull(root), listWorktrees(root)]);
  const entry = listed.ok
    ? listed.entries.find((e) => e.branch === `refs/heads/${branch}`)
    : undefined;
  if (realRoot === null || entry === undefined) return { landed: entry?.path ?? null };
  const expected = join(realRoot, relative(root, path));
  return resolve(entry.path) === resolve(expected) ? null : { landed: entry.path };
}

/** Removes the worktree just made at `landed` (--force: only git's files), and its new branch. */
export async function removeLanded(
  root: string,
  landed: string,
  createdBranch: string | null,
): Promise<boolean> {
  const removed = await runGit(root, ["worktree", "remove", "--force", landed]);
  await runGit(root, ["worktree", "prune"]);
  if (removed.ok && createdBranch !== null) await runGit(root, ["branch", "-D", createdBranch]);
  return removed.ok;
}

/** After a failed `git worktree add -b BRANCH`: its worktree goes, then the branch if unmoved. */
export async function clearFailedAdd(
  root: string,
  branch: string,
  createdFrom: string | null,
): Promise<void> {
  if (createdFrom === null) return;
  await runGit(root, ["worktree", "prune"]);
  const listed = await listWorktrees(root);
  const entry = listed.ok
    ? listed.entries.find((e) => e.branch === `refs/heads/${branch}`)
    : undefined;
  if (entry !== undefined) {
    await removeLanded(root, entry.path, branch);
    return;
  }
  const at = await runGit(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  if (at.ok && at.stdout.trim() === createdFrom) await runGit(root, ["branch", "-D", branch]);
}
