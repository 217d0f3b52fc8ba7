/** The spool's folder and the queued pauses in it: what every run asks, without the spool's code. */
import type { ProjectPaths } from "../../../disk/paths.ts";
import { SPOOL, storeFolder } from "../listing/store_folders.ts";

/** `.claude-mpm/spool/`, refused when it is a link leading out of `.claude-mpm/`. */
export function spoolDir(paths: ProjectPaths): string {
  return storeFolder(paths, SPOOL);
}

/** The queued pauses' file names, oldest first (listed synchronously: asked on every run). */
// deno-lint-ignore require-await
export async function spooledNames(paths: ProjectPaths): Promise<string[]> {
  const names: string[] = [];
  // Outside the catch: a spool/ linking out of `.claude-mpm/` is refused, not taken for empty.
  const dir = spoolDir(paths);
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && /^pause-.*\.json$/.test(entry.name)) names.push(entry.name);
    }
  } catch {
    return [];
  }
  return names.sort();
}
