/**
 * Finding a repository without spawning git: the top level is the nearest folder holding a
 * `.git` folder or a `.git` file (`gitdir: …`, as in worktrees and submodules).
 *
 * The reads are synchronous: a few small files, microseconds each, that never wait in line behind
 * a busy event loop — work started early (a capture beside a command's parsing) keeps moving.
 */
import { dirname, isAbsolute, join, resolve } from "../../kernel/path.ts";

/** The git top level containing `cwd`, or undefined when `cwd` is not inside a repository. */
// deno-lint-ignore require-await
export async function findGitRoot(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd);
  while (true) {
    if (gitDirOf(dir) !== undefined) return dir;
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
// deno-lint-ignore require-await
export async function findGitDirs(root: string): Promise<GitDirs | undefined> {
  const gitDir = gitDirOf(resolve(root));
  if (gitDir === undefined) return undefined;
  const commondir = readText(join(gitDir, "commondir"));
  if (commondir === undefined) return { gitDir, commonDir: gitDir };
  const target = commondir.trim();
  return { gitDir, commonDir: isAbsolute(target) ? target : resolve(gitDir, target) };
}

/** The git dir `dir/.git` stands for, if it is a repository's. */
function gitDirOf(dir: string): string | undefined {
  const dotGit = join(dir, ".git");
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dotGit);
  } catch {
    return undefined;
  }
  if (info.isDirectory) {
    // A stray empty `.git` folder is not a repository; git itself requires HEAD.
    return exists(join(dotGit, "HEAD")) ? dotGit : undefined;
  }
  if (!info.isFile) return undefined;
  const text = readText(dotGit);
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
  if (exists(join(dirs.commonDir, ref)) || exists(join(dirs.commonDir, "reftable"))) return true;
  // packed-refs can be large: read without holding the thread.
  const packed = await Deno.readTextFile(join(dirs.commonDir, "packed-refs")).catch(() => "");
  return packed.split("\n").some((line) => line.endsWith(` ${ref}`));
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
