/**
 * Prunes agent worktrees under `.claude/worktrees/`: facts from git, decisions by rules.ts, and
 * removal by `git worktree remove` (never --force), orphans by mpm itself.
 */
import { basename, dirname, isAbsolute, join, resolve } from "../kernel/path.ts";
import {
  chooseMainBranch,
  decideRegistered,
  emptyReport,
  type Probe,
  type RegisteredFacts,
  type WorktreeReport,
} from "./rules.ts";
import { isInside, realPathOrNull, runGit, status } from "./git.ts";
import { lstatQuietly } from "../disk/read/stat.ts";
import { sweepOrphans } from "./orphans.ts";

export { renderWorktreeReport } from "./rules.ts";

export interface WorktreeEntry {
  path: string;
  head: string | null;
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: string | false;
  prunable: string | false;
}

/** Parses `git worktree list --porcelain`, NUL- (`-z`) or newline-separated. */
export function parseWorktreeList(text: string, separator: "\0" | "\n"): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const field of text.split(separator)) {
    if (field === "") {
      current = null;
      continue;
    }
    const space = field.indexOf(" ");
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? "" : field.slice(space + 1);
    if (key === "worktree") {
      current = {
        path: value,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
      entries.push(current);
    } else if (!current) continue;
    else if (key === "HEAD") current.head = value;
    else if (key === "branch") current.branch = value;
    else if (key === "bare") current.bare = true;
    else if (key === "detached") current.detached = true;
    else if (key === "locked") current.locked = value;
    else if (key === "prunable") current.prunable = value;
  }
  return entries;
}

/** Refs of the main repository: which exist, each branch's upstream, and where origin/HEAD points. */
async function readRefs(main: string) {
  const out = await runGit(main, [
    "for-each-ref",
    "--format=%(refname)%00%(upstream)%00%(symref)",
    "refs/heads",
    "refs/remotes",
  ]);
  if (!out.ok) return { ok: false as const, error: out.error };
  const upstreams = new Map<string, string>();
  let originHead: string | null = null;
  for (const line of out.stdout.split("\n").filter(Boolean)) {
    const [ref, upstream, symref] = line.split("\0");
    upstreams.set(ref, upstream);
    if (ref === "refs/remotes/origin/HEAD" && symref) originHead = symref;
  }
  return { ok: true as const, upstreams, originHead };
}

type Refs = Awaited<ReturnType<typeof readRefs>>;

async function unmergedCount(
  main: string,
  branchRef: string,
  mainWorktreeBranch: string | null,
  refs: Refs,
): Promise<RegisteredFacts["unmerged"]> {
  if (!refs.ok) return { ok: false, error: refs.error };
  const exists = (ref: string) => refs.upstreams.has(ref);
  const chosen = chooseMainBranch({ mainWorktreeBranch, originHead: refs.originHead }, exists);
  if (!chosen) {
    return {
      ok: false,
      error: "no main branch (main worktree detached; no origin/HEAD, main or master)",
    };
  }
  const upstreamRef = refs.upstreams.get(branchRef) || null;
  const upstream = upstreamRef && exists(upstreamRef) ? upstreamRef : null;
  const not = [chosen.ref, ...(upstream ? [upstream] : [])];
  const out = await runGit(main, ["rev-list", "--count", branchRef, "--not", ...not, "--"]);
  if (!out.ok) return { ok: false, error: out.error };
  const shortUpstream = upstream?.replace(/^refs\/(heads|remotes)\//, "") ?? null;
  return {
    ok: true,
    value: { count: Number(out.stdout.trim()), mainBranch: chosen.name, upstream: shortUpstream },
  };
}

async function refsContaining(main: string, sha: string | null): Promise<Probe<string[]>> {
  if (!sha) return { ok: false, error: "git reported no HEAD commit" };
  const out = await runGit(main, ["for-each-ref", "--format=%(refname)", "--contains", sha]);
  return out.ok
    ? { ok: true, value: out.stdout.split("\n").filter(Boolean) }
    : { ok: false, error: out.error };
}

/** A linked worktree's `.git` must be a file naming an admin folder of this repository. */
async function checkGitLink(path: string, commonDir: string): Promise<Probe<true>> {
  const fail = (error: string) => ({ ok: false as const, error });
  const info = lstatQuietly(join(path, ".git"));
  if (!info?.isFile) return fail("its .git is not a file linking it to this repository");
  const text = await Deno.readTextFile(join(path, ".git")).catch(() => "");
  const match = text.match(/^gitdir: (.+?)\r?\n?$/);
  const target = match && await realPathOrNull(resolve(path, match[1]));
  const admin = await realPathOrNull(join(commonDir, "worktrees"));
  if (!target || !admin || dirname(target) !== admin) {
    return fail("its .git file does not link it to this repository");
  }
  return { ok: true, value: true };
}

interface Context {
  main: string;
  commonDir: string;
  cwd: string;
  mainBranch: string | null;
  refs: () => Promise<Refs>;
  /** Worktrees an interrupted `mpm branch --worktree` may have left (pendingBranches). */
  pending: string[];
}

/** Whether the worktree's own state has a frame linking it to a parent (unreadable: no). */
function holdsMpmLink(dir: string): boolean {
  try {
    const state = JSON.parse(Deno.readTextFileSync(join(dir, ".claude-mpm", "state.json")));
    return Array.isArray(state?.stack) &&
      state.stack.some((f: unknown) => typeof f === "object" && f !== null && "worktree" in f);
  } catch {
    return false;
  }
}

/** The worktrees the main state lists as `pending` (a killed `--worktree` branch). */
function pendingBranches(main: string): string[] {
  try {
    const state = JSON.parse(Deno.readTextFileSync(join(main, ".claude-mpm", "state.json")));
    const list: unknown[] = Array.isArray(state?.worktrees) ? state.worktrees : [];
    return list.flatMap((w) =>
      typeof w === "object" && w !== null && (w as Record<string, unknown>).pending === true &&
        typeof (w as Record<string, unknown>).path === "string"
        ? [(w as Record<string, string>).path]
        : []
    );
  } catch {
    return [];
  }
}

async function registeredFacts(entry: WorktreeEntry, ctx: Context): Promise<RegisteredFacts> {
  const real = await realPathOrNull(entry.path);
  const linked = real !== null && holdsMpmLink(real);
  const facts: RegisteredFacts = {
    path: entry.path,
    branch: entry.branch?.replace(/^refs\/heads\//, "") ?? null,
    head: entry.head,
    locked: entry.locked,
    prunable: entry.prunable,
    missing: real === null,
    holdsCwd: real !== null && isInside(real, ctx.cwd, true),
    holdsMpmLink: linked,
    interruptedBranch: !linked && ctx.pending.some((p) => p === entry.path || p === real),
    gitLink: { ok: false, error: "not checked" },
  };
  if (
    facts.missing || facts.prunable !== false || facts.locked !== false || facts.holdsCwd ||
    facts.holdsMpmLink
  ) {
    return facts;
  }
  facts.gitLink = await checkGitLink(entry.path, ctx.commonDir);
  if (!facts.gitLink.ok) return facts;
  facts.status = await status(entry.path, false);
  if (entry.branch) {
    facts.unmerged = await unmergedCount(ctx.main, entry.branch, ctx.mainBranch, await ctx.refs());
  } else {
    facts.reachableFrom = await refsContaining(ctx.main, entry.head);
  }
  return facts;
}

/** git's list of the worktrees of the repository holding `dir`, the main one first. */
export async function listWorktrees(
  dir: string,
): Promise<{ ok: true; entries: WorktreeEntry[] } | { ok: false; error: string }> {
  let listed = await runGit(dir, ["worktree", "list", "--porcelain", "-z"]);
  let separator: "\0" | "\n" = "\0";
  if (!listed.ok && /usage|unknown switch/i.test(listed.error)) {
    // git before 2.36 has no -z; a path with a newline then fails to match and is kept.
    listed = await runGit(dir, ["worktree", "list", "--porcelain"]);
    separator = "\n";
  }
  return listed.ok
    ? { ok: true, entries: parseWorktreeList(listed.stdout, separator) }
    : { ok: false, error: listed.error };
}

/** Where the main worktree and its `.claude/worktrees` are, and git's list of worktrees. */
async function locate(repoRoot: string) {
  const where = await runGit(repoRoot, ["rev-parse", "--git-common-dir", "--show-toplevel"]);
  if (!where.ok) return null;
  const commonDir = resolve(repoRoot, where.stdout.split("\n")[0]);
  const listed = await listWorktrees(repoRoot);
  const entries = listed.ok ? listed.entries : [];
  if (entries[0]?.bare) return null;
  const main = entries[0]?.path ?? (basename(commonDir) === ".git" ? dirname(commonDir) : null);
  if (!main) return null;
  const worktrees = join(main, ".claude", "worktrees");
  if (!lstatQuietly(worktrees)?.isDirectory) return null;
  return { main, commonDir, worktrees, entries, listError: listed.ok ? null : listed.error };
}

/** Prunes agent worktrees of the repository holding `repoRoot` (not it); `dryRun`: no change. */
export async function pruneWorktrees(
  repoRoot: string,
  options: { dryRun?: boolean } = {},
): Promise<WorktreeReport> {
  const report = emptyReport();
  const found = await locate(repoRoot);
  if (!found) return report;
  const { main, commonDir, worktrees, entries, listError } = found;
  if (listError) {
    report.orphan_sweep_skipped = `git worktree list failed (${listError})`;
    return report;
  }
  const realWorktrees = await Deno.realPath(worktrees);
  if (realWorktrees !== join(await Deno.realPath(main), ".claude", "worktrees")) {
    report.orphan_sweep_skipped =
      ".claude/worktrees leads elsewhere through a symbolic link; nothing was pruned";
    return report;
  }
  const linked = entries.slice(1).filter((e) => isAbsolute(e.path));
  const reals = await Promise.all(linked.map((e) => realPathOrNull(e.path)));
  const registered = reals.map((real, i) => real ?? resolve(linked[i].path));
  const holder = linked.find((_, i) => isInside(registered[i], realWorktrees, true));
  if (holder) {
    report.orphan_sweep_skipped = `${holder.path} is a worktree holding .claude/worktrees`;
    return report;
  }
  const ctx: Context = {
    main,
    commonDir,
    cwd: (await realPathOrNull(repoRoot)) ?? resolve(repoRoot),
    mainBranch: entries[0].branch,
    refs: once(() => readRefs(main)),
    pending: pendingBranches(main),
  };
  for (const [i, entry] of linked.entries()) {
    // An existing worktree counts by its real place (no link leads removal out), else git's path.
    const real = reals[i];
    const agent = real
      ? isInside(realWorktrees, real)
      : isInside(worktrees, entry.path) || isInside(realWorktrees, entry.path);
    if (!agent) continue;
    const decision = decideRegistered(await registeredFacts(entry, ctx));
    const removed = decision.action === "preserve" || options.dryRun
      ? { ok: true, error: "" }
      : await runGit(main, ["worktree", "remove", entry.path]);
    if (decision.action === "preserve") {
      report.preserved.push({ path: entry.path, reason: decision.reason });
    } else if (!removed.ok) {
      const reason = `git worktree remove refused: ${removed.error}`;
      report.preserved.push({ path: entry.path, reason });
    } else {
      const branch = entry.branch?.replace(/^refs\/heads\//, "") ?? null;
      report.pruned.push({ path: entry.path, branch, reason: decision.reason });
    }
  }
  const where = { main, cwd: ctx.cwd };
  const sweep = { worktrees, realWorktrees, registered, where, dryRun: !!options.dryRun };
  await sweepOrphans(report, sweep);
  return report;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
