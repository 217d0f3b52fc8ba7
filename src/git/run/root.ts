/**
 * Finding a repository without spawning git: the top level is the nearest folder holding a
 * `.git` folder or a `.git` file (`gitdir: …`, as in worktrees and submodules).
 */
import { dirname, isAbsolute, join, resolve } from "../../kernel/path.ts";

/** The git top level containing `cwd`, or undefined when `cwd` is not inside a repository. */
export async function findGitRoot(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  while (true) {
    if (await gitDirOf(dir) !== undefined) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface GitDirs {
  /** This work tree's own git dir (`.git`, or `.git/worktrees/NAME` for a linked worktree). */
  gitDir: string;
  /** The dir shared by all worktrees: where `info/exclude`, refs and objects live. */
  commonDir: string;
}

/** The git dirs of the work tree whose top level is `root`, read from disk. */
export async function findGitDirs(root: string): Promise<GitDirs | undefined> {
  const gitDir = await gitDirOf(resolve(root));
  if (gitDir === undefined) return undefined;
  const commondir = await readText(join(gitDir, "commondir"));
  if (commondir === undefined) return { gitDir, commonDir: gitDir };
  const target = commondir.trim();
  return { gitDir, commonDir: isAbsolute(target) ? target : resolve(gitDir, target) };
}

/** The git dir `dir/.git` stands for, if it is a repository's. */
async function gitDirOf(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, ".git");
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dotGit);
  } catch {
    return undefined;
  }
  if (info.isDirectory) {
    // A stray empty `.git` folder is not a repository; git itself requires HEAD.
    return await exists(join(dotGit, "HEAD")) ? dotGit : undefined;
  }
  if (!info.isFile) return undefined;
  const text = await readText(dotGit);
  const match = text?.match(/^gitdir: *(.+?)\s*$/m);
  if (!match) return undefined;
  return isAbsolute(match[1]) ? match[1] : resolve(dir, match[1]);
}

/**
 * Whether the repository whose dirs are `dirs` may hold `ref` ("refs/stash"): false only when
 * the refs are files and neither a loose ref nor a packed one names it, so a caller can skip
 * asking git about a ref that is not there (most repositories have no stash). A ref store
 * other than files (reftable) is never read here: the answer is then "may".
 */
export async function mayHoldRef(dirs: GitDirs, ref: string): Promise<boolean> {
  const [loose, reftable, packed] = await Promise.all([
    exists(join(dirs.commonDir, ref)),
    exists(join(dirs.commonDir, "reftable")),
    readText(join(dirs.commonDir, "packed-refs")),
  ]);
  return loose || reftable || (packed ?? "").split("\n").some((line) => line.endsWith(` ${ref}`));
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
