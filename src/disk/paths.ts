/**
 * Where everything lives under `<project>/.claude-mpm/`. The project is the git top level
 * found from the current folder, else the current folder itself.
 */
import { basename, dirname, isAbsolute, join, resolve, sep } from "../kernel/path.ts";
import { bareGitDir, findGitDirs, findGitRoot } from "../git/run/root.ts";
import { NothingToDo } from "../kernel/errors.ts";
import { refuseLinkedStore } from "./files/confine/confine.ts";

export interface ProjectPaths {
  root: string;
  base: string;
  sessions: string;
  archive: string;
  legacyPause: string;
  checkpoints: string;
  state: string;
  hooks: string;
  templates: string;
  errors: string;
  /** One folder per session (`threads/<key>/`): its Claude sessions and summary. */
  threads: string;
  /** Copies of the Claude Code transcripts the hooks saw (src/vault/). */
  vault: string;
  backups: string;
  events: string;
  lock: string;
  latest: string;
}

/** A path relative to the project, for messages: "/"-separated on every platform, like git's. */
export function displayPath(paths: ProjectPaths, file: string): string {
  return file.startsWith(paths.root + sep)
    ? file.slice(paths.root.length + 1).split(sep).join("/")
    : file;
}

export function projectPaths(root: string): ProjectPaths {
  const base = join(root, ".claude-mpm");
  const sessions = join(base, "sessions");
  return {
    root,
    base,
    sessions,
    archive: join(sessions, "archive"),
    legacyPause: join(sessions, "pause"),
    checkpoints: join(base, "checkpoints"),
    state: join(base, "state.json"),
    hooks: join(base, "hooks"),
    templates: join(base, "templates"),
    errors: join(base, "errors"),
    threads: join(base, "threads"),
    vault: join(base, "vault"),
    backups: join(base, "backups"),
    events: join(base, "events.jsonl"),
    lock: join(base, ".lock"),
    latest: join(sessions, "LATEST-SESSION.txt"),
  };
}

/**
 * The git top level above `cwd` (found without git), else `cwd`; refuses a bare repository and a
 * linked-out `.claude-mpm`.
 */
export async function findProjectRoot(cwd: string): Promise<string> {
  const root = await locateProject(cwd);
  await refuseLinkedStore(root);
  return root;
}

/**
 * findProjectRoot for the ready start, which reads a work tree's git config no more: a bare
 * repository has no work tree above it, and one whose `.git` says `core.bare` never has a ready
 * answer (every command refuses it before making one).
 */
export async function findReadyRoot(cwd: string): Promise<string> {
  const root = await findGitRoot(cwd);
  if (root === undefined) refuseBareRepository(cwd, root);
  const top = root ?? resolve(cwd);
  await refuseLinkedStore(top);
  return top;
}

/**
 * findProjectRoot without the link check: for `mpm doctor`, which reports the link instead. A bare
 * repository is refused all the same: there is no work tree for a session, and git says so late.
 */
export async function locateProject(cwd: string): Promise<string> {
  const root = await findGitRoot(cwd);
  refuseBareRepository(cwd, root);
  return root ?? resolve(cwd);
}

/** Refuses a bare repository up front, before anything is written into its git dir. */
export function refuseBareRepository(cwd: string, root: string | undefined): void {
  const gitDir = bareGitDir(cwd, root);
  if (gitDir === undefined) return;
  throw new NothingToDo(
    `${gitDir} is a bare git repository: mpm works in a work tree.`,
    "Clone it, or add a work tree with `git worktree add PATH`, and run mpm there.",
  );
}

/** The main work tree of the linked worktree at `root`, from its `.git` file; else undefined. */
export async function mainWorktreeOf(root: string): Promise<string | undefined> {
  const dirs = await findGitDirs(root);
  if (dirs === undefined || dirs.gitDir === join(resolve(root), ".git")) return undefined;
  const admin = dirname(dirs.gitDir);
  if (basename(admin) !== "worktrees" || basename(dirname(admin)) !== ".git") return undefined;
  return dirname(dirname(admin));
}

/**
 * The linked worktree of `root` a conversation belongs to (Claude Code runs a kept `--worktree`'s
 * SessionEnd in `root`, `projectDir` naming the worktree), else undefined.
 */
export async function projectDirWorktree(
  root: string,
  projectDir: string | undefined,
): Promise<string | undefined> {
  if (!projectDir || !isAbsolute(projectDir)) return undefined;
  const tree = await findGitRoot(projectDir);
  if (tree === undefined || resolve(tree) === resolve(root)) return undefined;
  const main = await mainWorktreeOf(tree);
  return main !== undefined && resolve(main) === resolve(root) ? tree : undefined;
}
