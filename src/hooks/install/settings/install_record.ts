/**
 * What this machine's `mpm hooks install` wrote and created, in the scripts folder it installed
 * (`<scripts folder>/.mpm-manifest.json`, store.ts): the sha256 of each script as it wrote it,
 * and the files and folders it made that were not there (a new settings file, its `.claude/`).
 *
 * The record is sealed with this machine's key (disk/machine_key.ts, kernel/hashing/seal.ts) and
 * names the folder it describes, so only this machine's install, in this folder, counts:
 * - a record committed into a repository someone cloned, copied from another clone or written by
 *   an older mpm (unsealed) reads as no record at all; the scripts beside it are then the
 *   person's only when they are a version mpm shipped (store.ts `scriptState`);
 * - a script that differs from what the record says install wrote was edited after this
 *   machine's install: the person's, kept;
 * - uninstall removes a created path only when it computes that same path itself and the record
 *   names it: a path in the record is never a place to delete by itself.
 * Anything unreadable, too large, a link, or for another folder reads as empty: at worst an
 * edited script is taken for a stranger's, replaced, and kept as a backup.
 */
import { dirname, join } from "../../../kernel/path.ts";
import {
  array,
  checkValue,
  literal,
  object,
  oneOf,
  optional,
  type Out,
  record,
  string,
} from "../../../kernel/check.ts";
import {
  jsonSealVerifiesAsync,
  SEAL_PLACEHOLDER,
  sealJsonTextAsync,
} from "../../../kernel/hashing/seal.ts";
import { ADDED_LEVELS } from "../../../claude/settings/mcp/claude_json.ts";
import { ensureMachineKey, machineKey } from "../../../disk/machine_key.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import { removeQuietly } from "../../../disk/files/entries.ts";

/** The record's file name in the scripts folder. */
export const RECORD_FILE = ".mpm-manifest.json";
/** A larger file is not mpm's (four scripts and a few paths take about 1 KB). */
const MAX_RECORD_BYTES = 64 * 1024;

const installRecordCheck = object({
  schema_version: literal(2),
  /** The scripts folder the record is about (its real path when written). */
  folder: string(),
  /** Each script by its name, with the sha256 install wrote and when it wrote it. */
  scripts: record(string(), object({ sha256: string(), installed_at: string() }, "strip")),
  /** Absolute paths install created that were not there before: what uninstall may remove. */
  created: array(string()),
  /**
   * mpm's MCP server as install registered it in Claude Code's state file (mcp_entry.ts): the
   * file, the project's key there, and what install added around the server, for uninstall.
   */
  mcp: optional(object({
    file: string(),
    project: string(),
    added: array(oneOf(ADDED_LEVELS)),
  }, "strip")),
  /**
   * Each settings file this install wired (its absolute path): the containers of mpm's entries
   * the person had there before (`hooks`, `hooks.Stop`: settings.ts `hookContainers`), which
   * uninstall leaves even when mpm's entries were all they held. Written by every install, so a
   * record without it for a file is an older mpm's.
   */
  settings: optional(record(
    string(),
    object({
      kept: array(string()),
      /** What install allowed of mpm's MCP tools there (mcp_allow.ts), for uninstall. */
      allowed: optional(array(string())),
    }, "strip"),
  )),
  seal: string(),
}, "strip");

export type InstallRecord = Omit<Out<typeof installRecordCheck>, "seal" | "schema_version">;

/** Where a scripts folder's record is. */
export function recordPath(dir: string): string {
  return join(dir, RECORD_FILE);
}

/** The folder as the record names it: its real path when it exists (a /var → /private/var). */
async function realFolder(dir: string): Promise<string> {
  try {
    return await Deno.realPath(dir);
  } catch {
    return dir;
  }
}

/** An empty record for `dir`: nothing installed, nothing created. */
export function emptyRecord(dir: string): InstallRecord {
  return { folder: dir, scripts: {}, created: [] };
}

/**
 * The record of this machine's install in the scripts folder `dir`, or an empty one (see the
 * header: unsealed, sealed elsewhere, for another folder, a link, damaged).
 */
export async function readInstallRecord(dir: string): Promise<InstallRecord> {
  const folder = await realFolder(dir);
  const empty = emptyRecord(folder);
  try {
    const path = recordPath(dir);
    const key = machineKey();
    if (key === null || !(await lstatIfExists(path))?.isFile) return empty;
    const text = await readTextIfExists(path, MAX_RECORD_BYTES);
    if (text === undefined) return empty;
    const checked = checkValue(installRecordCheck, JSON.parse(text));
    if (!checked.ok || checked.value.folder !== folder) return empty;
    if (!(await jsonSealVerifiesAsync(text, checked.value.seal, key))) return empty;
    const { seal: _, schema_version: _v, ...value } = checked.value;
    return value;
  } catch {
    return empty;
  }
}

/**
 * Writes the record, sealed; removes it when it holds nothing. Without a machine key (no home
 * folder) nothing can be sealed, and an unsealed record would be taken for a stranger's: the
 * record is then removed, and the next install trusts only shipped versions.
 */
export async function writeInstallRecord(
  dir: string,
  value: InstallRecord,
  root: string,
): Promise<void> {
  const path = recordPath(dir);
  const settings = Object.keys(value.settings ?? {}).length;
  const key = Object.keys(value.scripts).length + value.created.length + settings === 0 &&
      !value.mcp
    ? null
    : await ensureMachineKey();
  if (key === null) {
    await removeQuietly(path);
    return;
  }
  const scripts = sortedKeys(value.scripts);
  const body = {
    schema_version: 2,
    folder: await realFolder(dir),
    scripts,
    created: [...new Set(value.created)].sort(),
    ...(value.mcp ? { mcp: value.mcp } : {}),
    ...(settings > 0 ? { settings: sortedKeys(value.settings!) } : {}),
    seal: SEAL_PLACEHOLDER,
  };
  const { text } = await sealJsonTextAsync(JSON.stringify(body, null, 2) + "\n", key);
  await writeAtomic(path, text, { root });
}

function sortedKeys<T>(value: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a < b ? -1 : 1));
}

/** The containers the person had in the settings file `file`, as install noted them (none). */
export async function keptContainers(dir: string, file: string): Promise<string[]> {
  return (await readInstallRecord(dir)).settings?.[file]?.kept ?? [];
}

/**
 * Notes the containers of `file` that were the person's before this install (`kept`), or, when
 * `kept` is undefined, forgets `file` (uninstall took mpm's entries out of it).
 */
export async function noteSettings(
  dir: string,
  file: string,
  kept: readonly string[] | undefined,
  root: string,
): Promise<void> {
  const current = await readInstallRecord(dir);
  const after = kept === undefined ? undefined : [...new Set(kept)].sort();
  if (JSON.stringify(current.settings?.[file]?.kept) === JSON.stringify(after)) return;
  const { [file]: _, ...others } = current.settings ?? {};
  const noted = current.settings?.[file];
  const settings = after === undefined ? others : { ...others, [file]: { ...noted, kept: after } };
  await writeInstallRecord(dir, { ...current, settings }, root);
}

/**
 * Of `paths` (a file, then the folders it would be made in), the ones not there yet: what an
 * install about to create `paths[0]` creates. Call it before writing; record the answer after.
 */
export async function missingPaths(file: string, upTo: string): Promise<string[]> {
  const missing: string[] = [];
  for (let at = file; at !== upTo && at !== dirname(at); at = dirname(at)) {
    if (await lstatIfExists(at)) break;
    missing.push(at);
  }
  return missing;
}

/** Adds `created` to the record of the scripts folder `dir` (an install made them). */
export async function noteCreated(dir: string, created: string[], root: string): Promise<void> {
  if (created.length === 0) return;
  const current = await readInstallRecord(dir);
  await writeInstallRecord(dir, { ...current, created: [...current.created, ...created] }, root);
}

/**
 * Uninstall's half of `noteCreated`: removes `file` when this machine's install created it and
 * `isEmpty` says nothing but what install put there is left in it (its text, as read), then
 * each folder above it, up to `upTo`, that install created and that is now empty. Once the file
 * is gone the record forgets it and its folders, removed or not (a folder holding something
 * else is no longer install's alone). Returns the paths removed.
 */
export async function removeCreated(
  dir: string,
  file: string,
  isEmpty: (text: string) => boolean,
  options: { upTo: string; root: string },
): Promise<string[]> {
  const current = await readInstallRecord(dir);
  const created = new Set(current.created);
  if (!created.has(file)) return [];
  const removed: string[] = [];
  const info = await lstatIfExists(file);
  // A link or a folder in its place is not the file install made.
  if (info?.isFile) {
    const text = await readTextIfExists(file, MAX_RECORD_BYTES * 16).catch(() => undefined);
    if (text !== undefined && isEmpty(text) && await removeQuietly(file)) removed.push(file);
  }
  if (!(await lstatIfExists(file))) {
    created.delete(file);
    // Its folders matter only now: one still holding something stays, and is forgotten.
    let climbing = true;
    for (let at = dirname(file); at !== options.upTo && created.has(at); at = dirname(at)) {
      created.delete(at);
      // A link in its place is not the folder install made; removeQuietly removes only an
      // empty folder.
      climbing &&= (await lstatIfExists(at))?.isDirectory === true && await removeQuietly(at);
      if (climbing) removed.push(at);
    }
  }
  await writeInstallRecord(dir, { ...current, created: [...created] }, options.root);
  return removed;
}

/** Whether this machine's install recorded creating `path` in the scripts folder `dir`. */
export async function createdByInstall(dir: string, path: string): Promise<boolean> {
  return (await readInstallRecord(dir)).created.includes(path);
}
