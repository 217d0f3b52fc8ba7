/**
 * mpm's sealed caches under `.claude-mpm/cache/`: what one run worked out and the next may take as
 * it is — SessionStart's record (`start.json`: hooks/start/record/start_record.ts) and the answer made
 * ready from it (`ready.json`). One rule says when a kept value is used, whoever keeps it:
 * - the file is a plain file mpm wrote (a link, to anywhere, is not: mpm's writes replace files);
 * - this machine sealed it (kernel/hashing/seal.ts, with the key disk/machine_key.ts keeps outside
 *   every repository): a cache committed into a repository or copied from another clone holds
 *   whatever its author wrote, and is never used;
 * - this mpm, version and build, wrote it (another one may work it out otherwise);
 * - it passes its kind's check; and
 * - what it was made from is as it was, which only its owner can say (`fresh`: the state's text
 *   and the snapshots' files for the digest, HEAD's commit for the commits part).
 * Anything else is a miss, never an error: the owner works the value out again and keeps it anew.
 * Keeping is best effort (a read-only project still runs) and skips the fsync: a value lost in a
 * crash is a miss. The folder is ignored by git (`cache/.gitignore`): its files are this clone's.
 *
 * (The listing index, `cache/<folder>.idx`, is kept by the listing itself: its own stamp is the
 * folder's, and its shape is what a 10,000-snapshot listing reads fast; see listing_cache.ts.)
 */
import { type Check, checkValue } from "../../../kernel/check.ts";
import { join } from "../../../kernel/path.ts";
import { hmacSha256HexAsync } from "../../../kernel/hashing/seal.ts";
import { buildInfo } from "../../../cli/build_info.ts";
import { ensureMachineKey, machineKey } from "../../../disk/machine_key.ts";
import { createAtomic, writeCache } from "../../../disk/files/atomic.ts";
import { lstatIfExists, lstatIfExistsSync } from "../../../disk/read/stat.ts";
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
function madeBy(): string {
  const { version, build } = buildInfo();
  return `${version} ${build}`;
}

/**
 * The kept value when the rule above holds and `fresh` finds it current; else null. `fresh` runs
 * while the seal is still being checked, so it only looks (stats, reads) and says yes or no.
 */
export async function cached<T>(
  paths: ProjectPaths,
  kind: CacheKind<T>,
  fresh: (value: T) => boolean | Promise<boolean>,
): Promise<T | null> {
  try {
    // Read at once, not on the thread pool: a cache is small, and SessionStart reads one.
    const file = cacheFile(paths, kind as CacheKind<unknown>);
    if (!lstatIfExistsSync(file)?.isFile) return null;
    const text = readTextIfExistsSync(file, kind.maxBytes);
    const key = machineKey();
    if (text === undefined || key === null) return null;
    // `keep` wrote the sealed text and its seal after it: the seal is checked over those very
    // characters, not over the value written out again (megabytes, for the senders of a team).
    const from = Math.max(0, text.length - SEAL_TAIL_CHARS);
    const tail = SEAL_TAIL.exec(text.slice(from));
    if (tail === null) return null;
    const body = `${text.slice(0, from + tail.index)}}`;
    // The seal is worked out by Web Crypto off this thread while the value is checked here; the
    // value is used only once the seal proves this machine wrote it.
    const sealedHere = hmacSha256HexAsync(key, body).then((mac) => mac === tail[1], () => false);
    const { seal: _, mpm, ...value } = JSON.parse(text) as { seal?: unknown; mpm?: unknown };
    const checked = checkValue(kind.check, value);
    const current = mpm === madeBy() && checked.ok && await fresh(checked.value);
    return (await sealedHere) && current && checked.ok ? checked.value : null;
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

/**
 * `cache/.gitignore` ignoring the whole folder (itself included): what mpm keeps there is this
 * clone's, and a repository that commits `.claude-mpm/` must not carry it to another.
 */
export async function ignoredByGit(paths: ProjectPaths): Promise<void> {
  const file = join(paths.base, "cache", ".gitignore");
  if (await lstatIfExists(file)) return;
  await createAtomic(file, "# mpm's caches belong to this clone only.\n*\n", { root: paths.base });
}
