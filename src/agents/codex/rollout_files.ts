/**
 * Where Codex CLI 0.169.0 keeps rollouts; a recorded path is checked against that pattern wherever
 * read back.
 */
import { basename, join } from "../../kernel/path.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** A Codex session id as it names files: a uuid, or at most a plain name. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** `YYYY/MM/DD/rollout-<time>-<id>.jsonl` below `sessions/`, the time's date the folders'. */
const REL =
  /^(\d{4})\/(\d{2})\/(\d{2})\/rollout-(\d{4})-(\d{2})-(\d{2})T\d{2}-\d{2}-\d{2}-(.+)\.jsonl$/;

/** A rollout's file name: `rollout-<time>-<id>.jsonl`. */
const NAME = /^rollout-(\d{4})-(\d{2})-(\d{2})T\d{2}-\d{2}-\d{2}-([A-Za-z0-9_-]{1,100})\.jsonl$/;

export function isCodexSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** `$CODEX_HOME`, else `~/.codex`; null with neither. */
export function codexHome(home: string, vars: Vars): string;
export function codexHome(home: string | undefined, vars: Vars): string | null;
export function codexHome(home: string | undefined, vars: Vars): string | null {
  const set = vars.CODEX_HOME;
  if (set !== undefined && set !== "") return set;
  return home === undefined ? null : join(home, ".codex");
}

/** Where Codex keeps its rollouts: `<codex home>/sessions`. */
export function sessionsFolder(codex: string): string {
  return join(codex, "sessions");
}

/** The session id a rollout's file name carries, or null when it is no rollout's name. */
export function idOfRolloutName(name: string): string | null {
  return name.match(NAME)?.[4] ?? null;
}

/** The rollout's path below `sessions/` from its file name's date; null when not `id`'s. */
export function rolloutRelPath(path: string, id: string): string | null {
  const name = basename(path);
  const match = name.match(NAME);
  if (match === null || match[4] !== id) return null;
  return `${match[1]}/${match[2]}/${match[3]}/${name}`;
}

/** Why `rel`, recorded as session `id`'s rollout, is not a name Codex gives it; null when it is. */
export function rolloutNameProblem(id: string, rel: string): string | null {
  if (!isCodexSessionId(id)) return `${JSON.stringify(id)} is not a Codex session id`;
  const match = rel.match(REL);
  if (
    match === null || match[7] !== id || match[1] !== match[4] || match[2] !== match[5] ||
    match[3] !== match[6]
  ) {
    return `its rollout is named ${JSON.stringify(rel)}, not YYYY/MM/DD/rollout-<time>-${id}.jsonl`;
  }
  return null;
}

/** The most day folders looked through for a rollout whose path no hook recorded. */
export const MAX_DAYS_LOOKED = 400;

/** `id`'s rollout, newest day first, bounded by MAX_DAYS_LOOKED; only a regular file. */
export async function findRollout(codex: string, id: string): Promise<string | null> {
  if (!isCodexSessionId(id)) return null;
  const top = sessionsFolder(codex);
  const names = async (dir: string, pattern: RegExp): Promise<string[]> => {
    try {
      return (await Array.fromAsync(Deno.readDir(dir)))
        .filter((e) => e.isDirectory && pattern.test(e.name))
        .map((e) => e.name).sort().reverse();
    } catch {
      return [];
    }
  };
  let days = 0;
  for (const year of await names(top, /^\d{4}$/)) {
    for (const month of await names(join(top, year), /^\d{2}$/)) {
      for (const day of await names(join(top, year, month), /^\d{2}$/)) {
        if (++days > MAX_DAYS_LOOKED) return null;
        const dir = join(top, year, month, day);
        try {
          for await (const entry of Deno.readDir(dir)) {
            if (entry.isFile && idOfRolloutName(entry.name) === id) return join(dir, entry.name);
          }
        } catch {
          // A day folder that cannot be read holds nothing mpm can take.
        }
      }
    }
  }
  return null;
}
