/**
 * What a killed mpm leaves behind: temp files (`.NAME.PID.RANDOM.tmp`) and id claims (`<id>.json.sha256`
 * with no `.json`). Harmless but piling up: `withLock` sweeps them when it takes over a dead
 * holder's lock; `mpm doctor` counts them.
 */
import { join } from "../kernel/path.ts";
import { fileNames } from "./read/stat.ts";
import { isProcessAlive } from "./process.ts";
import { isSessionId } from "../kernel/ids.ts";

/** A leftover younger than this may belong to a write still under way (another container's). */
export const LEFTOVER_AGE_MS = 60_000;

const TEMP = /^\..+\.(\d+)\.\d+\.tmp$/;
const CLAIM = /^(session-[^.]+)\.json\.sha256$/;

/** The folders under `.claude-mpm/` that mpm writes files into. */
const FOLDERS = [
  "",
  "sessions",
  "sessions/archive",
  "checkpoints",
  "hooks",
  "hooks-state",
  "templates",
  "errors",
  "backups/settings",
  "backups/hooks",
];
/** The folders whose snapshots are claimed by their `.json.sha256` first. */
const CLAIMED = new Set(["sessions", "sessions/archive"]);

export interface Leftover {
  path: string;
  kind: "temp" | "claim";
  /** The writer's pid, for a temp file. */
  pid?: number;
  /** Milliseconds since it was last written. */
  age: number;
}

/** Every temp file and json-less claim under `base` (`.claude-mpm/`), with its age. */
export async function findLeftovers(base: string, now: number): Promise<Leftover[]> {
  const found: Leftover[] = [];
  for (const folder of FOLDERS) {
    const dir = join(base, folder);
    const all = await fileNames(dir);
    const present = new Set(all);
    for (const name of all) {
      const temp = name.match(TEMP);
      const claim = temp ? null : name.match(CLAIM);
      // A claim beside a rendering is a missing record (read_snapshot.ts reports it), not garbage.
      const orphan = claim !== null && isSessionId(claim[1]) && CLAIMED.has(folder) &&
        !["json", "md", "yaml"].some((ext) => present.has(`${claim[1]}.${ext}`));
      if (!temp && !orphan) continue;
      const path = join(dir, name);
      const info = await Deno.lstat(path).catch(() => undefined);
      if (!info?.isFile) continue;
      const age = now - (info.mtime?.getTime() ?? now);
      found.push(
        temp ? { path, kind: "temp", pid: Number(temp[1]), age } : { path, kind: "claim", age },
      );
    }
  }
  return found;
}

/** Whether a leftover is garbage: older than a minute and its writer gone; `deadPid`'s at any age. */
export function isGarbage(leftover: Leftover, deadPid?: number): boolean {
  if (leftover.kind === "temp" && leftover.pid === deadPid) return true;
  if (leftover.age < LEFTOVER_AGE_MS) return false;
  return leftover.kind === "claim" || !isProcessAlive(leftover.pid!);
}

/** Removes the garbage among the leftovers; returns how many went. Never fails a command. */
export async function sweepLeftovers(base: string, deadPid?: number): Promise<number> {
  let removed = 0;
  try {
    for (const leftover of await findLeftovers(base, Date.now())) {
      if (!isGarbage(leftover, deadPid)) continue;
      await Deno.remove(leftover.path).then(() => removed++, () => {});
    }
  } catch {
    // Tidying is best effort: the command the lock was taken for goes on.
  }
  return removed;
}
