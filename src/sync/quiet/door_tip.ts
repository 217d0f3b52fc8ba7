/**
 * The remote's `refs/mpm/sessions` commit as the quiet door's `ls-remote` found it moments ago in
 * this process (null: the remote has none): the full run the door let through fetches at once
 * rather than ask the remote again (refs.ts). Taken once.
 */
const seen = new Map<string, string | null>();

export function doorSaw(root: string, remote: string, commit: string | null): void {
  seen.set(`${root}\0${remote}`, commit);
}

/** What the door saw of `remote` from `root`, once; undefined when it asked nothing. */
export function takeDoorTip(root: string, remote: string): string | null | undefined {
  const key = `${root}\0${remote}`;
  const commit = seen.get(key);
  seen.delete(key);
  return commit;
}
