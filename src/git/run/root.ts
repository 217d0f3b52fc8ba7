/**
 * Finding a repository without spawning git: the top level is the nearest folder holding a `.git`
 * folder or file. The reads are synchronous (a few small files) so they never wait behind a busy
 * event loop.
 */
import { dirname, isAbsolute, join, resolve } from "../../kernel/path.ts";
import { gitVars } from "./run.ts";

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
  return gitDirsOf(root);
}

function gitDirsOf(root: string): GitDirs | undefined {
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
 * The git dir of the bare repository at `cwd` (one with no work tree, where git refuses `status`),
 * else undefined; `root` is findGitRoot's answer for `cwd`. Read from files, as git decides it:
 * a `.git` whose config says `core.bare`, or a git dir found as `cwd` or above it.
 */
export function bareGitDir(cwd: string, root: string | undefined): string | undefined {
  if (root !== undefined) {
    const gitDir = gitDirOf(root);
    // A linked worktree's own dir holds no config: git reads `core.bare` only for the main tree.
    const core = gitDir === undefined ? undefined : coreWorkTree(readText(join(gitDir, "config")));
    return core?.bare && !core.worktree ? gitDir : undefined;
  }
  let dir = resolve(cwd);
  while (true) {
    if (isGitDir(dir)) {
      return coreWorkTree(readText(join(dir, "config"))).worktree ? undefined : dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether `dir` is itself a git dir, by git's own test: HEAD, `objects/` and `refs/`. */
function isGitDir(dir: string): boolean {
  return exists(join(dir, "HEAD")) && exists(join(dir, "objects")) && exists(join(dir, "refs"));
}

/** What a config file's `[core]` says of a work tree: `bare`, and whether it names one. Pure. */
export function coreWorkTree(text: string | undefined): { bare: boolean; worktree: boolean } {
  const found = { bare: false, worktree: false };
  let inCore = false;
  for (const raw of (text ?? "").split("\n")) {
    let line = raw.trim();
    const section = line.match(/^\[\s*([^\]\s"]+)\s*("[^"]*")?\s*\](.*)$/);
    if (section) {
      inCore = section[1].toLowerCase() === "core" && section[2] === undefined;
      line = section[3].trim();
    }
    const entry = inCore ? line.match(/^(bare|worktree)\s*(?:=\s*(.*))?$/i) : null;
    if (!entry) continue;
    const value = (entry[2] ?? "true").replace(/\s*[#;].*$/, "").replace(/^"(.*)"$/, "$1").trim();
    if (entry[1].toLowerCase() === "worktree") found.worktree = value !== "";
    else found.bare = /^(true|yes|on|1)$/i.test(value);
  }
  return found;
}

/** Whether the repository may hold `ref`: false only when no loose or packed ref names it. */
export async function mayHoldRef(dirs: GitDirs, ref: string): Promise<boolean> {
  if (exists(join(dirs.commonDir, ref)) || exists(join(dirs.commonDir, "reftable"))) return true;
  // packed-refs can be large: read without holding the thread.
  const packed = await Deno.readTextFile(join(dirs.commonDir, "packed-refs")).catch(() => "");
  return packed.split("\n").some((line) => line.endsWith(` ${ref}`));
}

/** A full object id, SHA-1 or SHA-256. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The most of packed-refs read to find HEAD's branch; a larger file is left to git. */
const MAX_PACKED_REFS_BYTES = 1024 * 1024;

/**
 * The commit HEAD names at `root`, read from the git dir's files; undefined where they do not say
 * it plainly (reftable, a symbolic ref, a large packed-refs). Callers check it against git.
 */
export function headCommit(root: string): string | undefined {
  const dirs = gitDirsOf(root);
  if (dirs === undefined || exists(join(dirs.commonDir, "reftable"))) return undefined;
  return headCommitIn(dirs, readText(join(dirs.gitDir, "HEAD")));
}

/** headCommit of a repository whose refs are files, from HEAD's text (undefined: not read). */
export function headCommitIn(dirs: GitDirs, headText: string | undefined): string | undefined {
  const head = headText?.trim();
  if (head === undefined) return undefined;
  if (OBJECT_ID.test(head)) return head;
  const ref = head.match(/^ref: (refs\/heads\/[^\s]+)$/)?.[1];
  if (ref === undefined || ref.split("/").includes("..")) return undefined;
  const loose = readText(join(dirs.commonDir, ref))?.trim();
  if (loose !== undefined) return OBJECT_ID.test(loose) ? loose : undefined;
  const packed = join(dirs.commonDir, "packed-refs");
  let size: number;
  try {
    size = Deno.statSync(packed).size;
  } catch {
    return undefined;
  }
  if (size > MAX_PACKED_REFS_BYTES) return undefined;
  for (const line of readText(packed)?.split("\n") ?? []) {
    const [id, name] = line.split(" ");
    if (name === ref && OBJECT_ID.test(id)) return id;
  }
  return undefined;
}

/** The commit `ref` names, from its loose or packed ref; undefined if unclear. Callers check it. */
export function refCommitIn(dirs: GitDirs, ref: string): string | undefined {
  if (!ref.startsWith("refs/") || ref.split("/").includes("..")) return undefined;
  if (exists(join(dirs.commonDir, "reftable"))) return undefined;
  const loose = readText(join(dirs.commonDir, ref))?.trim();
  if (loose !== undefined) return OBJECT_ID.test(loose) ? loose : undefined;
  const packed = join(dirs.commonDir, "packed-refs");
  try {
    if (Deno.statSync(packed).size > MAX_PACKED_REFS_BYTES) return undefined;
  } catch {
    return undefined;
  }
  const lines = readText(packed)?.split("\n") ?? [];
  for (let i = 0; i < lines.length; i++) {
    const [id, name] = lines[i].split(" ");
    if (name !== ref) continue;
    return OBJECT_ID.test(id) && !lines[i + 1]?.startsWith("^") ? id : undefined;
  }
  return undefined;
}

/** The text of each config file git reads for this repository ("" for one that is not there). */
export function configTexts(dirs: GitDirs): string[] {
  // The variables git itself will see: the run's, not necessarily this process's.
  const vars = gitVars();
  const home = vars.HOME;
  const xdg = vars.XDG_CONFIG_HOME || (home ? join(home, ".config") : undefined);
  const files = [
    join(dirs.commonDir, "config"),
    join(dirs.gitDir, "config.worktree"),
    vars.GIT_CONFIG_GLOBAL ?? (home ? join(home, ".gitconfig") : undefined),
    xdg ? join(xdg, "git", "config") : undefined,
    vars.GIT_CONFIG_NOSYSTEM ? undefined : vars.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig",
  ];
  // Synchronous, as root.ts reads: small files that should not wait behind a busy event loop.
  return files.map((file) => {
    try {
      return file ? Deno.readTextFileSync(file) : "";
    } catch {
      return "";
    }
  });
}

/** A file's text, or undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** Whether anything is at `path` (links followed). */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
