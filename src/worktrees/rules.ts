/**
 * Which agent worktrees may go, from prune.ts's facts: claude-mpm's rules without its two
 * data-losing bugs (an unreachable detached HEAD is kept; a folder is judged by its own `.git`).
 * Anything unknown or failed keeps the worktree.
 */

/** A fact a git command established, or why it could not. */
export type Probe<T> = { ok: true; value: T } | { ok: false; error: string };

export interface StatusCounts {
  /** Staged, unstaged and conflicted entries. */
  changed: number;
  untracked: number;
  /** Counted only for orphans, which are deleted by mpm rather than by git. */
  ignored: number;
}

export interface RegisteredFacts {
  path: string;
  /** Short branch name, or null on a detached HEAD. */
  branch: string | null;
  head: string | null;
  locked: string | false;
  /** git's reason for calling it prunable, or false. */
  prunable: string | false;
  missing: boolean;
  /** The folder mpm runs in is inside this worktree. */
  holdsCwd: boolean;
  /** Its `.claude-mpm/` links it to a parent tree (`mpm branch --worktree`): its return removes it. */
  holdsMpmLink?: boolean;
  /** The main state says `--worktree` was making it and no session was recorded: interrupted. */
  interruptedBranch?: boolean;
  /** Its `.git` points into this repository's worktree admin folder (else why not). */
  gitLink: Probe<true>;
  status?: Probe<StatusCounts>;
  /** Branch only: commits on it that neither the main branch nor its upstream have. */
  unmerged?: Probe<{ count: number; mainBranch: string; upstream: string | null }>;
  /** Detached only: refs of the main repository whose history holds the HEAD commit. */
  reachableFrom?: Probe<string[]>;
}

export interface OrphanFacts {
  path: string;
  kind: "dir" | "symlink" | "other";
  holdsCwd: boolean;
  /** For a folder without `.git`: whether it has no entries at all. */
  empty?: boolean;
  /** `dir` or `file` when the folder has its own `.git`; `other` is a symlink or worse. */
  gitEntry: "none" | "dir" | "file" | "other";
  status?: Probe<StatusCounts>;
  /** HEAD and ref tips of its own repository that no ref of the main repository holds. */
  unreachable?: Probe<string[]>;
}

export type Decision =
  | { action: "remove"; reason: string }
  | { action: "preserve"; reason: string };

export interface WorktreeReport {
  pruned: { path: string; branch: string | null; reason: string }[];
  preserved: { path: string; reason: string }[];
  swept: { path: string; reason: string }[];
  orphans_preserved: { path: string; reason: string }[];
  orphan_sweep_skipped?: string;
}

export function emptyReport(): WorktreeReport {
  return { pruned: [], preserved: [], swept: [], orphans_preserved: [] };
}

const keep = (reason: string): Decision => ({ action: "preserve", reason });
const short = (sha: string | null) => (sha ?? "unknown").slice(0, 7);
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

function statusProblem(status: Probe<StatusCounts> | undefined): string | undefined {
  if (!status) return "its status was not checked";
  if (!status.ok) return `git status failed: ${status.error}`;
  if (status.value.changed > 0) {
    return `has uncommitted changes (${plural(status.value.changed, "file")})`;
  }
  if (status.value.untracked > 0) {
    return `has untracked files (${plural(status.value.untracked, "entry", "entries")})`;
  }
  return undefined;
}

/** A registered worktree goes only when clean, unlocked, and its commits are safe elsewhere. */
export function decideRegistered(facts: RegisteredFacts): Decision {
  const decision = judgeRegistered(facts);
  if (!facts.interruptedBranch) return decision;
  const name = facts.path.split(/[\\/]/).filter(Boolean).at(-1) ?? facts.path;
  const left = "an interrupted `mpm branch --worktree` left it with no session";
  return decision.action === "remove"
    ? {
      action: "remove",
      reason: `${left}; ${decision.reason}: run \`mpm branch ${name} --worktree\` again`,
    }
    : keep(
      `${left}; ${decision.reason}; once its work is safe, \`mpm worktrees prune\` removes it`,
    );
}

function judgeRegistered(facts: RegisteredFacts): Decision {
  if (facts.missing) {
    return keep("its folder is missing; `git worktree prune` cleans up such entries");
  }
  if (facts.prunable !== false) {
    return keep(`git calls it prunable${facts.prunable ? ` (${facts.prunable})` : ""}`);
  }
  if (facts.locked !== false) {
    return keep(`locked by git${facts.locked ? ` (${facts.locked})` : ""}`);
  }
  if (facts.holdsCwd) return keep("mpm is running inside it");
  if (facts.holdsMpmLink) {
    return keep("it holds urgent work `mpm branch --worktree` made; `mpm return` there removes it");
  }
  if (!facts.gitLink.ok) return keep(facts.gitLink.error);
  const dirty = statusProblem(facts.status);
  if (dirty) return keep(dirty);
  if (facts.branch === null) {
    const refs = facts.reachableFrom;
    if (!refs) return keep("whether its detached HEAD is on a ref was not checked");
    if (!refs.ok) return keep(`could not tell which refs hold its HEAD: ${refs.error}`);
    if (refs.value.length === 0) {
      return keep(`detached HEAD at ${short(facts.head)} is reachable from no branch or tag`);
    }
    return {
      action: "remove",
      reason: `clean; detached HEAD ${short(facts.head)} is on ${refs.value[0]}`,
    };
  }
  const unmerged = facts.unmerged;
  if (!unmerged) return keep("whether its branch is merged was not checked");
  if (!unmerged.ok) return keep(`could not tell whether its branch is merged: ${unmerged.error}`);
  const { count, mainBranch, upstream } = unmerged.value;
  if (count > 0) {
    const pushed = upstream ? ` or pushed to ${upstream}` : " and it has no upstream";
    return keep(
      `branch has ${plural(count, "commit")} not merged into ${mainBranch}${pushed}`,
    );
  }
  return {
    action: "remove",
    reason: `clean; branch ${facts.branch} is merged into ${mainBranch}${
      upstream ? ` or pushed to ${upstream}` : ""
    }`,
  };
}

/** An unregistered folder mpm deletes must be empty, or a clean checkout the main repo holds. */
export function decideOrphan(facts: OrphanFacts): Decision {
  if (facts.kind === "symlink") return keep("is a symbolic link; mpm never follows it");
  if (facts.kind !== "dir") return keep("is not a folder");
  if (facts.holdsCwd) return keep("mpm is running inside it");
  if (facts.gitEntry === "none") {
    if (facts.empty === true) return { action: "remove", reason: "empty folder" };
    if (facts.empty === false) return keep("plain folder with files (not a git checkout)");
    return keep("could not read the folder");
  }
  if (facts.gitEntry === "other") return keep("its .git is neither a folder nor a file");
  const dirty = statusProblem(facts.status);
  if (dirty) return keep(dirty);
  if (facts.status?.ok && facts.status.value.ignored > 0) {
    return keep(`has ignored files (${plural(facts.status.value.ignored, "entry", "entries")})`);
  }
  const lost = facts.unreachable;
  if (!lost) return keep("whether its commits are in the main repository was not checked");
  if (!lost.ok) return keep(lost.error);
  if (lost.value.length > 0) {
    return keep(`has commits on no ref of the main repository: ${lost.value.join(", ")}`);
  }
  return {
    action: "remove",
    reason: "clean checkout whose commits are all in the main repository",
  };
}

/** The main branch commits must be merged into (full ref names: no tag can pass for it). */
export function chooseMainBranch(
  candidates: { mainWorktreeBranch: string | null; originHead: string | null },
  refExists: (ref: string) => boolean,
): { name: string; ref: string } | null {
  if (candidates.mainWorktreeBranch) {
    return {
      name: candidates.mainWorktreeBranch.replace(/^refs\/heads\//, ""),
      ref: candidates.mainWorktreeBranch,
    };
  }
  if (candidates.originHead && refExists(candidates.originHead)) {
    return {
      name: candidates.originHead.replace(/^refs\/remotes\//, ""),
      ref: candidates.originHead,
    };
  }
  for (const name of ["main", "master"]) {
    if (refExists(`refs/heads/${name}`)) return { name, ref: `refs/heads/${name}` };
  }
  return null;
}

/** The "Worktree Cleanup:" block; empty text when there was nothing under .claude/worktrees. */
export function renderWorktreeReport(report: WorktreeReport, options: { dryRun?: boolean } = {}) {
  const { pruned, preserved, swept, orphans_preserved: kept } = report;
  const skipped = report.orphan_sweep_skipped;
  if (!pruned.length && !preserved.length && !swept.length && !kept.length && !skipped) return "";
  const would = options.dryRun ? "Would prune" : "Pruned";
  const lines = ["Worktree Cleanup:"];
  if (pruned.length) {
    lines.push(`  ${would} ${plural(pruned.length, "stale worktree")}`);
    for (const p of pruned) {
      lines.push(`    ${p.path}${p.branch ? ` [${p.branch}]` : ""}: ${p.reason}`);
    }
  }
  if (preserved.length) {
    lines.push(`  Preserved ${plural(preserved.length, "worktree")}`);
    for (const p of preserved) lines.push(`    ${p.path}: ${p.reason}`);
  }
  if (swept.length) {
    const verb = options.dryRun ? "Would sweep" : "Swept";
    lines.push(`  ${verb} ${plural(swept.length, "orphaned folder")}`);
    for (const s of swept) lines.push(`    ${s.path}: ${s.reason}`);
  }
  if (kept.length) {
    lines.push(`  Preserved ${plural(kept.length, "orphaned folder")}`);
    for (const o of kept) lines.push(`    ${o.path}: ${o.reason}`);
  }
  if (skipped) lines.push(`  Orphan sweep skipped: ${skipped}`);
  return lines.join("\n") + "\n";
}
