/**
 * The status line's cache: what its shell prints without starting mpm
 * (claude/settings/status_line/status_line.ts), two lines: the session part, and the input it was
 * written for. The shell cannot check a seal (that takes a process), so the cache is found by a
 * name a clone cannot know: `.claude-mpm/cache/statusline-NAME`, NAME being 32 hex digits of an
 * HMAC of a fixed label under this machine's key (disk/machine_key.ts), kept for the shell beside
 * the key (`<state>/mpm/statusline`, CACHE_NAME_FILE). A cache committed into a repository, pulled
 * or copied from another machine is under another name, or the old `cache/statusline`, and is never
 * read. What is written is printable text only (no control or escape byte), one bounded line
 * each, and the shell checks the first line again as it reads it.
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

/**
 * The cache's text in the store folder `base` (`.claude-mpm/`), as the shell finds it: under this
 * machine's name; undefined without one (no key is made for a read) or without a cache.
 */
export async function readStatusLineCache(base: string): Promise<string | undefined> {
  const key = machineKey();
  if (key === null) return undefined;
  const name = (await hmacSha256HexAsync(key, NAME_LABEL)).slice(0, 32);
  return await readTextIfExists(join(base, "cache", `statusline-${name}`), 4096);
}

/**
 * The cache's text made safe for a terminal: two lines, each printable, cut to MAX_CACHED_LINE
 * bytes (the shell prints no longer first line; a cut one still shows).
 */
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

/**
 * Keeps `text` for the status line's shell, under this machine's name (written beside the key
 * when it is not there yet). Without a machine key (no home folder) nothing is kept, and the
 * shell asks mpm each time.
 */
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
