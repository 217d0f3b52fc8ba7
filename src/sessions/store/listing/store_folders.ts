/**
 * The store's folders under `.claude-mpm/` — `sessions/` (with `pause/` and `archive/` in it),
 * `threads/`, `hooks-state/`, `handoffs/`, `spool/` — are never read or written through a
 * symbolic link that leads out of `.claude-mpm/`. A cloned repository can commit such a link
 * (`.claude-mpm/sessions -> ~/somewhere`): followed, mpm would list, show and resume whatever lies
 * there, and rename or remove files in it. The writes refuse it already (disk/files/confine/confine.ts
 * `confine`, with `.claude-mpm/` as their root), but not before a command has read through it,
 * nor with a word on what to do; the store asks here first, for reads and writes alike, as
 * `findProjectRoot` asks of `.claude-mpm` itself (`refuseLinkedStore`). A link leading to a folder
 * inside `.claude-mpm/` is followed, as the writes follow it.
 *
 * Here, in the lowest room that opens a store folder (the snapshots' listing), so that every room
 * above asks the same question; marks/ and caches/, on the same floor, do not (their records are
 * sealed with this machine's key, and read as none when they are not its own).
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from "../../../kernel/path.ts";
import { lstatQuietly } from "../../../disk/read/stat.ts";
import { UnsafePathError } from "../../../disk/files/confine/confine.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";

/** `.claude-mpm/spool/`: automatic pauses queued while the lock was busy (session/spool.ts). */
export const SPOOL = "spool";
/** `.claude-mpm/handoffs/`: Claude's handoffs (state/claude_store.ts). */
export const HANDOFFS = "handoffs";
/** `.claude-mpm/hooks-state/`: what the hooks keep of each Claude session (claude/records.ts). */
export const HOOKS_STATE = "hooks-state";

/**
 * `.claude-mpm/<name>`, refused (refuseLinkedFolder) when it is a link leading out of
 * `.claude-mpm/`: the one way the store names a folder of its own that ProjectPaths does not.
 */
export function storeFolder(paths: ProjectPaths, name: string): string {
  const dir = join(paths.base, name);
  refuseLinkedFolder(paths, dir);
  return dir;
}

/**
 * Refuses every folder the sessions keep files in at once (see the top of this file): what a
 * command that may read or change several of them asks before it reads or changes anything, so
 * a refusal never follows half a change.
 */
export function refuseLinkedFolders(paths: ProjectPaths): void {
  for (const dir of [paths.sessions, paths.legacyPause, paths.archive, paths.threads]) {
    refuseLinkedFolder(paths, dir);
  }
  for (const name of [HOOKS_STATE, HANDOFFS, SPOOL]) storeFolder(paths, name);
}

/**
 * Throws UnsafePathError when `dir`, a folder under `.claude-mpm/`, or a folder between the two is
 * a symbolic link leading out of `.claude-mpm/`. Missing folders pass (a write makes real ones);
 * one lstat per folder of the path, and a look at where a link leads only for a link.
 */
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

function realPathOr(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return resolve(path);
  }
}
