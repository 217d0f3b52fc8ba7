/**
 * The whole work tree as one git tree object, what a session's diff and revert compare: built in a
 * private index file, so the user's index, work tree, branches and stash are never touched; a
 * commit on `refs/mpm/marks/<key>` keeps it from `git gc`.
 */
import { join } from "../../kernel/path.ts";
import { gitMissing } from "../../kernel/errors.ts";
import { configTexts, findGitDirs, type GitDirs } from "../run/root.ts";
import { parseTreeStatus } from "./tree_record.ts";
import { holdsGit } from "./blobs.ts";
import type { GitStatus } from "../tree/porcelain.ts";
import { gitFailure, type GitOutput, gitVars, isNotRepo, runGit, runGitBytes } from "../run/run.ts";
import { cQuoted, decodePaths, notUtf8 } from "./git_paths.ts";

/** A dirty file larger than this is left out of a capture (its content is not known). */
export const MAX_CAPTURED_BYTES = 32 * 1024 * 1024;
/** More dirty paths than this and nothing is captured: the tree would not be worth its cost. */
export const MAX_CAPTURED_PATHS = 20_000;

/** Commits mpm makes for itself carry its name, never the user's (who may have none set). */
export const MPM_IDENTITY = {
  GIT_AUTHOR_NAME: "mpm",
  GIT_AUTHOR_EMAIL: "mpm@localhost",
  GIT_COMMITTER_NAME: "mpm",
  GIT_COMMITTER_EMAIL: "mpm@localhost",
};

const STATUS_ARGS = [
  "status",
  "--porcelain=v2",
  "--branch",
  "-z",
  "--untracked-files=all",
  "--no-renames",
  "--ignore-submodules=none",
];

export interface WorkCapture {
  /** HEAD's commit then; null in a repository without commits. */
  head: string | null;
  /** The work tree as a tree object; null when it had more than MAX_CAPTURED_PATHS dirty paths. */
  tree: string | null;
  /** Dirty paths the tree does not hold as they were (nested repositories, huge files): index's. */
  leftOut: string[];
  /** How many paths had uncommitted work. */
  dirty: number;
}

/** What a call here may give git besides its arguments. */
type CallOptions = { stdin?: string; env?: Record<string, string> };

async function git(
  root: string,
  args: readonly string[],
  options: CallOptions = {},
): Promise<GitOutput> {
  const out = await runGit(root, args, options);
  if (out === null) throw gitMissing();
  return out;
}

async function gitOk(
  root: string,
  args: readonly string[],
  options: CallOptions = {},
): Promise<string> {
  const out = await git(root, args, options);
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}

/** What a dirty path is on disk: captured as it is, or left out. */
async function capturable(root: string, path: string): Promise<boolean> {
  if (path.endsWith("/")) return false;
  // A name that is not UTF-8 cannot be asked about from here: git adds it, or its absence.
  if (notUtf8(path)) return true;
  try {
    const info = await Deno.lstat(join(root, path));
    // A folder where a file was (not a repository of its own) is captured as that file's absence.
    return info.isSymlink || (info.isFile && info.size <= MAX_CAPTURED_BYTES) ||
      (info.isDirectory && !holdsGit(join(root, path)));
  } catch (error) {
    // A deleted path is captured as absent.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return true;
    }
    return false;
  }
}

/** A private index file, removed after `use`. */
async function withTempIndex<T>(
  root: string,
  copyOf: "index" | "none",
  use: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-index-" });
  const file = join(dir, "index");
  try {
    if (copyOf === "index") {
      const dirs = await findGitDirs(root);
      if (dirs) await Deno.copyFile(join(dirs.gitDir, "index"), file).catch(() => {});
    }
    return await use({ GIT_INDEX_FILE: file });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The HEAD commit named by `# branch.oid` in porcelain v2 output; null when unborn. */
function headOf(output: string): string | null {
  const match = output.match(/(?:^|\0)# branch\.oid ([0-9a-f]{40,64})\0/);
  return match ? match[1] : null;
}

/** HEAD and the dirty paths, as a capture needs them. */
interface DirtyPaths {
  head: string | null;
  paths: string[];
}

/** The dirty paths a status lists, when it lists all (no untracked folder shown whole). Pure. */
export function dirtyPathsOf(status: GitStatus): DirtyPaths | null {
  if (status.untracked.some((path) => path.endsWith("/"))) return null;
  const paths = new Set([
    ...status.staged,
    ...status.modified,
    ...status.untracked,
    ...status.deleted,
    ...status.renamed.map((rename) => rename.from),
    ...status.conflicted,
  ]);
  return { head: status.head, paths: [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** dirtyPathsOf, when no path listed as deleted is a folder now (git does not look inside one). */
export function knownDirtyPaths(root: string, known: GitStatus): DirtyPaths | null {
  const listed = dirtyPathsOf(known);
  if (listed === null) return null;
  // A name the status read decoded into U+FFFD is not the name on disk: read it again, as bytes.
  if (listed.paths.some((path) => path.includes("\uFFFD"))) return null;
  return known.deleted.some((path) => folderNow(root, path)) ? null : listed;
}

function folderNow(root: string, path: string): boolean {
  try {
    return Deno.lstatSync(join(root, path)).isDirectory;
  } catch {
    return false;
  }
}

/** How many dirty paths knownDirtyPaths would list, when over MAX_CAPTURED_PATHS. */
export function knownDirtyCountOver(root: string, known: GitStatus): number | undefined {
  const count = dirtyCountOver(known, MAX_CAPTURED_PATHS);
  if (count === undefined || known.untracked.some((path) => path.endsWith("/"))) return undefined;
  const lists = [known.staged, known.modified, known.untracked, known.deleted, known.conflicted];
  const odd = (path: string) => path.includes("\uFFFD");
  if (lists.some((list) => list.some(odd)) || known.renamed.some((r) => odd(r.from))) {
    return undefined;
  }
  return known.deleted.some((path) => folderNow(root, path)) ? undefined : count;
}

/** The number of distinct dirty paths a status lists, when more than `limit`. Pure. */
export function dirtyCountOver(status: GitStatus, limit: number): number | undefined {
  const lists = [
    status.staged,
    status.modified,
    status.untracked,
    status.deleted,
    status.conflicted,
    status.renamed.map((rename) => rename.from),
  ];
  const total = lists.reduce((sum, list) => sum + list.length, 0);
  if (total <= limit) return undefined;
  const longest = lists.reduce((a, b) => (b.length > a.length ? b : a));
  const others = new Set(lists.filter((list) => list !== longest).flat());
  let shared = 0;
  for (const path of longest) if (others.has(path)) shared++;
  const count = longest.length + others.size - shared;
  return count > limit ? count : undefined;
}

/** Whether a setting (`status.showUntrackedFiles`) may hide untracked files from `git status`. */
function untrackedMayBeHidden(dirs: GitDirs): boolean {
  const vars = gitVars();
  if (vars.GIT_CONFIG_COUNT || vars.GIT_CONFIG_PARAMETERS) return true;
  return configTexts(dirs).some((text) => /showuntrackedfiles|\[include/i.test(text));
}

/**
 * The work tree at `root` as a tree object, its dirty blobs written; null without a repository.
 * `known`: a status read under the same lock; `headTree`: HEAD's tree, used when status is clean.
 */
export async function captureWorkTree(
  root: string,
  known?: GitStatus,
  headTree?: string | null,
): Promise<WorkCapture | null> {
  // Found on disk first: outside a repository no git process is started.
  const dirs = await findGitDirs(root);
  if (!dirs) return null;
  const over = known && !untrackedMayBeHidden(dirs) ? knownDirtyCountOver(root, known) : undefined;
  if (over !== undefined) return { head: known!.head, tree: null, leftOut: [], dirty: over };
  const from = known ? knownDirtyPaths(root, known) : null;
  const listed = from && !untrackedMayBeHidden(dirs) ? from : await readDirtyPaths(root);
  if (listed === null) return null;
  const { head, paths: dirty } = listed;
  if (dirty.length > MAX_CAPTURED_PATHS) {
    return { head, tree: null, leftOut: [], dirty: dirty.length };
  }
  // Clean: the index holds HEAD's tree, unless a submodule's change is hidden from status.
  if (listed === from && dirty.length === 0 && headTree && head !== null) {
    if (!(await hasSubmodules(root))) return { head, tree: headTree, leftOut: [], dirty: 0 };
  }
  const taken: string[] = [];
  const leftOut: string[] = [];
  const kinds = await Promise.all(dirty.map((path) => capturable(root, path)));
  dirty.forEach((path, i) => (kinds[i] ? taken : leftOut).push(path));
  const tree = await withTempIndex(root, "index", async (env) => {
    if (taken.length > 0) {
      // Quoted, one a line: git reads back any name, line breaks and bytes not UTF-8 included.
      const stdin = taken.map((path) => `${cQuoted(path, true)}\n`).join("");
      await gitOk(root, ["update-index", "--add", "--remove", "--replace", "--stdin"], {
        stdin,
        env,
      });
    }
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
  return { head, tree, leftOut, dirty: dirty.length };
}

/** Whether the work tree declares submodules (a `.gitmodules` at its top). */
export async function hasSubmodules(root: string): Promise<boolean> {
  try {
    await Deno.lstat(join(root, ".gitmodules"));
    return true;
  } catch {
    return false;
  }
}

/** HEAD and every dirty path, untracked files one by one; null outside a repository. */
export async function readDirtyPaths(root: string): Promise<DirtyPaths | null> {
  const raw = await runGitBytes(root, STATUS_ARGS);
  if (raw === null) return null;
  // Decoded byte for byte (git_paths.ts): a name that is not UTF-8 stays its own name.
  const out = { ...raw, stdout: decodePaths(raw.stdout) };
  if (isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(STATUS_ARGS, out);
  return { head: headOf(out.stdout), paths: parseTreeStatus(out.stdout).paths.map((p) => p.path) };
}

/** Keeps `tree` reachable by a commit on `ref` (parents `head` and `previous`); returns it. */
export async function keepTree(
  root: string,
  ref: string,
  tree: string,
  parents: { head: string | null; previous: string | null },
  message: string,
): Promise<string> {
  const args = ["commit-tree", tree];
  const named = [parents.head, parents.previous].filter((p): p is string => p !== null);
  for (const parent of new Set(named)) args.push("-p", parent);
  const commit = (await gitOk(root, args, { env: MPM_IDENTITY, stdin: message })).trim();
  await gitOk(root, ["update-ref", "-m", message, ref, commit]);
  return commit;
}

/** A path's entry in a tree: its blob (or submodule commit) and mode. */
export interface TreeEntryOf {
  blob: string;
  mode: string;
}

/** One path that differs between two trees; null on a side where it is absent. */
export interface TreeChange {
  path: string;
  from: TreeEntryOf | null;
  to: TreeEntryOf | null;
}

/** Parses `diff-tree -r -z --no-renames` raw output (decoded by decodePaths). */
export function parseRawDiff(output: string): TreeChange[] {
  const changes: TreeChange[] = [];
  const fields = output.split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const match = fields[i].match(
      /^:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) [A-Z]\d*$/,
    );
    if (!match) continue;
    const side = (mode: string, blob: string) => /^0+$/.test(mode) ? null : { blob, mode };
    changes.push({
      path: fields[i + 1],
      from: side(match[1], match[3]),
      to: side(match[2], match[4]),
    });
  }
  return changes;
}

/** Every path whose entry differs between tree `a` and tree `b` (recursively, no renames). */
export async function treeChanges(root: string, a: string, b: string): Promise<TreeChange[]> {
  if (a === b) return [];
  return parseRawDiff(
    await gitPathsOk(root, ["diff-tree", "-r", "-z", "--no-renames", "--no-abbrev", a, b]),
  );
}

/** Parses `diff-tree --stdin -r -z --no-renames` output for pairs of trees, by `"<a> <b>"`. */
export function parseRawDiffEach(output: string): Map<string, TreeChange[]> {
  const found = new Map<string, TreeChange[]>();
  const fields = output.split("\0");
  let current: TreeChange[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    // A heading ends in a line break, before a change's fields; a name (after a NUL) never holds one.
    const lines = fields[i].split("\n");
    for (const heading of lines.slice(0, -1)) found.set(heading, current = []);
    if (i + 1 < fields.length) {
      current.push(...parseRawDiff(`${lines[lines.length - 1]}\0${fields[i + 1]}\0`));
    }
  }
  return found;
}

/** The changes between each pair of trees, in one `git diff-tree --stdin` however many. */
export async function treeChangesEach(
  root: string,
  pairs: readonly (readonly [string, string])[],
): Promise<TreeChange[][]> {
  const asked = pairs.filter(([a, b]) => a !== b);
  const found = asked.length === 0 ? new Map<string, TreeChange[]>() : parseRawDiffEach(
    await gitPathsOk(
      root,
      ["diff-tree", "--stdin", "-r", "-z", "--no-renames", "--no-abbrev"],
      asked.map(([a, b]) => `${a} ${b}\n`).join(""),
    ),
  );
  return pairs.map(([a, b]) => found.get(`${a} ${b}`) ?? []);
}

/** A tree holding exactly `entries` (each path's blob and mode), built in a private index. */
export async function treeOf(
  root: string,
  entries: readonly { path: string; entry: TreeEntryOf }[],
): Promise<string> {
  return await withTempIndex(root, "none", async (env) => {
    // Quoted, one a line: any name, line breaks and bytes not UTF-8 included, is read back.
    const stdin = entries
      .map(({ path, entry }) => `${entry.mode} ${entry.blob}\t${cQuoted(path, true)}\n`).join("");
    if (stdin) await gitOk(root, ["update-index", "--index-info"], { stdin, env });
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
}

/** `git diff` between two trees, as git prints it; `quoteNames`: names in octal escapes. */
export async function diffTrees(
  root: string,
  a: string,
  b: string,
  form: "patch" | "stat" | "numstat",
  color = false,
  quoteNames = false,
): Promise<string> {
  const args = [
    ...(quoteNames ? ["-c", "core.quotePath=true"] : []),
    "diff",
    "--no-renames",
    "--no-ext-diff",
    `--color=${color ? "always" : "never"}`,
  ];
  if (form === "stat") args.push("--stat");
  if (form === "numstat") return await gitPathsOk(root, [...args, "--numstat", "-z", a, b, "--"]);
  return await gitOk(root, [...args, a, b, "--"]);
}

/** gitOk for output that names paths: decoded byte for byte (decodePaths). */
async function gitPathsOk(root: string, args: readonly string[], stdin?: string): Promise<string> {
  const raw = await runGitBytes(root, args, stdin === undefined ? {} : { stdin });
  if (raw === null) throw gitMissing();
  const out = { ...raw, stdout: decodePaths(raw.stdout) };
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}
