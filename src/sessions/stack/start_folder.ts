/**
 * Whether the folder mpm was started in is gone: a stash took it with its untracked files
 * (`mpm branch --stash`), or switching back removed it (`mpm return` from a folder only the
 * child's branch has). The shell is then left where git and mpm cannot run.
 */
export async function folderGone(cwd: string): Promise<boolean> {
  return await Deno.stat(cwd).then(() => false, (error) => error instanceof Deno.errors.NotFound);
}
