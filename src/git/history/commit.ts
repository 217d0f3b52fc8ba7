/**
 * `mpm pause --commit`: commits mpm's session files and nothing else. The files live in the
 * excluded `.claude-mpm/`, so they are force-added, then committed with `--only`, which leaves
 * whatever the user had staged staged and uncommitted.
 */
import { isAbsolute, relative, sep } from "../../kernel/path.ts";
import { gitFailure, gitStdout, runGit } from "../run/run.ts";

/**
 * Commits exactly `paths` (relative to `root`, or absolute inside it) with `message`. Returns
 * the new commit, or null when those files were already committed as they are.
 */
export async function commitSessionFiles(
  root: string,
  paths: readonly string[],
  message: string,
): Promise<string | null> {
  if (paths.length === 0) return null;
  // Relative, "/"-separated: git need not match an absolute path against its own idea of the
  // work tree (a Windows 8.3 name, another drive-letter case, a symlinked folder).
  const specs = paths.map((path) =>
    isAbsolute(path) ? relative(root, path).split(sep).join("/") : path
  );
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
  if (committed.code === 1 && /nothing (added )?to commit/.test(committed.stdout)) return null;
  if (committed.code !== 0) {
    throw gitFailure(commit, committed, "Check `git status` and your git identity (user.name).");
  }
  const head = await gitStdout(root, ["rev-parse", "--verify", "HEAD"]);
  return head?.trim() ?? null;
}

function failure(args: readonly string[], out: Awaited<ReturnType<typeof runGit>>) {
  return gitFailure(args, out ?? { code: -1, stdout: "", stderr: "git could not be started" });
}
