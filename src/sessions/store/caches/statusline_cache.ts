/**
 * `.claude-mpm/cache/statusline`: what the status line's shell prints without starting mpm
 * (claude/settings/status_line.ts): the session part, and the input it was written for. A plain
 * cache the shell reads as it is, so it is not sealed (cache.ts): it holds only what the status
 * line already shows, and a stale one is replaced after the next reply.
 */
import { join } from "../../../kernel/path.ts";
import { writeCache } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";

export function statusLineCachePath(paths: ProjectPaths): string {
  return join(paths.base, "cache", "statusline");
}

/** Keeps `text` for the status line's shell. */
export async function keepStatusLine(paths: ProjectPaths, text: string): Promise<void> {
  await writeCache(statusLineCachePath(paths), text, { root: paths.base });
}
