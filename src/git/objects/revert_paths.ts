/**
 * Putting chosen paths back to given contents, in the index and on disk (untracked ones on disk
 * only). What they held is first kept in a stash built by hand as `git stash push` shapes one, so
 * applying it undoes the revert and nothing replaced is lost.
 */
import { join } from "../../kernel/path.ts";
import { gitMissing, MpmError } from "../../kernel/errors.ts";
import { gitFailure, type GitOutput, runGit } from "../run/run.ts";
import type { TreeEntryOf } from "./work_capture.ts";

const MPM_IDENTITY = {
  GIT_AUTHOR_NAME: "mpm",
  GIT_AUTHOR_EMAIL: "mpm@localhost",
  GIT_COMMITTER_NAME: "mpm",
  GIT_COMMITTER_EMAIL: "mpm@localhost",
};

type GitEnv = Record<string, string>;

async function gitOk(
  root: string,
  args: readonly string[],
  options: { stdin?: string; env?: GitEnv } = {},
): Promise<string> {
  const out: GitOutput | null = await runGit(root, args, options);
  if (out === null) throw gitMissing();
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}

/** A fresh private index file, removed after `use`. */
async function withIndex<T>(use: (env: GitEnv) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "mpm-index-" });
  try {
    return await use({ GIT_INDEX_FILE: join(dir, "index") });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

export interface PathTarget {
  path: string;
  /** The content to put back; null removes the path. */
  entry: TreeEntryOf | null;
}

const nul = (paths: readonly string[]) => paths.map((p) => `${p}\0`).join("");

function indexInfo(targets: readonly PathTarget[], zeros: string): string {
  return targets.map(({ path, entry }) =>
    entry === null ? `0 ${zeros}\t${path}\0` : `${entry.mode} ${entry.blob}\t${path}\0`
  ).join("");
}

/** Which of `paths` a listing names (ls-files: the index; ls-tree: HEAD), 200 per git call. */
async function listed(root: string, listing: string[], paths: readonly string[]) {
  const found = new Set<string>();
  for (let i = 0; i < paths.length; i += 200) {
    const out = await gitOk(root, [
      "--literal-pathspecs",
      ...listing,
      "--",
      ...paths.slice(i, i + 200),
    ]);
    for (const path of out.split("\0")) if (path) found.add(path);
  }
  return found;
}

async function present(root: string, path: string): Promise<boolean> {
  try {
    const info = await Deno.lstat(join(root, path));
    return info.isFile || info.isSymlink;
  } catch {
    return false;
  }
}

export interface Reverted {
  /** The stash that keeps what the paths held: its commit (`stash@{0}` when it was made). */
  stash: string;
  /** The paths put back on disk only, untracked as they were. */
  untracked: string[];
  /** The paths whose index entry the revert changed (set back from the stash's index). */
  indexed: string[];
}

/** Restores each target after keeping what the paths hold now in a stash named `message`. */
export async function revertPaths(
  root: string,
  targets: readonly PathTarget[],
  message: string,
): Promise<Reverted> {
  const head = (await runGit(root, ["rev-parse", "-q", "--verify", "HEAD^{commit}"]))?.stdout
    .trim();
  if (!head) {
    throw new MpmError(
      "This repository has no commit yet, and a stash needs one.",
      "Make a first commit, then run it again.",
    );
  }
  const before = await runGit(root, ["write-tree"]);
  if (before === null) throw gitMissing();
  if (before.code !== 0) {
    throw new MpmError(
      "The index has unresolved conflicts, so mpm revert will not touch it.",
      "Finish or abort the merge (`git status` says how), then run it again.",
    );
  }
  const indexTree = before.stdout.trim();
  const zeros = "0".repeat(head.length);
  const branch = (await runGit(root, ["symbolic-ref", "-q", "--short", "HEAD"]))?.stdout.trim() ||
    "(no branch)";
  const paths = targets.map((t) => t.path);
  const tracked = await listed(root, ["ls-files", "-z"], paths);
  const untracked: string[] = [];
  for (const path of paths) {
    if (!tracked.has(path) && await present(root, path)) untracked.push(path);
  }
  // Put back untracked: content for a path neither the index nor HEAD holds.
  const unknown = targets.filter((t) => t.entry !== null && !tracked.has(t.path));
  const headHolds = unknown.length > 0
    ? await listed(
      root,
      ["ls-tree", "-z", "--name-only", "--full-tree", "HEAD"],
      unknown.map((t) => t.path),
    )
    : null;
  const loose = unknown.filter((t) => !headHolds?.has(t.path));
  const staged = targets.filter((t) => !loose.includes(t));
  // The index as the revert leaves it: the stash's base.
  const baseTree = await withIndex(async (env) => {
    await gitOk(root, ["read-tree", indexTree], { env });
    await gitOk(root, ["update-index", "-z", "--index-info"], {
      env,
      stdin: indexInfo(staged, zeros),
    });
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
  // That base with tracked paths as on disk now, less the untracked ones the revert brings back.
  const absent = new Set(paths.filter((p) => !tracked.has(p) && !untracked.includes(p)));
  const workTree = await withIndex(async (env) => {
    await gitOk(root, ["read-tree", baseTree], { env });
    const kept = paths.filter((p) => tracked.has(p) || absent.has(p));
    if (kept.length > 0) {
      await gitOk(root, ["update-index", "--add", "--remove", "-z", "--stdin"], {
        env,
        stdin: nul(kept),
      });
    }
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
  const untrackedTree = untracked.length === 0 ? null : await withIndex(async (env) => {
    await gitOk(root, ["update-index", "--add", "-z", "--stdin"], { env, stdin: nul(untracked) });
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
  const commit = async (tree: string, parents: string[], subject: string) =>
    (await gitOk(root, ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p])], {
      env: MPM_IDENTITY,
      stdin: subject,
    })).trim();
  const subject = `On ${branch}: ${message}`;
  const base = await commit(baseTree, [head], `index on ${branch}: ${message} (after)`);
  const index = await commit(indexTree, [base], `index on ${branch}: ${message} (before)`);
  const extra = untrackedTree
    ? [await commit(untrackedTree, [], `untracked files on ${branch}: ${message}`)]
    : [];
  const stash = await commit(workTree, [base, index, ...extra], subject);
  await gitOk(root, ["stash", "store", "-m", subject, stash]);

  // Now the paths: index first, then files from it; untracked ones via a private index.
  await gitOk(root, ["update-index", "-z", "--index-info"], { stdin: indexInfo(staged, zeros) });
  const restored = staged.filter((t) => t.entry !== null).map((t) => t.path);
  if (restored.length > 0) {
    await gitOk(root, ["checkout-index", "-f", "-z", "--stdin"], { stdin: nul(restored) });
  }
  if (loose.length > 0) {
    await withIndex(async (env) => {
      await gitOk(root, ["update-index", "-z", "--index-info"], {
        env,
        stdin: indexInfo(loose, zeros),
      });
      await gitOk(root, ["checkout-index", "-f", "-z", "--stdin"], {
        env,
        stdin: nul(loose.map((t) => t.path)),
      });
    });
  }
  for (const { path } of targets.filter((t) => t.entry === null)) {
    await Deno.remove(join(root, path)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return {
    stash,
    untracked: loose.map((t) => t.path),
    indexed: staged.filter((t) => t.entry !== null || tracked.has(t.path)).map((t) => t.path),
  };
}
