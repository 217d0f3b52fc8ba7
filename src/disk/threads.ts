/**
 * `.claude-mpm/threads/` was called `work` (`.claude-mpm/work`) before mpm 0.1.0's second round. A
 * project that still has the old folder (and no new one) gets it renamed, once, by whichever
 * command or hook first opens the project, so nothing recorded there is lost or read twice.
 * A link in the old folder's place is left alone: mpm never moves what it did not write.
 */
import { join } from "../kernel/path.ts";
import type { ProjectPaths } from "./paths.ts";
import { lstatQuietly } from "./read/stat.ts";

// deno-lint-ignore require-await
export async function adoptOldThreadsFolder(paths: ProjectPaths): Promise<void> {
  const old = join(paths.base, "work");
  // Looked at synchronously: every command and hook asks, and nearly always nothing is there.
  if (!lstatQuietly(old)?.isDirectory) return;
  if (lstatQuietly(paths.threads) !== undefined) return;
  // Another process may rename it first; either way the folder ends up in its new place.
  try {
    Deno.renameSync(old, paths.threads);
  } catch {
    // Renamed by the other process, or left for the next command.
  }
}
