/**
 * The status line's cache, printed by its shell without starting mpm. The shell cannot check a
 * seal, so the file is named by an HMAC under this machine's key, and no other is read.
 */
import { join } from "../../../kernel/path.ts";
import { printable } from "../../../kernel/format/text.ts";
import { hmacSha256HexAsync } from "../../../kernel/hashing/seal.ts";
import { ensureMachineKey, machineKey, machineKeyFile } from "../../../disk/machine_key.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic, writeCache } from "../../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import {
  CACHE_NAME_FILE,
  MAX_CACHED_LINE,
} from "../../../claude/settings/status_line/status_line.ts";

/** What the name is the HMAC of: the name says nothing of the key, and is the same every run. */
const NAME_LABEL = "mpm status line cache name v1";

/** This machine's name for the cache (32 hex digits); null without a machine key. */
export async function statusLineCacheName(): Promise<string | null> {
  const key = await ensureMachineKey();
  return key === null ? null : (await hmacSha256HexAsync(key, NAME_LABEL)).slice(0, 32);
}

export function statusLineCachePath(paths: ProjectPaths, name: string): string {
  return join(paths.base, "cache", `statusline-${name}`);
}

/** The cache's text in `base`, under this machine's name; undefined without name or cache. */
export async function readStatusLineCache(base: string): Promise<string | undefined> {
  const key = machineKey();
  if (key === null) return undefined;
  const name = (await hmacSha256HexAsync(key, NAME_LABEL)).slice(0, 32);
  return await readTextIfExists(join(base, "cache", `statusline-${name}`), 4096);
}

/** The cache's text made safe: two printable lines, cut to MAX_CACHED_LINE bytes. */
export function safeCacheText(text: string): string {
  const encoder = new TextEncoder();
  return text.split("\n").slice(0, 2).map((line) => {
    let out = "";
    let bytes = 0;
    for (const char of printable(line).replace(/\s/g, " ")) {
      bytes += encoder.encode(char).length;
      if (bytes > MAX_CACHED_LINE) break;
      out += char;
    }
    return out;
  }).join("\n") + "\n";
}

/** Keeps `text` for the shell under this machine's name; nothing without a machine key. */
export async function keepStatusLine(paths: ProjectPaths, text: string): Promise<void> {
  const name = await statusLineCacheName();
  const keyFile = machineKeyFile();
  if (name === null || keyFile === null) return;
  const state = join(keyFile, "..");
  const nameFile = join(state, CACHE_NAME_FILE);
  if ((await readTextIfExists(nameFile, 4096)) !== `${name}\n`) {
    await writeAtomic(nameFile, `${name}\n`, { root: state });
  }
  await writeCache(statusLineCachePath(paths, name), safeCacheText(text), { root: paths.base });
}
