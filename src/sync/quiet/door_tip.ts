/**
 * What the quiet door found moments ago in this process, for the full run it let through, each
 * taken once: the remote's `refs/mpm/sessions` commit as its `ls-remote` saw it (null: the remote
 * has none), so the run fetches at once rather than ask the remote again (refs.ts); and, while
 * git's config is as its kept answer saw it, the remote that answer resolved and the identity and
 * signing records it kept, so the run asks no `git config` (refs.ts resolveRemote).
 */
const seen = new Map<string, string | null>();
const known = new Map<string, DoorConfig>();

/** The remote a run resolved, and its identity and signing records (`git config -z` output). */
export interface DoorConfig {
  remote: string;
  config: string;
}

export function doorSaw(root: string, remote: string, commit: string | null): void {
  seen.set(`${root}\0${remote}`, commit);
}

/** What the door saw of `remote` from `root`, once; undefined when it asked nothing. */
export function takeDoorTip(root: string, remote: string): string | null | undefined {
  return take(seen, `${root}\0${remote}`);
}

/** The door's kept config for a sync from `root` naming `named` ("" for none). */
export function doorKnew(root: string, named: string, config: DoorConfig): void {
  known.set(`${root}\0${named}`, config);
}

/** What the door knew of git's config for that sync, once; undefined when it knew nothing. */
export function takeDoorConfig(root: string, named: string): DoorConfig | undefined {
  return take(known, `${root}\0${named}`);
}

function take<T>(map: Map<string, T>, key: string): T | undefined {
  const value = map.get(key);
  map.delete(key);
  return value;
}
