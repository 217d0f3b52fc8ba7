/**
 * Small looks into the store that load none of its record code, for SessionStart's and a
 * pause's shortest paths.
 */
import { join } from "../../../kernel/path.ts";
import { fileNames, lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { HANDOFFS, storeFolder } from "../listing/store_folders.ts";

/** Whether `handoffs/` holds a handoff record (claude_store.ts reads them). */
export async function anyHandoff(paths: ProjectPaths): Promise<boolean> {
  const names = await fileNames(storeFolder(paths, HANDOFFS));
  return names.some((name) => /^handoff-.*\.json$/.test(name));
}

/** Whether `.claude-mpm/` is a folder: a status line makes none where there is none. */
export async function storeThere(paths: ProjectPaths): Promise<boolean> {
  return (await lstatIfExists(paths.base))?.isDirectory === true;
}

/** Whether `vault/` is there (made with the first Claude session recorded). */
export async function vaultThere(paths: ProjectPaths): Promise<boolean> {
  return await lstatIfExists(paths.vault) !== undefined;
}

/** `config.json`'s text, or undefined where there is none. */
export async function readConfigText(paths: ProjectPaths): Promise<string | undefined> {
  return await readTextIfExists(join(paths.base, "config.json"));
}

/** When the snapshot `id`'s record was written (ms), or undefined where it is not there. */
export async function snapshotWrittenAt(
  paths: ProjectPaths,
  id: string,
): Promise<number | undefined> {
  const info = await lstatIfExists(join(paths.sessions, `${id}.json`));
  return info?.mtime?.getTime();
}

/** events.jsonl's size and mtime ("none" without it): unchanged means no mpm changed anything. */
export async function eventsMark(paths: ProjectPaths): Promise<string> {
  const info = await lstatIfExists(paths.events).catch(() => undefined);
  return info ? `${info.size} ${info.mtime?.getTime()}` : "none";
}
