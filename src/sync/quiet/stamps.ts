/**
 * What a sync with nothing new is worked out from, as it is now, without reading the files: the
 * ref names, the remote a run resolves to, how the folders of the synced files, the vault and
 * sync.json look. The full sync keeps its quiet answer against these (sync_record.ts), and the
 * quiet door (sync_door.ts) compares them before it answers: this file imports little, since the
 * door loads it before the command line.
 */
import { join } from "../../kernel/path.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { HANDOFFS, storeFolder } from "../../sessions/store/listing/store_folders.ts";
import { RACY_MS } from "../../sessions/store/listing/listing_cache.ts";
import { configTexts, type GitDirs } from "../../git/run/root.ts";
import { gitVars } from "../../git/run/run.ts";

/** The kinds of synced files (plan.ts Kind, which this folder, under the rest of sync, names so). */
type Kind = "session" | "checkpoint" | "handoff";

export const SYNC_REF = "refs/mpm/sessions";

export function trackingRef(remote: string): string {
  return `refs/mpm/remotes/${remote}/sessions`;
}

/**
 * The remote a sync uses: the one `named`, else the branch's upstream remote when it is one of
 * `remotes`, else `origin`; undefined when that is not a remote (or reads as an option). Pure.
 */
export function pickRemote(
  remotes: readonly string[],
  upstream: string | undefined,
  named: string | undefined,
): string | undefined {
  const remote = named ?? (upstream && remotes.includes(upstream) ? upstream : "origin");
  // Configured names never start with "-"; refusing one keeps it from reading as an option.
  return remotes.includes(remote) && !remote.startsWith("-") ? remote : undefined;
}

/**
 * The remote a sync uses, from `git config -z --get-regexp` output holding the remotes' urls and
 * the branches' remotes (its values by key too, for what else was asked); see pickRemote. Pure.
 */
export function remoteFromConfig(
  stdout: string,
  branch: string | undefined,
  named: string | undefined,
): { remote: string | undefined; remotes: string[]; values: Map<string, string> } {
  const values = new Map<string, string>();
  for (const record of stdout.split("\0")) {
    const newline = record.indexOf("\n");
    if (newline > 0) values.set(record.slice(0, newline), record.slice(newline + 1));
  }
  const remotes = [...values.keys()].flatMap((key) => key.match(/^remote\.(.+)\.url$/)?.[1] ?? []);
  const upstream = branch ? values.get(`branch.${branch}.remote`) : undefined;
  return { remote: pickRemote(remotes, upstream, named), remotes, values };
}

/**
 * What git's config and HEAD say that picks the remote (`head`: HEAD's text as read), as a hash:
 * the same while every config file git reads, the variables that add to them and HEAD are as
 * they were. "" when a file includes another (`[include]`, `[includeIf]`), whose changes this
 * cannot see: git is then asked.
 */
export function gitConfigStamp(dirs: GitDirs, head: string | undefined): string {
  const texts = configTexts(dirs);
  if (head === undefined || texts.some((text) => /\[include/i.test(text))) return "";
  const vars = gitVars();
  const env = Object.keys(vars).filter((key) => key.startsWith("GIT_CONFIG")).sort()
    .map((key) => `${key}=${vars[key]}`);
  return sha256Hex(new TextEncoder().encode([head, ...env, ...texts].join("\0")));
}

/**
 * The branch HEAD's file names plainly ("" when HEAD is detached); undefined for anything else
 * (a reftable repository, a name git must be asked about). Pure.
 */
export function plainBranch(head: string | undefined): string | undefined {
  const named = head?.match(/^ref: refs\/heads\/([^\n]+)\n?$/)?.[1];
  if (named !== undefined && named !== ".invalid") return named;
  if (head !== undefined && /^[0-9a-f]{40}(?:[0-9a-f]{24})?\n?$/.test(head)) return "";
  return undefined;
}

/** The folders a kind's files are read from, and whether push sends from each. */
export function syncFolders(paths: ProjectPaths, kind: Kind): { dir: string; pushable: boolean }[] {
  if (kind === "checkpoint") return [{ dir: paths.checkpoints, pushable: true }];
  if (kind === "handoff") return [{ dir: storeFolder(paths, HANDOFFS), pushable: true }];
  return [
    { dir: paths.sessions, pushable: true },
    { dir: paths.archive, pushable: false },
    { dir: paths.legacyPause, pushable: false },
  ];
}

/**
 * How the folders of every kind's files look (times and inode of each), taken without listing
 * them: a file put in, replaced or removed by a rename, as mpm writes, changes its folder's look.
 * `settled`: every folder's last change is RACY_MS old, so that a change made after this look
 * cannot leave the folder's times as they are (a file system's clock ticks coarsely); a look
 * that is not settled is not kept to answer from.
 */
export function folderLook(paths: ProjectPaths): { look: string; settled: boolean } {
  const kinds: Kind[] = ["session", "checkpoint", "handoff"];
  const now = Date.now();
  let settled = true;
  const look = kinds.flatMap((kind) => syncFolders(paths, kind)).map(({ dir }) => {
    try {
      const info = Deno.lstatSync(dir);
      const mtime = info.mtime?.getTime();
      if (mtime === undefined || mtime > now - RACY_MS) settled = false;
      return `${info.isDirectory ? "d" : "f"}:${mtime ?? ""}:${info.ctime?.getTime() ?? ""}:${
        info.ino ?? ""
      }`;
    } catch {
      return "-";
    }
  }).join("/");
  return { look, settled };
}

/** sync.json's text as the record compares it. */
export function configStamp(text: string | undefined): string {
  return text === undefined ? "" : sha256Hex(new TextEncoder().encode(text));
}

/** sync.json as it is now, as configStamp has it. */
export async function configNow(paths: ProjectPaths): Promise<string> {
  return configStamp(await readTextIfExists(join(paths.base, "sync.json")));
}

/** How the vault's files look (names, sizes, times): a copy made or grown changes it. */
export async function vaultLook(paths: ProjectPaths): Promise<string> {
  const looks: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.vault)) {
      try {
        const info = Deno.lstatSync(join(paths.vault, entry.name));
        looks.push(`${entry.name}:${info.size}:${info.mtime?.getTime()}:${info.ino}`);
      } catch {
        looks.push(`${entry.name}:-`);
      }
    }
  } catch {
    return "";
  }
  return sha256Hex(new TextEncoder().encode(looks.sort().join("\n")));
}
