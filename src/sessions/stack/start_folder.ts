/** Whether the folder mpm started in is gone (a stash or a switch back took it). */
export async function folderGone(cwd: string): Promise<boolean> {
  return await Deno.stat(cwd).then(() => false, (error) => error instanceof Deno.errors.NotFound);
}
