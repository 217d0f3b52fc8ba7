/**
 * Which git operation a work tree is in the middle of, read from its git dir as `git status` does.
 * Stashing or switching loses it (`git stash` drops MERGE_HEAD), so mpm asks first.
 */
import { isAbsolute, join, resolve } from "../../kernel/path.ts";
import { exists, findGitDirs, readText } from "../run/root.ts";
import { gitStdout } from "../run/run.ts";

export type GitOperation = "merge" | "cherry-pick" | "revert" | "rebase" | "am" | "bisect";

/** The operations in progress at `root`, the one to finish first first. */
export async function operationsInProgress(root: string): Promise<GitOperation[]> {
  const gitDir = (await findGitDirs(root))?.gitDir ?? await askGitForGitDir(root);
  if (gitDir === undefined) return [];
  const has = (name: string) => exists(join(gitDir, name));
  const found: GitOperation[] = [];
  if (has("rebase-merge")) found.push("rebase");
  if (has("rebase-apply")) found.push(has(join("rebase-apply", "applying")) ? "am" : "rebase");
  if (has("MERGE_HEAD")) found.push("merge");
  if (has("CHERRY_PICK_HEAD")) found.push("cherry-pick");
  else if (has("REVERT_HEAD")) found.push("revert");
  else if (has(join("sequencer", "todo"))) {
    // A range stopped between two commits: git names the next step in its todo list.
    const todo = readText(join(gitDir, "sequencer", "todo")) ?? "";
    found.push(/^\s*revert\b/.test(todo) ? "revert" : "cherry-pick");
  }
  if (has("BISECT_LOG")) found.push("bisect");
  return found;
}

async function askGitForGitDir(root: string): Promise<string | undefined> {
  const out = await gitStdout(root, ["rev-parse", "--git-dir"]).catch(() => null);
  if (out === null) return undefined;
  const dir = out.replace(/\n$/, "");
  return isAbsolute(dir) ? dir : resolve(root, dir);
}
