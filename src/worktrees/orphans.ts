/**
 * Folders under `.claude/worktrees/` git does not list as worktrees, judged by their own `.git`
 * only and removed by mpm when nothing in them would be lost.
 */
import { errorText } from "../kernel/errors.ts";
import { basename, join } from "../kernel/path.ts";
import { decideOrphan, type OrphanFacts, type Probe, type WorktreeReport } from "./rules.ts";
import { gitIn, isInside, runGit, status } from "./git.ts";
import { lstatQuietly } from "../disk/read/stat.ts";
import { removeEntry, removeTree } from "../disk/files/entries.ts";

/** The main worktree, and the folder mpm runs in (never removed). */
interface Where {
  main: string;
  cwd: string;
}

/** HEAD and ref tips of the orphan's own repository that the main repository holds on no ref. */
async function unreachableCommits(dir: string, main: string): Promise<Probe<string[]>> {
  const head = await gitIn(dir, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
  if (!head.ok) return { ok: false, error: "its HEAD has no commit" };
  const refs = await gitIn(dir, ["for-each-ref", "--format=%(objectname)"]);
  if (!refs.ok) return { ok: false, error: `git for-each-ref failed: ${refs.error}` };
  const tips = [...new Set([head.stdout, ...refs.stdout.split("\n")].map((s) => s.trim()))]
    .filter(Boolean);
  // --single-worktree: other worktrees' HEADs would otherwise count as refs that keep commits.
  const out = await runGit(main, [
    "rev-list",
    "--single-worktree",
    ...tips,
    "--not",
    "--all",
    "--",
  ]);
  if (!out.ok) return { ok: false, error: "has commits the main repository does not have" };
  const lost = out.stdout.split("\n").filter(Boolean);
  return {
    ok: true,
    value: lost.slice(0, 3).map((s) => s.slice(0, 7)).concat(lost.length > 3 ? ["…"] : []),
  };
}

async function orphanFacts(
  path: string,
  real: string,
  info: Deno.FileInfo,
  where: Where,
): Promise<OrphanFacts> {
  const kind = info.isSymlink ? "symlink" : info.isDirectory ? "dir" : "other";
  const facts: OrphanFacts = {
    path,
    kind,
    holdsCwd: isInside(real, where.cwd, true),
    gitEntry: "none",
  };
  if (kind !== "dir") return facts;
  const git = lstatQuietly(join(path, ".git"));
  facts.gitEntry = !git ? "none" : git.isDirectory ? "dir" : git.isFile ? "file" : "other";
  if (facts.gitEntry === "none") {
    try {
      facts.empty = (await Deno.readDir(path)[Symbol.asyncIterator]().next()).done === true;
    } catch { /* unreadable: `empty` stays unknown, so it is kept */ }
  } else if (facts.gitEntry !== "other") {
    facts.status = await status(path, true);
    if (facts.status.ok) facts.unreachable = await unreachableCommits(path, where.main);
  }
  return facts;
}

/** Removes `.claude/worktrees/NAME` only if it is still a real folder right there. */
async function removeOrphan(path: string, realWorktrees: string, recursive: boolean) {
  const info = await Deno.lstat(path);
  const real = await Deno.realPath(path);
  if (!info.isDirectory || info.isSymlink || real !== join(realWorktrees, basename(path))) {
    throw new Error("it changed while mpm was checking it");
  }
  await (recursive ? removeTree(path) : removeEntry(path));
}

/** Judges each unregistered entry of `.claude/worktrees/`, adding what went and what stayed. */
export async function sweepOrphans(
  report: WorktreeReport,
  opts: {
    worktrees: string;
    realWorktrees: string;
    registered: string[];
    where: Where;
    dryRun: boolean;
  },
) {
  const names: string[] = [];
  for await (const item of Deno.readDir(opts.worktrees)) names.push(item.name);
  for (const name of names.sort()) {
    const path = join(opts.worktrees, name);
    const real = join(opts.realWorktrees, name);
    if (opts.registered.some((r) => isInside(real, r, true))) continue;
    const info = lstatQuietly(path);
    if (!info || info.isFile) continue; // a stray file is not a worktree; leave it alone quietly
    const facts = await orphanFacts(path, real, info, opts.where);
    const decision = decideOrphan(facts);
    if (decision.action === "preserve") {
      report.orphans_preserved.push({ path, reason: decision.reason });
      continue;
    }
    try {
      if (!opts.dryRun) await removeOrphan(path, opts.realWorktrees, facts.gitEntry !== "none");
      report.swept.push({ path, reason: decision.reason });
    } catch (error) {
      report.orphans_preserved.push({
        path,
        reason: `could not remove it: ${errorText(error)}`,
      });
    }
  }
}
