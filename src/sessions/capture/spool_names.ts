/**
 * Where queued automatic pauses wait (spool.ts) and which are there. Apart from spool.ts, whose
 * folding loads the whole pause code: SessionStart looks on every Claude Code start and folds
 * only when something is queued, and `mpm list` only counts them.
 */
import { join } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

export function spoolDir(paths: ProjectPaths): string {
  return join(paths.base, "spool");
}

/** The queued pauses' file names, oldest first. */
export async function spooledNames(paths: ProjectPaths): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(spoolDir(paths))) {
      if (entry.isFile && /^pause-.*\.json$/.test(entry.name)) names.push(entry.name);
    }
  } catch {
    return [];
  }
  return names.sort();
}
