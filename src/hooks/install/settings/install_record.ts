/**
 * What this machine's install wrote and created, sealed and naming its folder; any other record
 * reads as none.
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
import { realOr } from "./settings_file.ts";

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
  /** mpm's MCP server as install registered it, and what it added around it, for uninstall. */
  mcp: optional(object({
    file: string(),
    project: string(),
    added: array(oneOf(ADDED_LEVELS)),
  }, "strip")),
  /** Each wired settings file: the person's containers, which uninstall leaves. */
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

/** An empty record for `dir`: nothing installed, nothing created. */
export function emptyRecord(dir: string): InstallRecord {
  return { folder: dir, scripts: {}, created: [] };
}

/** This machine's record in `dir`, or an empty one. */
export async function readInstallRecord(dir: string): Promise<InstallRecord> {
  // The folder as the record names it: its real path when it exists (a /var → /private/var).
  const folder = await realOr(dir);
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

/** Writes the record sealed; removes it when empty or unsealable (no machine key). */
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
    folder: await realOr(dir),
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

/** Notes `file`'s containers that were the person's (`kept`), or forgets `file` when undefined. */
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

/** The paths not there yet that creating `file` would make, up to `upTo`. Call before writing. */
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
 * Removes `file` and its created folders up to `upTo` when only mpm's part is left; the record
 * forgets them. Returns the paths removed.
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
      // A link is not the folder install made; removeQuietly removes only an empty folder.
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
