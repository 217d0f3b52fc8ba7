/**
 * This machine's key: 32 random bytes mpm keeps outside every repository, in the user's state
 * folder (`$XDG_STATE_HOME/mpm/machine.json`, else `~/.local/state/mpm/machine.json`; 0600 in
 * a 0700 folder). It seals what this machine writes (kernel/hashing/seal.ts, and line_seal.ts
 * for one-line records): snapshots, the SessionStart digest and the other caches, `state.json`,
 * checkpoints, the vault's records, the hooks' install record, the hooks' sightings of Claude
 * sessions (`threads/<key>/claude-sessions.jsonl`, per line), the queued pauses in `spool/`,
 * Claude's handoffs, the work summary, events.jsonl (per line), the work-tree marks, the
 * unfinished-migration marker, the error records and a migration backup's manifest;
 * the status line's cache is named by an HMAC under it instead. A clone, a remote or a teammate
 * never holds it, so nothing they bring can pass for this machine's own (docs/security.md lists
 * each door). Made on the first write that needs it; with no home folder there is none, and
 * nothing is taken for this machine's.
 *
 * Where the folder is comes from the environment, which only main.ts reads: dispatch hands it
 * over once per run (`useMachineKeyFrom`).
 */
import { join } from "../kernel/path.ts";
import { createAtomic, writeAtomic } from "./files/atomic.ts";
import { readTextIfExists, readTextIfExistsSync } from "./read/read.ts";

const VERSION = 1;

/** The key file, when the environment names a home; set by dispatch. */
let keyFile: string | null = null;
/** The key once read (a missing one is looked for again: another run may make it). */
let known: string | null | undefined;

/**
 * Points mpm at this user's key file (dispatch calls it with the run's environment and home,
 * which without HOME is the account's: cli/env.ts `homeDir`).
 */
export function useMachineKeyFrom(
  vars: Readonly<Record<string, string>>,
  home: string | undefined = vars.HOME ?? vars.USERPROFILE,
): void {
  const state = vars.XDG_STATE_HOME || (home ? join(home, ".local", "state") : undefined);
  const file = state ? join(state, "mpm", "machine.json") : null;
  if (file !== keyFile) known = undefined;
  keyFile = file;
}

/** Where the key lives, or null without a home folder. */
export function machineKeyFile(): string | null {
  return keyFile;
}

/**
 * The key in the file's text (`{"version": 1, "key": HEX}`), or null. Checked by hand, not by a
 * zod schema: dispatch loads this module on every run, and zod's own start would come with it.
 */
function parse(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    const data = JSON.parse(text) as { version?: unknown; key?: unknown } | null;
    const key = data?.key;
    return data?.version === VERSION && typeof key === "string" && /^[0-9a-f]{64}$/.test(key)
      ? key
      : null;
  } catch {
    return null;
  }
}

/**
 * This machine's key (64 hex digits), or null when it has none yet (or cannot have one). Read
 * once per run once found; a file that is not mpm's key is no key, and then nothing is this
 * machine's.
 */
export function machineKey(): string | null {
  if (known) return known;
  if (keyFile === null) return null;
  try {
    known = parse(readTextIfExistsSync(keyFile, 4096));
  } catch {
    known = null;
  }
  return known;
}

/**
 * This machine's key, made now when there is none. Two runs making it at once agree: the file
 * is created exclusively, and the one that loses reads the winner's; a damaged file (it never
 * sealed anything) is replaced. Null without a home folder or when it cannot be written (a
 * read-only home): then nothing is sealed.
 */
export async function ensureMachineKey(): Promise<string | null> {
  const have = machineKey();
  if (have !== null || keyFile === null) return have;
  const file = keyFile;
  try {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const text = JSON.stringify({ version: VERSION, key }) + "\n";
    const folder = join(file, "..");
    if (await createAtomic(file, text, { root: folder })) return known = key;
    known = parse(await readTextIfExists(file, 4096));
    if (known !== null) return known;
    await writeAtomic(file, text, { root: folder });
    return known = key;
  } catch {
    return null;
  }
}
