/**
 * git and the file system as the worktree pruning rules read them: every probe answers ok with
 * a value, or one line of why not, so a failure keeps a worktree instead of throwing.
 */
import { errorText } from "../kernel/errors.ts";
import { dirname, isAbsolute, join, relative, sep } from "../kernel/path.ts";
import type { Probe, StatusCounts } from "./rules.ts";
import { runGit as runSharedGit } from "../git/run/run.ts";

export interface GitOut {
  ok: boolean;
  stdout: string;
  error: string;
}

/** The shared runner, in the shape the pruning rules read: ok, output, or one line of why not. */
export async function runGit(cwd: string, args: string[], env: Record<string, string> = {}) {
  let out;
  try {
    out = await runSharedGit(cwd, args, { env });
  } catch (error) {
    return { ok: false, stdout: "", error: `could not run git: ${errorText(error)}` };
  }
  if (out === null) return { ok: false, stdout: "", error: "could not run git" } satisfies GitOut;
  const ok = out.code === 0;
  const last = out.stderr.trim().split("\n").at(-1) ?? "";
  return {
    ok,
    stdout: out.stdout,
    error: ok ? "" : last || `git ${args[0]} exited with code ${out.code}`,
  } satisfies GitOut;
}

/** Runs git on the checkout at `dir` only: its `.git` named, a ceiling against walking up. */
export function gitIn(dir: string, args: string[]): Promise<GitOut> {
  return runGit(dir, args, {
    GIT_DIR: join(dir, ".git"),
    GIT_WORK_TREE: dir,
    GIT_CEILING_DIRECTORIES: dirname(dir),
  });
}

/** Whether `path` lies under `root` (or is `root`, with `orEqual`), by path alone. */
export function isInside(root: string, path: string, orEqual = false): boolean {
  const rel = relative(root, path);
  if (rel === "") return orEqual;
  // Another Windows drive gives an absolute `rel` (`D:\x`), which is not inside either.
  return !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

export async function realPathOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch {
    return null;
  }
}

/** Counts porcelain v2 `-z` entries; a rename's second NUL-separated field is its origin. */
export function countStatus(text: string): StatusCounts {
  const counts = { changed: 0, untracked: 0, ignored: 0 };
  const fields = text.split("\0");
  for (let i = 0; i < fields.length; i++) {
    const kind = fields[i][0];
    if (kind === "1" || kind === "u") counts.changed++;
    else if (kind === "2") {
      counts.changed++;
      i++;
    } else if (kind === "?") counts.untracked++;
    else if (kind === "!") counts.ignored++;
  }
  return counts;
}

/** How many changed, untracked (and, asked for, ignored) entries the checkout at `dir` holds. */
export async function status(dir: string, withIgnored: boolean): Promise<Probe<StatusCounts>> {
  const out = await gitIn(dir, [
    "-c",
    "core.fsmonitor=false",
    "status",
    "--porcelain=v2",
    "-z",
    "--untracked-files=normal",
    "--ignore-submodules=none",
    ...(withIgnored ? ["--ignored=matching"] : []),
  ]);
  return out.ok ? { ok: true, value: countStatus(out.stdout) } : { ok: false, error: out.error };
}
