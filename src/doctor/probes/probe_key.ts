/**
 * This machine's key for `mpm doctor`, looked at without making it (doctor changes nothing):
 * where it is missing, a file of its size is made and removed where it would be made, so a key
 * that cannot be made is found now, with why.
 */
import { dirname, join } from "../../kernel/path.ts";
import { machineKey, machineKeyFile } from "../../disk/machine_key.ts";
import { createAtomic, removeFile } from "../../disk/files/atomic.ts";
import { lstatIfExists, statQuietly } from "../../disk/read/stat.ts";
import { findGitRoot } from "../../git/run/root.ts";
import type { KeyProbe } from "../judges/judge_key.ts";

/** As large as a key file, so a full disk refuses the probe as it would the key. */
const KEY_SIZED = JSON.stringify({ version: 1, key: "0".repeat(64) }) + "\n";

export async function probeKey(): Promise<KeyProbe> {
  const file = machineKeyFile();
  if (file === null) return { file, present: false, ignored: false };
  const folder = dirname(file);
  if (machineKey() === null) {
    return { file, present: false, failure: await makingFails(folder), ignored: false };
  }
  const ignored = await lstatIfExists(join(folder, ".gitignore")).catch(() => undefined) !==
    undefined;
  return {
    file,
    present: true,
    ignored,
    repository: ignored ? undefined : await findGitRoot(folder),
  };
}

/** What making a file in `folder`, or the nearest folder above it that is there, throws. */
async function makingFails(folder: string): Promise<unknown> {
  let at = folder;
  for (let info = statQuietly(at); !info?.isDirectory; info = statQuietly(at)) {
    if (info !== undefined) {
      return Object.assign(new Error(`Not a directory: '${at}'`), { code: "ENOTDIR" });
    }
    if (dirname(at) === at) return undefined;
    at = dirname(at);
  }
  const random = crypto.getRandomValues(new Uint32Array(1))[0];
  const probe = join(at, `.doctor-probe.${Deno.pid}.${random}.tmp`);
  try {
    if (await createAtomic(probe, KEY_SIZED, { root: at })) await removeFile(probe, { root: at });
    return undefined;
  } catch (error) {
    return error;
  }
}
