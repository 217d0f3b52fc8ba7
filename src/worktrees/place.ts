/**
 * Whether a worktree may be made at a path inside the repository. A clone can commit a symbolic
 * link (`.claude/worktrees`, `.claude` itself, any folder on the way): git's `worktree add`
 * follows it, and the checkout then lands wherever the clone's author picked (`~/.claude/skills`,
 * say). So every folder from the top level down to the new worktree that exists already must be
 * a real folder, and the deepest one must really be inside the repository. A path outside the
 * repository (`--path` given by the person) is their own choice and is not judged here.
 */
import { join, relative, sep } from "../kernel/path.ts";
import { isInside, lstatOrNull, realPathOrNull } from "./git.ts";

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
