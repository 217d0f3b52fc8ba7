/**
 * mpm's sealed caches under `.claude-mpm/cache/`: a kept value is used only when it is a plain
 * file sealed by this machine (a committed cache holds whatever its author wrote), by this build,
 * passes its check and its owner's `fresh`; anything else is a miss, never an error. Best effort.
 */
import { type Check, checkValue } from "../../../kernel/check.ts";
import { join } from "../../../kernel/path.ts";
import { hmacSha256HexAsync } from "../../../kernel/hashing/seal.ts";
import { buildInfo } from "../../../cli/build_info.ts";
import { ensureMachineKey, machineKey } from "../../../disk/machine_key.ts";
import { createAtomic, removeFile, writeCache } from "../../../disk/files/atomic.ts";
import { fileNames, lstatIfExists, lstatIfExistsSync } from "../../../disk/read/stat.ts";
import { readTextIfExistsSync } from "../../../disk/read/read.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";

/** One kind of cached value: its file and its check. */
export interface CacheKind<T> {
  /** Its file's name in `.claude-mpm/cache/`. */
  file: string;
  check: Check<T>;
  /** A larger file is not mpm's. */
  maxBytes: number;
}

export function cacheFile(paths: ProjectPaths, kind: CacheKind<unknown>): string {
  return join(paths.base, "cache", kind.file);
}

/** The mpm that writes: `version build`. */
export function madeBy(): string {
  const { version, build } = buildInfo();
  return `${version} ${build}`;
}

/** The kept value when the rule above holds and `fresh` (which only looks) finds it current. */
export async function cached<T>(
  paths: ProjectPaths,
  kind: CacheKind<T>,
  fresh: (value: T) => boolean | Promise<boolean>,
): Promise<T | null> {
  const kept = await keptBy(paths, kind, fresh);
  return kept !== null && kept.by === madeBy() ? kept.value : null;
}

/**
 * The kept value sealed by this machine, passing its check and `fresh`, by whichever mpm kept it
 * (`by`, as madeBy says it): only for what no build works out otherwise (the bytes of files), and
 * the caller decides what another build's value is worth.
 */
export async function keptBy<T>(
  paths: ProjectPaths,
  kind: CacheKind<T>,
  fresh: (value: T) => boolean | Promise<boolean>,
): Promise<{ value: T; by: string } | null> {
  try {
    // Read at once, not on the thread pool: a cache is small, and SessionStart reads one.
    const file = cacheFile(paths, kind as CacheKind<unknown>);
    if (!lstatIfExistsSync(file)?.isFile) return null;
    const text = readTextIfExistsSync(file, kind.maxBytes);
    const key = machineKey();
    if (text === undefined || key === null) return null;
    // The seal is checked over the very characters `keep` sealed, not the value re-serialised.
    const from = Math.max(0, text.length - SEAL_TAIL_CHARS);
    const tail = SEAL_TAIL.exec(text.slice(from));
    if (tail === null) return null;
    const body = `${text.slice(0, from + tail.index)}}`;
    // The seal is worked out off-thread meanwhile; the value is used only once it proves ours.
    const sealedHere = hmacSha256HexAsync(key, body).then((mac) => mac === tail[1], () => false);
    const { seal: _, mpm, ...value } = JSON.parse(text) as { seal?: unknown; mpm?: unknown };
    const checked = checkValue(kind.check, value);
    const current = typeof mpm === "string" && checked.ok && await fresh(checked.value);
    return (await sealedHere) && current && checked.ok ? { value: checked.value, by: mpm } : null;
  } catch {
    return null;
  }
}

/** How a kept file ends: its seal, last, as `keep` writes it (and the most characters that is). */
const SEAL_TAIL = /,"seal":"([0-9a-f]{64})"\}\n?$/;
const SEAL_TAIL_CHARS = 80;

/** Keeps `value` for the next run, sealed; best effort. */
export async function keep<T>(paths: ProjectPaths, kind: CacheKind<T>, value: T): Promise<void> {
  try {
    // Unsealed, a value could not be told from one a repository brought: none without a key.
    const key = await ensureMachineKey();
    if (key === null) return;
    const body = JSON.stringify({ mpm: madeBy(), ...value });
    const seal = await hmacSha256HexAsync(key, body);
    await ignoredByGit(paths);
    await writeCache(
      cacheFile(paths, kind as CacheKind<unknown>),
      `${body.slice(0, -1)},"seal":${JSON.stringify(seal)}}\n`,
      { root: paths.base },
    );
  } catch {
    // The next run works it out again.
  }
}

/** `cache/.gitignore` ignoring the folder: its files are this clone's, never committed. */
export async function ignoredByGit(paths: ProjectPaths): Promise<void> {
  const file = join(paths.base, "cache", ".gitignore");
  if (await lstatIfExists(file)) return;
  await createAtomic(file, "# mpm's caches belong to this clone only.\n*\n", { root: paths.base });
}

/**
 * Removes the parts in `cache/<sub>/` (`<n><ext>`) `named` does not name (the head just written): a part
 * emptied, or one of a head given up, would otherwise stay for good. Only mpm's own names, only
 * regular files (never a link, nor through a linked folder); best effort.
 */
export async function dropCacheParts(
  paths: ProjectPaths,
  sub: string,
  ext: string,
  named: number[],
) {
  const folder = join(paths.base, "cache", sub);
  if (!lstatIfExistsSync(folder)?.isDirectory) return;
  const kept = new Set(named.map((n) => `${n}${ext}`));
  for (const name of await fileNames(folder)) {
    const n = name.slice(0, -ext.length);
    if (!name.endsWith(ext) || !/^(?:0|[1-9]\d*)$/.test(n) || kept.has(name)) continue;
    await removeFile(join(folder, name), { root: paths.base }).catch(() => {});
  }
}
