/**
 * What happened to the repository since a pause: the commits made since the paused commit and
 * the files they changed. Three git processes, all at once:
 *
 * - `cat-file --batch-check` resolves HEAD and the paused commit (does it still exist?);
 * - `log --boundary paused..HEAD` lists the new commits. `paused..HEAD` never includes the
 *   paused commit's own history, so commits rebased or reset away are never reported as new;
 *   and the paused commit is an ancestor of HEAD exactly when it is HEAD or a boundary commit
 *   of that range, which spares a `merge-base --is-ancestor`;
 * - `diff-tree paused HEAD` gives the net change of files.
 */
import { isMpmPath, MPM_DIR } from "./porcelain.ts";
import { gitFailure, type GitOutput, isNotRepo, runGit } from "./run.ts";

export interface Commit {
  sha: string;
  subject: string;
  author: string;
  /** Author date, strict ISO 8601. */
  date: string;
}

export interface ChangedFile {
  /** git's name-status letter: A, M, D, R, C, T. */
  status: string;
  /** The path now (the new path of a rename or copy). */
  path: string;
  /** The original path of a rename or copy. */
  from?: string;
}

export interface History {
  /** HEAD now; null when the repository has no commit. */
  current_commit: string | null;
  paused_commit_exists: boolean;
  /**
   * Whether the paused commit is HEAD or one of its ancestors. True as well when no commit was
   * paused (the repository had none yet): the empty history precedes every history.
   */
  is_ancestor: boolean;
  /** The paused commit is gone or no longer an ancestor of HEAD (rebase, reset, amend). */
  history_rewritten: boolean;
  /** Oldest first. */
  new_commits: Commit[];
  /** The net change from the paused commit to HEAD (mpm's own folder left out). */
  files: ChangedFile[];
}

const COMMIT_FORMAT = "%H%x00%an%x00%aI%x00%s";
const LOG = ["log", "-z", "--no-show-signature", "--encoding=UTF-8"];
// Only hex object names reach git's command line: a hand-edited or synced snapshot must not
// be able to pass an option such as `--output=…`.
const OBJECT_NAME = /^[0-9a-f]{4,64}$/i;

/**
 * The history since `pausedCommit` (null: the repository had no commit at pause). Null when
 * there is no git or `root` is not a repository.
 */
export async function readHistorySince(
  root: string,
  pausedCommit: string | null,
): Promise<History | null> {
  if (pausedCommit !== null && !OBJECT_NAME.test(pausedCommit)) {
    const head = await resolveObjects(root, []);
    return head === null ? null : gone(head[0]);
  }
  if (pausedCommit === null) return await historyFromStart(root);
  const range = `${pausedCommit}..HEAD`;
  const logArgs = [...LOG, "--date-order", `--format=%m${COMMIT_FORMAT}`, range];
  const diffArgs = ["diff-tree", "-r", "-z", "-M", "--name-status", pausedCommit, "HEAD", "--"];
  const ancestorArgs = ["merge-base", "--is-ancestor", pausedCommit, "HEAD"];
  const [objects, log, diff, ancestor, mpmOnly] = await Promise.all([
    resolveObjects(root, [pausedCommit]),
    runGit(root, [...logArgs, "--"]),
    runGit(root, diffArgs),
    runGit(root, ancestorArgs),
    commitsTouchingOnlyMpm(root, range),
  ]);
  if (objects === null) return null;
  const [head, paused] = objects;
  if (paused === null) return gone(head);
  if (head === null) {
    return { ...gone(null), paused_commit_exists: true };
  }
  const commits = parseCommits(succeeded(logArgs, log), true);
  const isAncestor = head === paused || ancestor?.code === 0;
  return {
    current_commit: head,
    paused_commit_exists: true,
    is_ancestor: isAncestor,
    history_rewritten: !isAncestor,
    new_commits: commits.filter((c) => !mpmOnly.has(c.sha)).map(({ boundary: _, ...c }) => c)
      .reverse(),
    files: parseNameStatus(succeeded(diffArgs, diff)),
  };
}

/**
 * Whether `branch` (a local branch name) still holds `commit`; undefined when the branch does
 * not exist, the name is not a plain one, or git cannot tell.
 */
export async function branchHolds(
  root: string,
  branch: string,
  commit: string,
): Promise<boolean | undefined> {
  if (!OBJECT_NAME.test(commit) || branch.startsWith("-")) return undefined;
  const out = await runGit(root, ["merge-base", "--is-ancestor", commit, `refs/heads/${branch}`]);
  if (out === null) return undefined;
  if (out.code === 0) return true;
  return out.code === 1 ? false : undefined;
}

/**
 * Commits of `range` that change files under `.claude-mpm/` and nothing else (`mpm pause
 * --commit`): they are not news to a resume. Two path-limited rev-lists, usually short.
 */
async function commitsTouchingOnlyMpm(root: string, range: string): Promise<Set<string>> {
  const [mpm, other] = await Promise.all([
    runGit(root, ["rev-list", range, "--", MPM_DIR]),
    runGit(root, ["rev-list", range, "--", ".", `:(exclude)${MPM_DIR}`]),
  ]);
  if (mpm?.code !== 0 || other?.code !== 0) return new Set();
  const touchesOther = new Set(other.stdout.split("\n").filter(Boolean));
  return new Set(mpm.stdout.split("\n").filter((sha) => sha && !touchesOther.has(sha)));
}

/** The last `count` commits of HEAD, newest first; [] without commits, null without a repo. */
export async function recentCommits(root: string, count: number): Promise<Commit[] | null> {
  const args = [...LOG, `-n${Math.max(0, Math.floor(count))}`, `--format=${COMMIT_FORMAT}`];
  const [objects, log] = await Promise.all([
    resolveObjects(root, []),
    runGit(root, [...args, "HEAD", "--"]),
  ]);
  if (objects === null) return null;
  if (objects[0] === null) return [];
  return parseCommits(succeeded(args, log), false).map(({ boundary: _, ...c }) => c);
}

/** Everything is new when the pause happened before the first commit. */
async function historyFromStart(root: string): Promise<History | null> {
  const logArgs = [...LOG, "--date-order", `--format=${COMMIT_FORMAT}`, "HEAD", "--"];
  const treeArgs = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD"];
  const [objects, log, tree] = await Promise.all([
    resolveObjects(root, []),
    runGit(root, logArgs),
    runGit(root, treeArgs),
  ]);
  if (objects === null) return null;
  const head = objects[0];
  const history: History = {
    current_commit: head,
    paused_commit_exists: false,
    is_ancestor: true,
    history_rewritten: false,
    new_commits: [],
    files: [],
  };
  if (head === null) return history;
  history.new_commits = parseCommits(succeeded(logArgs, log), false)
    .map(({ boundary: _, ...c }) => c).reverse();
  history.files = succeeded(treeArgs, tree).split("\0")
    .filter((path) => path !== "" && !isMpmPath(path))
    .map((path) => ({ status: "A", path }));
  return history;
}

function gone(head: string | null): History {
  return {
    current_commit: head,
    paused_commit_exists: false,
    is_ancestor: false,
    history_rewritten: true,
    new_commits: [],
    files: [],
  };
}

/**
 * Resolves HEAD and each of `names` to a commit id (null when missing) in one process.
 * Null when there is no git or no repository.
 */
async function resolveObjects(root: string, names: string[]): Promise<(string | null)[] | null> {
  const input = ["HEAD", ...names].map((name) => `${name}^{commit}\n`).join("");
  const out = await runGit(root, ["cat-file", "--batch-check=%(objectname)"], { stdin: input });
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(["cat-file"], out);
  // A missing object is reported as "<name> missing" (or "ambiguous"), never as a bare id.
  return out.stdout.split("\n").slice(0, names.length + 1)
    .map((line) => /^[0-9a-f]{40,64}$/.test(line) ? line : null);
}

function succeeded(args: readonly string[], out: GitOutput | null): string {
  if (out === null) {
    throw gitFailure(args, { code: -1, stdout: "", stderr: "git could not be started" });
  }
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}

interface LoggedCommit extends Commit {
  boundary: boolean;
}

/** Reads `log -z` output of COMMIT_FORMAT (after a %m mark when `marked`). */
function parseCommits(output: string, marked: boolean): LoggedCommit[] {
  const fields = output.split("\0");
  const commits: LoggedCommit[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const first = fields[i];
    const boundary = marked && first.startsWith("-");
    commits.push({
      sha: marked ? first.slice(1) : first,
      author: fields[i + 1],
      date: fields[i + 2],
      subject: fields[i + 3],
      boundary,
    });
  }
  return commits;
}

/** Reads `--name-status -z`: a status, then one path (two for renames and copies). */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split("\0");
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const code = fields[i];
    if (code === "") continue;
    const status = code[0];
    if (status === "R" || status === "C") {
      const from = fields[++i];
      const path = fields[++i];
      if (path !== undefined && !isMpmPath(path)) files.push({ status, path, from });
    } else {
      const path = fields[++i];
      if (path !== undefined && !isMpmPath(path)) files.push({ status, path });
    }
  }
  return files;
}
