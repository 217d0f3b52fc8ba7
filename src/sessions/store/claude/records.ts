/** What the hooks write while Claude Code runs: error records, resume files, alert markers. */
import { basename, join } from "../../../kernel/path.ts";
import { sha256Hex } from "../../../kernel/hashing/checksum.ts";
import type { ErrorRecord } from "./error_record.ts";
import { errorFileName, resumeFileName } from "./names.ts";
import { createAtomic, createUnique, writeCache } from "../../../disk/files/atomic.ts";
import { fileNames } from "../../../disk/read/stat.ts";
import { removeEntry, removeQuietly } from "../../../disk/files/entries.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { forDisk, type TextFields } from "../../../disk/files/written.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { modelId } from "../../../claude/session/payload.ts";
import { HOOKS_STATE, storeFolder } from "../listing/store_folders.ts";

/** Error records kept; older ones go, so a tool failing in a loop cannot fill the disk. */
export const MAX_ERROR_RECORDS = 500;

/** Writes `errors/<UTC stamp>-<tool>.json`, sealed with this machine's key; returns its path. */
export async function writeErrorRecord(
  paths: ProjectPaths,
  record: ErrorRecord,
  now: Date,
): Promise<string> {
  const tool = record.tool ?? record.event;
  // Loaded here: SessionStart and Stop use this file's markers and never write an error record.
  const { serializeErrorRecord } = await import("./error_record.ts");
  const path = await createUnique(
    paths.errors,
    (attempt) => errorFileName(now, tool, attempt),
    await serializeErrorRecord(record, await ensureMachineKey()),
    paths.base,
  );
  await pruneOldest(paths.errors, MAX_ERROR_RECORDS, basename(path));
  return path;
}

/** Keeps the newest `keep` records and `written`; one stamped after `written` goes first. */
async function pruneOldest(dir: string, keep: number, written: string): Promise<void> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json") && entry.name !== written) {
      names.push(entry.name);
    }
  }
  if (names.length + 1 <= keep) return;
  const ahead = (name: string) => name > written;
  names.sort((a, b) => Number(ahead(b)) - Number(ahead(a)) || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names.slice(0, names.length + 1 - keep)) {
    await removeQuietly(join(dir, name));
  }
}

/** Writes `sessions/session-resume-YYYY-MM-DD-HHMMSS.md` (never over another); its path. */
export async function writeResumeFile(
  paths: ProjectPaths,
  now: Date,
  text: string,
): Promise<string> {
  return await createUnique(
    paths.sessions,
    (attempt) => resumeFileName(now, attempt),
    await forDisk(RESUME_FILE_TEXT, text),
    paths.base,
  );
}

/** The resume file is a document of free text (the session's words, Claude's last message). */
export const RESUME_FILE_TEXT: TextFields = { free: [""], exact: [] };

/** `hooks-state/`: alerts claimed by exclusive create, so racing Stop hooks announce once. */
export function alertsDir(paths: ProjectPaths): string {
  return storeFolder(paths, HOOKS_STATE);
}

const MARKER_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** A Claude session id as a file name: itself when it is a plain name, else its hash. */
export function markerKey(claudeSessionId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(claudeSessionId)
    ? claudeSessionId
    : sha256Hex(claudeSessionId).slice(0, 32);
}

/** True when this call is the first to claim the alert. */
export async function claimAlert(
  paths: ProjectPaths,
  claudeSessionId: string,
  threshold: number,
  now: Date,
): Promise<boolean> {
  const dir = alertsDir(paths);
  const name = `${markerKey(claudeSessionId)}.${threshold}`;
  const line = JSON.stringify({
    claude_session_id: claudeSessionId,
    threshold,
    time: now.toISOString(),
  });
  const claimed = await createAtomic(join(dir, name), line + "\n", { root: paths.base });
  if (claimed) await sweepMarkers(dir, now);
  return claimed;
}

/** Gives an alert back (its resume file could not be written), so the next Stop tries again. */
export async function releaseAlert(
  paths: ProjectPaths,
  claudeSessionId: string,
  threshold: number,
): Promise<void> {
  await removeQuietly(join(alertsDir(paths), `${markerKey(claudeSessionId)}.${threshold}`));
}

/** Forgets the session's alerts (after a compaction); returns how many there were. */
export async function clearAlerts(paths: ProjectPaths, claudeSessionId: string): Promise<number> {
  const prefix = `${markerKey(claudeSessionId)}.`;
  let cleared = 0;
  for (const name of await fileNames(alertsDir(paths))) {
    // Only the threshold markers: the session's model (`.model`) outlives a compaction.
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    await removeQuietly(join(alertsDir(paths), name));
    cleared++;
  }
  return cleared;
}

/** The model SessionStart named for a Claude session (`<id>.model`), for Stop and SessionEnd. */
export async function rememberModel(
  paths: ProjectPaths,
  claudeSessionId: string,
  model: string,
  now: Date,
): Promise<void> {
  const line = JSON.stringify({
    claude_session_id: claudeSessionId,
    model,
    time: now.toISOString(),
  });
  // A cache write, no fsync: losing it, the hooks take the window from the transcript's model.
  await writeCache(join(alertsDir(paths), `${markerKey(claudeSessionId)}.model`), line + "\n", {
    root: paths.base,
  });
}

/** The model remembered for the Claude session, or undefined. */
export async function rememberedModel(
  paths: ProjectPaths,
  claudeSessionId: string,
): Promise<string | undefined> {
  const file = join(alertsDir(paths), `${markerKey(claudeSessionId)}.model`);
  try {
    if (!(await Deno.lstat(file)).isFile) return undefined;
    // Read as any file may be: used only when it has a model id's shape.
    return modelId(JSON.parse(await Deno.readTextFile(file))?.model) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Removes the markers in `dir` not touched for 30 days. */
export async function sweepMarkers(dir: string, now: Date): Promise<void> {
  for (const name of await fileNames(dir)) {
    try {
      const info = await Deno.lstat(join(dir, name));
      if (now.getTime() - (info.mtime?.getTime() ?? now.getTime()) > MARKER_MAX_AGE_MS) {
        await removeEntry(join(dir, name));
      }
    } catch {
      // Gone.
    }
  }
}
