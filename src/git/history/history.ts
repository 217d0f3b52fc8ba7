/**
 * What happened to the repository since a pause, in two git processes at once (`log
 * --left-right --cherry-mark HEAD...paused`, whose `=` marks a rebase's copies, and `diff-tree
 * --raw paused HEAD` for the net change) and a third only where `.claude-mpm/` was touched.
 */
import { isMpmPath, MPM_DIR } from "../tree/porcelain.ts";
import { gitFailure, type GitOutput, isNotRepo, runGit } from "../run/run.ts";

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
  /** Whether this clone has the paused commit at all (a pause made elsewhere may not be here). */
  paused_commit_exists: boolean;
  /** Whether the paused commit is HEAD or an ancestor; true when none was paused. */
  is_ancestor: boolean;
  /** HEAD's history holds a copy of the paused commit (same patch-id), not the commit. */
  paused_commit_replayed: boolean;
  /** The paused commit is here but neither in HEAD's history nor copied; false when missing. */
  history_rewritten: boolean;
  /** New commits, oldest first: in HEAD's history since the paused commit, copies left out. */
  new_commits: Commit[];
  /** Commits in HEAD's history since the fork that copy a paused-side commit, oldest first. */
  replayed_commits: Commit[];
  /** The net change from the paused commit to HEAD (mpm's own folder left out). */
  files: ChangedFile[];
}

/** A commit as `log -z` prints it for parseCommits: id, author, date, subject. */
export const COMMIT_FORMAT = "%H%x00%an%x00%aI%x00%s";
/** A side mark, then the commit and its parents, then COMMIT_FORMAT's fields after the id. */
const FORK_FORMAT = "%m%H%x00%P%x00%an%x00%aI%x00%s";
const LOG = ["log", "-z", "--no-show-signature", "--encoding=UTF-8"];
// Only hex object names reach git's command line: no snapshot can pass an option.
const OBJECT_NAME = /^[0-9a-f]{4,64}$/i;
const FULL_OBJECT_NAME = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** The history since `pausedCommit` (null: none at pause); null without git or a repository. */
export async function readHistorySince(
  root: string,
  pausedCommit: string | null,
): Promise<History | null> {
  return (await readHistoryAndHead(root, pausedCommit))?.history ?? null;
}

/** readHistorySince with what HEAD holds at every changed path (`headAt`). */
export async function readHistoryAndHead(
  root: string,
  pausedCommit: string | null,
): Promise<{ history: History; headAt: Map<string, HeadEntry | null> | null } | null> {
  if (pausedCommit !== null && !OBJECT_NAME.test(pausedCommit)) {
    const head = await resolveObjects(root, []);
    return head === null ? null : { history: gone(head[0]), headAt: null };
  }
  if (pausedCommit === null) {
    const history = await historyFromStart(root);
    return history && { history, headAt: null };
  }
  const range = `${pausedCommit}..HEAD`;
  const logArgs = [
    ...LOG,
    "--left-right",
    "--cherry-mark",
    "--date-order",
    `--format=${FORK_FORMAT}`,
    `HEAD...${pausedCommit}`,
  ];
  const diffArgs = ["diff-tree", "-r", "-z", "-M", "--raw", pausedCommit, "HEAD", "--"];
  // Only a full id is what the log lists it as; an abbreviated one is resolved beside the log.
  const full = FULL_OBJECT_NAME.test(pausedCommit);
  const [log, diff, resolved] = await Promise.all([
    runGit(root, [...logArgs, "--"]),
    runGit(root, diffArgs),
    full ? undefined : resolveObjects(root, [pausedCommit]),
  ]);
  const listed = full && log?.code === 0 ? readFork(log.stdout, pausedCommit) : undefined;
  const objects = resolved !== undefined
    ? resolved
    : listed?.head !== undefined
    ? [listed.head, pausedCommit]
    : await resolveObjects(root, [pausedCommit]);
  if (objects === null) return null;
  const [head, paused] = objects;
  if (paused === null) return { history: gone(head), headAt: null };
  if (head === null) {
    const history = { ...gone(null), paused_commit_exists: true, history_rewritten: true };
    return { history, headAt: null };
  }
  const fork = listed !== undefined && paused === pausedCommit
    ? listed
    : readFork(succeeded(logArgs, log), paused);
  const isAncestor = fork.pausedSide.length === 0;
  const replayed = fork.pausedSide.some((c) => c.sha === paused && c.same);
  const strip = ({ same: _, parents: __, ...c }: ForkCommit): Commit => c;
  const { files, headAt, touchesMpm } = parseRawDiff(succeeded(diffArgs, diff));
  const mpmOnly = touchesMpm ? await commitsTouchingOnlyMpm(root, range) : new Set<string>();
  const ours = fork.headSide.filter((c) => !mpmOnly.has(c.sha)).reverse();
  const history: History = {
    current_commit: head,
    paused_commit_exists: true,
    is_ancestor: isAncestor,
    paused_commit_replayed: replayed,
    history_rewritten: !isAncestor && !replayed,
    new_commits: ours.filter((c) => !c.same).map(strip),
    replayed_commits: ours.filter((c) => c.same).map(strip),
    files,
  };
  return { history, headAt };
}

/** The fork as `log -z` lists it, sorted into its sides, with HEAD's id when it tells it. */
export function readFork(output: string, paused: string): Fork {
  const commits = parseForkLog(output);
  const fork = splitFork(commits, paused);
  const named = fork.pausedSide.length > 0 || commits.every((c) => c.side === "head");
  if (!named) return fork;
  return { ...fork, head: fork.headSide[0]?.sha ?? (commits.length === 0 ? paused : undefined) };
}

export interface Fork {
  /** Commits HEAD reaches and the paused commit does not, newest first. */
  headSide: ForkCommit[];
  /** Commits the paused commit reaches and HEAD does not, newest first. */
  pausedSide: ForkCommit[];
  /** HEAD's id, when the listing tells it. */
  head?: string;
}

export interface ForkCommit extends Commit {
  parents: string[];
  /** Marked `=`: the other side of the fork holds a commit with the same patch. */
  same: boolean;
  /** Marked `<` (HEAD's side) or `>` (the paused side); undefined for `=`. */
  side?: "head" | "paused";
}

/** Reads `log -z` output of FORK_FORMAT, newest first. */
function parseForkLog(output: string): ForkCommit[] {
  const fields = output.split("\0");
  const commits: ForkCommit[] = [];
  for (let i = 0; i + 4 < fields.length; i += 5) {
    const mark = fields[i][0];
    commits.push({
      sha: fields[i].slice(1),
      parents: fields[i + 1].split(" ").filter(Boolean),
      author: fields[i + 2],
      date: fields[i + 3],
      subject: fields[i + 4],
      same: mark === "=",
      side: mark === "<" ? "head" : mark === ">" ? "paused" : undefined,
    });
  }
  return commits;
}

/** Sorts the fork into its sides, `=` commits by a walk down from the paused one. */
function splitFork(commits: ForkCommit[], paused: string): Fork {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const onPausedSide = new Set<string>();
  const todo = bySha.has(paused) ? [paused] : [];
  while (todo.length > 0) {
    const sha = todo.pop()!;
    if (onPausedSide.has(sha)) continue;
    onPausedSide.add(sha);
    for (const parent of bySha.get(sha)?.parents ?? []) {
      if (bySha.has(parent) && !onPausedSide.has(parent)) todo.push(parent);
    }
  }
  return {
    headSide: commits.filter((c) => !onPausedSide.has(c.sha)),
    pausedSide: commits.filter((c) => onPausedSide.has(c.sha)),
  };
}

/** Whether `branch` (or its remote-tracking copies) still holds `commit`; undefined: unknown. */
export async function branchHolds(
  root: string,
  branch: string,
  commit: string,
): Promise<boolean | undefined> {
  if (!OBJECT_NAME.test(commit) || branch.startsWith("-")) return undefined;
  const local = await isAncestor(root, commit, `refs/heads/${branch}`);
  if (local !== undefined) return local;
  // `*` in for-each-ref's pattern crosses slashes: only `refs/remotes/<remote>/<branch>` counts.
  const out = await runGit(root, [
    "for-each-ref",
    "--format=%(refname)",
    `refs/remotes/*/${branch}`,
  ]);
  const copies = out?.code === 0
    ? out.stdout.split("\n").filter((ref) =>
      ref.endsWith(`/${branch}`) &&
      !ref.slice("refs/remotes/".length, -branch.length - 1).includes("/")
    )
    : [];
  let answer: boolean | undefined;
  for (const ref of copies) {
    const holds = await isAncestor(root, commit, ref);
    if (holds) return true;
    answer ??= holds;
  }
  return answer;
}

/** `git merge-base --is-ancestor`: true, false, or undefined when a ref is missing or git fails. */
async function isAncestor(root: string, commit: string, ref: string): Promise<boolean | undefined> {
  const out = await runGit(root, ["merge-base", "--is-ancestor", commit, ref]);
  if (out === null) return undefined;
  if (out.code === 0) return true;
  return out.code === 1 ? false : undefined;
}

/** Commits of `range` changing only `.claude-mpm/` (a rev-list, then one `diff-tree --stdin`). */
async function commitsTouchingOnlyMpm(root: string, range: string): Promise<Set<string>> {
  const mpm = await runGit(root, ["rev-list", "--no-merges", range, "--", MPM_DIR]);
  if (mpm?.code !== 0) return new Set();
  const shas = mpm.stdout.split("\n").filter(Boolean);
  if (shas.length === 0) return new Set();
  const args = ["diff-tree", "--stdin", "-r", "-z", "--name-only", "--root"];
  const out = await runGit(root, args, { stdin: shas.join("\n") + "\n" });
  if (out?.code !== 0) return new Set();
  // "<sha>\0<path>\0<path>\0<sha>\0…": each commit's id, then the paths it changes.
  const wanted = new Set(shas);
  const only = new Set<string>();
  let current: string | undefined;
  for (const field of out.stdout.split("\0")) {
    if (wanted.has(field)) {
      current = field;
      only.add(field);
    } else if (current !== undefined && field !== "" && !isMpmPath(field)) only.delete(current);
  }
  return only;
}

/** The last `count` commits of HEAD, newest first; [] without commits, null without a repo. */
export async function recentCommits(root: string, count: number): Promise<Commit[] | null> {
  const args = [...LOG, `-n${Math.max(0, Math.floor(count))}`, `--format=${COMMIT_FORMAT}`];
  const log = await runGit(root, [...args, "HEAD", "--"]);
  if (log?.code === 0) return parseCommits(log.stdout);
  // The log fails without a commit as without a repository: cat-file tells which.
  const objects = await resolveObjects(root, []);
  if (objects === null) return null;
  if (objects[0] === null) return [];
  return parseCommits(succeeded(args, log));
}

/** Everything is new when the pause came before the first commit. */
async function historyFromStart(root: string): Promise<History | null> {
  const logArgs = [...LOG, "--date-order", `--format=${COMMIT_FORMAT}`, "HEAD", "--"];
  const treeArgs = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD"];
  const [log, tree] = await Promise.all([runGit(root, logArgs), runGit(root, treeArgs)]);
  const commits = log?.code === 0 ? parseCommits(log.stdout) : [];
  const objects = commits.length > 0 ? [commits[0].sha] : await resolveObjects(root, []);
  if (objects === null) return null;
  const head = objects[0];
  const history = unmovedHistory(head, false);
  if (head === null) return history;
  history.new_commits = (commits.length > 0 ? commits : parseCommits(succeeded(logArgs, log)))
    .reverse();
  history.files = succeeded(treeArgs, tree).split("\0")
    .filter((path) => path !== "" && !isMpmPath(path))
    .map((path) => ({ status: "A", path }));
  return history;
}

/** The paused commit is not in this clone: nothing can be said about what came after it. */
function gone(head: string | null): History {
  return { ...unmovedHistory(head, false), is_ancestor: false };
}

/** HEAD and `names` resolved in one process; null without git. */
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

/** Reads `log -z` output of COMMIT_FORMAT. */
export function parseCommits(output: string): Commit[] {
  const fields = output.split("\0");
  const commits: Commit[] = [];
  for (let i = 0; i + 3 < fields.length; i += 4) {
    commits.push({
      sha: fields[i],
      author: fields[i + 1],
      date: fields[i + 2],
      subject: fields[i + 3],
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

/** What a commit holds at a path: a blob (file or link), a commit (submodule) or a tree. */
export interface HeadEntry {
  /** "" for a tree: a folder's id is not read. */
  oid: string;
  type: "blob" | "commit" | "tree";
}

/** Reads `diff-tree -r -z --raw`: files, the second commit's entries, `.claude-mpm/` touched. */
export function parseRawDiff(
  output: string,
): { files: ChangedFile[]; headAt: Map<string, HeadEntry | null>; touchesMpm: boolean } {
  const fields = output.split("\0");
  const files: ChangedFile[] = [];
  let touchesMpm = false;
  const held = new Map<string, HeadEntry>();
  const removed: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    // ":<old mode> <new mode> <old id> <new id> <status>", then one path (two for R and C).
    const meta = fields[i].match(/^:[0-7]+ ([0-7]+) [0-9a-f]+ ([0-9a-f]+) ([A-Z])/);
    if (!meta) continue;
    const [, mode, oid, status] = meta;
    const from = status === "R" || status === "C" ? fields[++i] : undefined;
    const path = fields[++i];
    if (path === undefined || (from === undefined && (status === "R" || status === "C"))) break;
    if (status === "D") removed.push(path);
    else held.set(path, { oid, type: mode === "160000" ? "commit" : "blob" });
    if (status === "R") removed.push(from!);
    if (!isMpmPath(path)) {
      files.push(from === undefined ? { status, path } : { status, path, from });
    }
    if (isMpmPath(path) || (from !== undefined && isMpmPath(from))) touchesMpm = true;
  }
  const headAt = new Map<string, HeadEntry | null>(removed.map((path) => [path, null]));
  for (const [path, entry] of held) {
    headAt.set(path, entry);
    for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
      const folder = path.slice(0, cut);
      if (headAt.get(folder) === null) headAt.set(folder, { oid: "", type: "tree" });
    }
  }
  return { files, headAt, touchesMpm };
}

/** History where nothing happened since `current` (yet): no commits, no files, no rewrite. */
export function unmovedHistory(current: string | null, pausedCommitExists: boolean): History {
  return {
    current_commit: current,
    paused_commit_exists: pausedCommitExists,
    is_ancestor: true,
    paused_commit_replayed: false,
    history_rewritten: false,
    new_commits: [],
    replayed_commits: [],
    files: [],
  };
}
