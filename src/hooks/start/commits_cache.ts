/**
 * SessionStart's commits part, kept for the commit HEAD was at when it was told
 * (`.claude-mpm/cache/commits.json`): the last commits of a commit never change, so a start at
 * the same HEAD (Claude Code started again, a `/clear`, a new question before the next commit)
 * tells them without a `git log`. The start looks HEAD up in the git dir's files
 * (git/run/root.ts `headCommit`), and uses the kept text only when `git status`, which it runs
 * anyway, names the same commit.
 *
 * Sealed with this machine's key like the digest (start_digest.ts): a file a repository brought
 * in could otherwise put any text in the part that says it comes from `git log`. The text is kept
 * redacted, as it is told.
 */
import { checkValue, literal, number, object, type Out, string } from "../../kernel/check.ts";
import { join } from "../../kernel/path.ts";
import { hmacSha256HexAsync } from "../../kernel/hashing/seal.ts";
import { ensureMachineKey, machineKey } from "../../disk/machine_key.ts";
import { lstatIfExists, readTextIfExists, writeCache } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { ignoredByGit } from "./start_digest.ts";

const VERSION = 1;

/** The kept part: for `count` commits from `head`, its title and (redacted) text. */
export const keptCommitsCheck = object({
  version: literal(VERSION),
  head: string(),
  count: number,
  title: string(),
  text: string(),
}, "strip");
export type KeptCommits = Out<typeof keptCommitsCheck>;

/** A part is a few KB; anything larger is not mpm's. */
const MAX_BYTES = 64 * 1024;

export function commitsFile(paths: ProjectPaths): string {
  return join(paths.base, "cache", "commits.json");
}

/** The part kept for `count` commits from `head`, when this machine sealed one; else null. */
export async function keptCommits(
  paths: ProjectPaths,
  head: string,
  count: number,
): Promise<KeptCommits | null> {
  try {
    const file = commitsFile(paths);
    // A link (to anywhere) is no file mpm wrote: its writes replace files, never follow links.
    if (!(await lstatIfExists(file))?.isFile) return null;
    const text = await readTextIfExists(file, MAX_BYTES);
    const key = machineKey();
    if (text === undefined || key === null) return null;
    const { seal, ...body } = JSON.parse(text) as { seal?: unknown };
    if (typeof seal !== "string" || await hmacSha256HexAsync(key, JSON.stringify(body)) !== seal) {
      return null;
    }
    const checked = checkValue(keptCommitsCheck, body);
    if (!checked.ok || checked.value.head !== head || checked.value.count !== count) return null;
    return checked.value;
  } catch {
    return null;
  }
}

/** Keeps the part for the next start; best effort (a read-only project still starts). */
export async function keepCommits(
  paths: ProjectPaths,
  part: Omit<KeptCommits, "version">,
): Promise<void> {
  try {
    const key = await ensureMachineKey();
    if (key === null) return;
    const kept: KeptCommits = { version: VERSION, ...part };
    const body = JSON.stringify(kept);
    const sealed = JSON.stringify({ ...kept, seal: await hmacSha256HexAsync(key, body) }) + "\n";
    await ignoredByGit(paths);
    await writeCache(commitsFile(paths), sealed, { root: paths.base });
  } catch {
    // The next start runs `git log` again.
  }
}
