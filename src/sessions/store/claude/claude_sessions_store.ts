/**
 * `threads/<key>/claude-sessions.jsonl`: short O_APPEND lines, each sealed with this machine's key.
 * Its transcript path is never read (that would read and push whatever it names): mpm computes it.
 */
import type { AgentName } from "../../../kernel/agent_name.ts";
import { appendLine } from "../../../disk/files/append.ts";
import { confine } from "../../../disk/files/confine/confine.ts";
import { ensureDir } from "../../../disk/files/confine/folders.ts";
import { lstatQuietly, statQuietly } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { removeQuietly, renameEntry } from "../../../disk/files/entries.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { ensureMachineKey, machineKey } from "../../../disk/machine_key.ts";
import { lineSealVerifies, sealLine } from "../../../kernel/hashing/line_seal.ts";
import type { HookPayload } from "../../../claude/session/payload.ts";
import {
  agentLastSeen,
  type ClaudeSession,
  foldSightings,
  isSessionKey,
  KEY_SNAPSHOTS_TRIED,
  knows,
  parseSightings,
  type Sighting,
  sightingOf,
  sightingsFile,
  sightingText,
  unfiledFile,
} from "./claude_sessions.ts";
import { forDisk, recordJson } from "../../../disk/files/written.ts";
import { dirname } from "../../../kernel/path.ts";
import { refuseLinkedFolder } from "../listing/store_folders.ts";
import { pushAll } from "../../../kernel/lists.ts";

/** Events recorded every time; the others only when the id and path are new to the file. */
const ALWAYS = new Set(["SessionStart", "SessionEnd"]);

/** Past this size the file is not read back to look for the pair: the line is just added. */
const MAX_READ_BYTES = 1024 * 1024;

/** Records that the hooks saw this Claude session; returns whether a line was added. */
export async function recordSighting(
  paths: ProjectPaths,
  key: string,
  sighting: Sighting,
): Promise<boolean> {
  return await recordIn(paths, sightingsFile(paths, key), sighting);
}

async function recordIn(paths: ProjectPaths, file: string, sighting: Sighting): Promise<boolean> {
  // Read before it is appended to: never through a folder linking out of `.claude-mpm/`.
  refuseLinkedFolder(paths, dirname(file));
  if (!ALWAYS.has(sighting.event) && await alreadyRecorded(file, sighting)) return false;
  // The write boundary: the sighting's free text redacted before the line is sealed.
  await appendSightingTo(paths, file, await recordJson(sightingText, sighting, "line"));
  return true;
}

/** Adds a sighting's (redacted) JSON line, sealed, under `key`; null: to the unfiled sightings. */
export async function appendSighting(paths: ProjectPaths, key: string | null, json: string) {
  await appendSightingTo(
    paths,
    key === null ? unfiledFile(paths) : sightingsFile(paths, key),
    json,
  );
}

async function appendSightingTo(paths: ProjectPaths, file: string, json: string) {
  const machine = await ensureMachineKey();
  const line = machine === null ? json : await sealLine(json, machine, "claude-sessions");
  await appendLine(file, line, { root: paths.base });
  // The vault's folder says a transcript was seen: a pause copies into it only when it is there.
  if (statQuietly(paths.vault)?.isDirectory !== true) {
    await ensureDir(await confine(paths.base, paths.vault));
  }
}

/** Whether the file has the sighting already: as it comes, then redacted (Stop loads no rules). */
async function alreadyRecorded(file: string, sighting: Sighting): Promise<boolean> {
  const size = statQuietly(file)?.size ?? 0;
  if (size === 0 || size > MAX_READ_BYTES) return false;
  const text = await readTextIfExists(file) ?? "";
  const id = sighting.claude_session_id;
  const path = sighting.transcript_path;
  if (path === null) return await recorded(text, id, null);
  if (!path.includes("[REDACTED") && await recorded(text, id, path)) return true;
  return await recorded(text, id, (await forDisk(sightingText, sighting)).transcript_path);
}

/** Whether a sealed line records this id with this path (lines naming the id, newest first). */
async function recorded(text: string, id: string, path: string | null): Promise<boolean> {
  const needle = JSON.stringify(id);
  const lines = text.split("\n");
  const machine = machineKey();
  for (let i = lines.length - 1; i >= 0; i--) {
    if (
      lines[i].includes(needle) && knows(parseSightings(lines[i]).sightings, id, path) &&
      (machine === null || await lineSealVerifies(lines[i].trimEnd(), machine, "claude-sessions"))
    ) {
      return true;
    }
  }
  return false;
}

/** The Claude sessions recorded for `key`; an unsealed line gives only id and times. */
export async function readClaudeSessions(
  paths: ProjectPaths,
  key: string,
): Promise<{ sessions: ClaudeSession[]; bad: number; foreign: number; foreignIds: Set<string> }> {
  const file = sightingsFile(paths, key);
  refuseLinkedFolder(paths, dirname(file));
  const text = await readTextIfExists(file);
  if (text === undefined) return { sessions: [], bad: 0, foreign: 0, foreignIds: new Set() };
  const machine = machineKey();
  const sightings: Sighting[] = [];
  const own = new Set<string>();
  let bad = 0;
  let foreign = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const parsed = parseSightings(line);
    bad += parsed.bad;
    if (parsed.sightings.length === 0) continue;
    if (await lineSealVerifies(line.trimEnd(), machine, "claude-sessions")) {
      pushAll(sightings, parsed.sightings);
      for (const s of parsed.sightings) own.add(s.claude_session_id);
      continue;
    }
    foreign++;
    for (const s of parsed.sightings) {
      sightings.push({ ...s, transcript_path: null, detail: null });
    }
  }
  const sessions = foldSightings(sightings);
  const foreignIds = new Set(sessions.map((s) => s.id).filter((id) => !own.has(id)));
  return { sessions, bad, foreign, foreignIds };
}

/** The agent that worked last in session `key`, as its sightings say; undefined: unknown. */
export async function agentIn(paths: ProjectPaths, key: string): Promise<AgentName | undefined> {
  const read = await readClaudeSessions(paths, key).catch(() => null);
  return read === null ? undefined : agentLastSeen(read.sessions);
}

/** The key a Claude session belongs to: the active session's, else the newest snapshot's. */
export async function currentSessionKey(paths: ProjectPaths): Promise<string | null> {
  const [{ sessionReads }, { sessionKey, writtenElsewhere }] = await Promise.all([
    import("../state/state_store.ts"),
    import("../../../kernel/snapshot.ts"),
  ]);
  const reads = sessionReads(paths);
  const state = await reads.state().catch(() => null);
  if (state?.active) return state.active.key;
  for (const entry of (await reads.entries()).slice(0, KEY_SNAPSHOTS_TRIED)) {
    try {
      const snapshot = await reads.snapshot(entry);
      // Another machine's snapshot is no work of this person's to record sessions under.
      if (writtenElsewhere(snapshot)) continue;
      return sessionKey(snapshot);
    } catch {
      // A damaged snapshot is doctor's business; the next one may do.
    }
  }
  return null;
}

/** The sighting this process is recording in each project (by its state file), settled. */
const recording = new Map<string, Promise<string | null>>();

/** The key this process's sighting in the project was recorded under, once written; else null. */
export function sightingRecorded(paths: ProjectPaths): Promise<string | null> {
  return recording.get(paths.state) ?? Promise.resolve(null);
}

/** Records a Claude session under the current session (else unfiled); returns the key used. */
export function recordClaudeSighting(
  paths: ProjectPaths,
  payload: HookPayload,
  now: Date,
  /** The key SessionStart's digest holds when it is current: no state or snapshot to parse. */
  digestKey?: () => Promise<string | null>,
  /** The agent whose hook it was (the sighting names it when it is not Claude Code). */
  agent?: AgentName,
): Promise<string | null> {
  const recorded = recordSightingOf(paths, payload, now, digestKey, agent);
  recording.set(paths.state, recorded.catch(() => null));
  return recorded;
}

async function recordSightingOf(
  ...[paths, payload, now, digestKey, agent]: Parameters<typeof recordClaudeSighting>
): Promise<string | null> {
  const key = (await digestKey?.()) ?? await currentSessionKey(paths);
  const sighting = sightingOf(payload, now, agent);
  if (key === null) {
    await recordIn(paths, unfiledFile(paths), sighting);
    return null;
  }
  if (!isSessionKey(key)) return null;
  // A conversation's start and end file what waited for a session, before their own line.
  if (ALWAYS.has(sighting.event)) await fileUnfiled(paths, key);
  await recordSighting(paths, key, sighting);
  return key;
}

/** Files the unfiled sightings under the session SessionEnd's pause made; its key, or null. */
export function fileUnfiledSightings(paths: ProjectPaths): Promise<string | null> {
  const filed = (async () => {
    const { forgetReads } = await import("../state/state_store.ts");
    // The pause just changed what the sighting read.
    forgetReads(paths);
    const key = await currentSessionKey(paths);
    if (key === null || !isSessionKey(key)) return null;
    await fileUnfiled(paths, key);
    return key;
  })();
  recording.set(paths.state, filed.catch(() => null));
  return filed;
}

/** Past this size the unfiled sightings are no first conversation's lines: they are dropped. */
const MAX_UNFILED_BYTES = 256 * 1024;

/** Moves this machine's unfiled sightings into `key`'s file (taken by rename: one filer wins). */
async function fileUnfiled(paths: ProjectPaths, key: string): Promise<void> {
  const file = unfiledFile(paths);
  // The usual case, on every start and end: nothing waits.
  if (lstatQuietly(file) === undefined) return;
  const from = await confine(paths.base, file);
  const taken = `${from}.${crypto.getRandomValues(new Uint32Array(1))[0]}.taken`;
  try {
    await renameEntry(from, taken);
  } catch {
    return;
  }
  try {
    const info = lstatQuietly(taken);
    if (info?.isFile !== true || info.size > MAX_UNFILED_BYTES) return;
    const text = await readTextIfExists(taken, MAX_UNFILED_BYTES) ?? "";
    const machine = machineKey();
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      if (machine !== null && !await lineSealVerifies(line.trimEnd(), machine, "claude-sessions")) {
        continue;
      }
      await appendLine(sightingsFile(paths, key), line, { root: paths.base });
    }
  } finally {
    await removeQuietly(taken);
  }
}
