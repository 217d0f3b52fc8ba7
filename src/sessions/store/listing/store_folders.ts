/**
 * The store's folders are never read or written through a link out of `.claude-mpm/` (a clone
 * could commit `sessions -> ~/somewhere`): this asks before reads, with what to do.
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from "../../../kernel/path.ts";
import { lstatQuietly, realPathOr } from "../../../disk/read/stat.ts";
import { UnsafePathError } from "../../../disk/files/confine/confine.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";

/** `.claude-mpm/spool/`: automatic pauses queued while the lock was busy (session/spool.ts). */
export const SPOOL = "spool";
/** `.claude-mpm/handoffs/`: Claude's handoffs (state/claude_store.ts). */
export const HANDOFFS = "handoffs";
/** `.claude-mpm/hooks-state/`: what the hooks keep of each Claude session (claude/records.ts). */
export const HOOKS_STATE = "hooks-state";

/** `.claude-mpm/<name>`, refused when a link leads out: for folders ProjectPaths does not name. */
export function storeFolder(paths: ProjectPaths, name: string): string {
  const dir = join(paths.base, name);
  refuseLinkedFolder(paths, dir);
  return dir;
}

/** Refuses every folder the sessions keep files in at once, before anything changes. */
export function refuseLinkedFolders(paths: ProjectPaths): void {
  for (const dir of [paths.sessions, paths.legacyPause, paths.archive, paths.threads]) {
    refuseLinkedFolder(paths, dir);
  }
  for (const name of [HOOKS_STATE, HANDOFFS, SPOOL]) storeFolder(paths, name);
}

/** Throws UnsafePathError when `dir` or a folder above it in the store links out of it. */
export function refuseLinkedFolder(paths: ProjectPaths, dir: string): void {
  const rel = relative(paths.base, dir);
  if (rel === "" || !inside("", rel)) return;
  let base: string | undefined;
  let at = paths.base;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    const info = lstatQuietly(at);
    // Nothing there (or nothing that can be looked at): the read or write says so itself.
    if (info === undefined) return;
    if (!info.isSymlink) continue;
    base ??= realPathOr(paths.base);
    const target = leadsTo(at);
    if (!inside(base, target)) {
      throw new UnsafePathError(
        `Refusing to use ${
          displayPath(paths, at)
        }: it is a symbolic link to ${target}, outside .claude-mpm/.`,
        `Remove the link (rm ${at}; what it points to is kept) and run mpm again.`,
      );
    }
  }
}

/** Whether `path` lies in `root` (`root` "": whether a relative path stays where it starts). */
function inside(root: string, path: string): boolean {
  const rel = root === "" ? path : relative(root, path);
  return rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Where the link at `path` leads, links resolved; a link to nothing, where it points. */
function leadsTo(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return resolve(realPathOr(dirname(path)), Deno.readLinkSync(path));
  }
}
