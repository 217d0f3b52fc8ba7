/**
 * This machine's key: 32 random bytes in `$XDG_STATE_HOME/mpm/machine.json`, outside every
 * repository. It seals what this machine writes, so nothing a clone or teammate brings passes
 * for its own. No home folder: no key.
 */
import { isAbsolute, join } from "../kernel/path.ts";
import { machineKeyMissing } from "../kernel/errors.ts";
import { createAtomic, writeAtomic } from "./files/atomic.ts";
import { readTextIfExists, readTextIfExistsSync } from "./read/read.ts";

const VERSION = 1;

/** The key file, when the environment names a home; set by dispatch. */
let keyFile: string | null = null;
/**
 * The key once looked for; null: there was none, and it is not looked for again until this process
 * makes one or a run points mpm at its key anew (another process may make one meanwhile).
 */
let known: string | null | undefined;
/** What making the key threw, the last time that failed; undefined while none failed. */
let failure: unknown;
/** How many times the key file was looked for in this process (tests count them). */
let lookups = 0;
export const keyLookups = (): number => lookups;

/**
 * Points mpm at this user's key file (dispatch, with the run's environment and home). A relative
 * XDG_STATE_HOME or home is ignored, as the XDG Base Directory spec says: it would put the key in
 * the folder mpm runs in, a project, where git would see it.
 */
export function useMachineKeyFrom(
  vars: Readonly<Record<string, string>>,
  home: string | undefined = vars.HOME ?? vars.USERPROFILE,
): void {
  const given = vars.XDG_STATE_HOME;
  const state = given && isAbsolute(given)
    ? given
    : home && isAbsolute(home)
    ? join(home, ".local", "state")
    : undefined;
  const file = state ? join(state, "mpm", "machine.json") : null;
  if (file !== keyFile || known === null) {
    known = undefined;
    failure = undefined;
  }
  keyFile = file;
}

/** Where the key lives, or null without a home folder. */
export function machineKeyFile(): string | null {
  return keyFile;
}

/** The key in the file's text (`{"version": 1, "key": HEX}`), or null; no zod (loaded every run). */
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

/** This machine's key (64 hex digits), or null when it has none (a bad file is none). */
export function machineKey(): string | null {
  if (known !== undefined) return known;
  if (keyFile === null) return null;
  lookups++;
  try {
    known = parse(readTextIfExistsSync(keyFile, 4096));
  } catch {
    known = null;
  }
  return known;
}

/** What git reads in the key's folder: ignore all of it, in any repository (a home kept in git). */
const KEY_FOLDER_IGNORE = "*\n";

/** This machine's key, made exclusively if none; null if it cannot be written (nothing sealed). */
export async function ensureMachineKey(): Promise<string | null> {
  const have = machineKey();
  if (have !== null || keyFile === null) return have;
  const file = keyFile;
  try {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const text = JSON.stringify({ version: VERSION, key }) + "\n";
    const folder = join(file, "..");
    // Before the key, so git never sees the folder with the key in it; one already there is kept.
    await createAtomic(join(folder, ".gitignore"), KEY_FOLDER_IGNORE, { root: folder });
    if (await createAtomic(file, text, { root: folder })) return known = key;
    known = parse(await readTextIfExists(file, 4096));
    if (known !== null) return known;
    await writeAtomic(file, text, { root: folder });
    return known = key;
  } catch (error) {
    failure = error;
    return null;
  }
}

/**
 * What a command that wrote the person's records says when it could not seal them (no key, none
 * could be made), so they are not silently shown as written elsewhere; undefined when sealed.
 * Reads only what ensureMachineKey left: no look at the disk.
 */
export function unsealedWarning(): string | undefined {
  if (typeof known === "string") return undefined;
  if (keyFile !== null && failure === undefined) return undefined;
  const missing = machineKeyMissing(keyFile, failure);
  return `mpm: ${missing.message} ${missing.hint}`;
}
