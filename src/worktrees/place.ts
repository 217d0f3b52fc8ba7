/**
 * Whether a worktree may be made at a path inside the repository. A clone can commit a symbolic
 * link (`.claude/worktrees`, `.claude` itself, any folder on the way): git's `worktree add`
 * follows it, and the checkout then lands wherever the clone's author picked (`~/.claude/skills`,
 * say). So every folder from the top level down to the new worktree that exists already must be
 * a real folder, and the deepest one must really be inside the repository. A path outside the
 * repository (`--path` given by the person) is their own choice and is not judged here.
 *
 * A check before `git worktree add` cannot hold the folders it checked: a link put in their place
 * between the check and git's add still sends the checkout out. So the place is checked again
 * after the add, by where git says it made the worktree (git records the real path, every link
 * followed), and a worktree that landed elsewhere is removed again (`worktreeLanding`,
 * `removeLanded`).
 */
import { join, relative, resolve, sep } from "../kernel/path.ts";
import { isInside, lstatOrNull, realPathOrNull, runGit } from "./git.ts";
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
    const info = await lstatOrNull(at);
    if (info === null) break;
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

/**
 * After `git worktree add PATH` on `branch`: null when git made the worktree where `path` was
 * checked (or `path` is outside the repository, which is not judged); else where git did make it
 * (`landed`: null when git does not list it). A branch is checked out in one worktree at most, so
 * the worktree on `branch` is the one just made.
 */
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

/**
 * Removes the worktree just made at `landed` (with --force: it holds only what git has just put
 * there), prunes git's record of it, and deletes `createdBranch` when the add created it.
 * Whether the worktree is gone.
 */
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

/**
 * After a `git worktree add -b BRANCH` that failed (git itself, in the middle of its checkout):
 * git removes the folder it made, but keeps the branch, and a folder a link sent elsewhere may
 * outlive its cleanup. So, when the add was to create `branch` (`createdFrom`: the commit it
 * was to start at), whatever git made of it is removed: a worktree git lists on the branch,
 * wherever it is (it can only be the one just made), then the branch itself, when it still
 * points where it was made. A branch that existed before is never touched.
 */
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
