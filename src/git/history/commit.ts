/**
 * `mpm pause --commit`: mpm's files force-added and committed with `--only`; on failure the index
 * is put back.
 */
import { isAbsolute, relative, sep } from "../../kernel/path.ts";
import { errorText, MpmError } from "../../kernel/errors.ts";
import { gitFailure, gitStdout, runGit } from "../run/run.ts";

/** A failed commit whose files could not be unstaged again: the person must unstage them. */
export class StagedLeftError extends MpmError {}

/** Commits exactly `paths`; null when already committed as they are. */
export async function commitSessionFiles(
  root: string,
  paths: readonly string[],
  message: string,
): Promise<string | null> {
  if (paths.length === 0) return null;
  // Relative and "/"-separated, so git need not match absolute paths against its work tree.
  const specs = paths.map((path) =>
    isAbsolute(path) ? relative(root, path).split(sep).join("/") : path
  );
  const before = await indexEntries(root, specs);
  try {
    if (!(await addAndCommit(root, specs, message))) return null;
  } catch (error) {
    if (await restoreIndex(root, specs, before)) throw error;
    throw new StagedLeftError(
      `${errorText(error)}; the session files could not be unstaged again.`,
      `Unstage them before your next commit: git rm --cached -q -- ${specs.join(" ")}`,
    );
  }
  const head = await gitStdout(root, ["rev-parse", "--verify", "HEAD"]);
  return head?.trim() ?? null;
}

/** Stages `specs` and commits them alone; false when they were committed as they are already. */
async function addAndCommit(
  root: string,
  specs: readonly string[],
  message: string,
): Promise<boolean> {
  // Literal pathspecs: a file name is never read as a glob or `:(magic)`.
  const add = ["--literal-pathspecs", "add", "-f", "--", ...specs];
  const added = await runGit(root, add);
  if (added === null || added.code !== 0) throw failure(add, added);
  const commit = [
    "--literal-pathspecs",
    "commit",
    "--only",
    "--no-verify",
    "--quiet",
    "-m",
    message,
    "--",
    ...specs,
  ];
  const committed = await runGit(root, commit);
  if (committed === null) throw failure(commit, committed);
  if (committed.code === 1 && /nothing (added )?to commit/.test(committed.stdout)) return false;
  if (committed.code !== 0) {
    throw gitFailure(commit, committed, "Check `git status` and your git identity (user.name).");
  }
  return true;
}

/** The index entries of `specs` (`ls-files --stage -z`: what `update-index --index-info` takes). */
async function indexEntries(root: string, specs: readonly string[]): Promise<string> {
  const args = ["--literal-pathspecs", "ls-files", "--stage", "-z", "--", ...specs];
  const out = await runGit(root, args);
  if (out === null || out.code !== 0) throw failure(args, out);
  return out.stdout;
}

/** Puts the index entries of `specs` back to `before`, files untouched. */
async function restoreIndex(
  root: string,
  specs: readonly string[],
  before: string,
): Promise<boolean> {
  // update-index takes paths, never pathspecs: a name is never a glob here.
  const removed = await runGit(root, ["update-index", "--force-remove", "--", ...specs]);
  if (removed?.code !== 0) return false;
  if (before === "") return true;
  const restored = await runGit(root, ["update-index", "-z", "--index-info"], { stdin: before });
  return restored?.code === 0;
}

function failure(args: readonly string[], out: Awaited<ReturnType<typeof runGit>>) {
  return gitFailure(args, out ?? { code: -1, stdout: "", stderr: "git could not be started" });
}
