/**
 * Putting chosen paths back to given contents, what they held first kept in a stash, so that
 * `git stash pop` undoes it. Only the paths named are touched: in the index and on disk.
 *
 * The stash is built by hand, shaped as `git stash push` shapes one: its base is the index
 * after the revert (the restored paths staged, the rest of the index as it was), its work tree
 * that base with each tracked path as it was on disk before, its untracked part the paths that
 * were untracked and present. Popping it merges "what the revert changed, undone" into the
 * index and the files: each file comes back as it was; the restored content stays staged (a
 * plain `git stash pop` never puts an index back), which `git reset -q -- PATH` clears.
 *
 * The stash is stored before anything is changed, so what is replaced is never lost.
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

/** Which of `paths` the index holds (any stage), a few hundred per git call. */
async function inIndex(root: string, paths: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < paths.length; i += 200) {
    const out = await gitOk(root, [
      "--literal-pathspecs",
      "ls-files",
      "-z",
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

/**
 * Restores each target (index and disk) after keeping what the paths hold now in a stash named
 * `message` (`git stash list` shows "On BRANCH: message"). Returns that stash's `stash@{0}`.
 */
export async function revertPaths(
  root: string,
  targets: readonly PathTarget[],
  message: string,
): Promise<string> {
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
  const tracked = await inIndex(root, paths);
  const untracked: string[] = [];
  for (const path of paths) {
    if (!tracked.has(path) && await present(root, path)) untracked.push(path);
  }
  // The index as the revert leaves it: the stash's base.
  const baseTree = await withIndex(async (env) => {
    await gitOk(root, ["read-tree", indexTree], { env });
    await gitOk(root, ["update-index", "-z", "--index-info"], {
      env,
      stdin: indexInfo(targets, zeros),
    });
    return (await gitOk(root, ["write-tree"], { env })).trim();
  });
  // That base with each tracked path as the disk holds it now.
  const workTree = await withIndex(async (env) => {
    await gitOk(root, ["read-tree", baseTree], { env });
    const kept = paths.filter((p) => tracked.has(p));
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

  // Now the paths themselves: the index first, then the files from it.
  await gitOk(root, ["update-index", "-z", "--index-info"], { stdin: indexInfo(targets, zeros) });
  const restored = targets.filter((t) => t.entry !== null).map((t) => t.path);
  if (restored.length > 0) {
    await gitOk(root, ["checkout-index", "-f", "-z", "--stdin"], { stdin: nul(restored) });
  }
  for (const { path } of targets.filter((t) => t.entry === null)) {
    await Deno.remove(join(root, path)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return "stash@{0}";
}
