/**
 * Conversations that ended without their end hook (Codex; SIGHUP): a turn's end leaves a sealed
 * `spool/unended-<id>.json` that SessionEnd removes; one left is queued as its pause by the next
 * start or state change. A mark this machine did not seal is removed unread.
 */
import { join } from "../../../kernel/path.ts";
import { checkedJson, object, oneOf, type Out, string } from "../../../kernel/check.ts";
import { newSessionId } from "../../../kernel/ids.ts";
import { AGENT_NAMES } from "../../../kernel/agent_name.ts";
import { sha256Hex } from "../../../kernel/hashing/checksum.ts";
import { lineSealVerifies, sealLine } from "../../../kernel/hashing/line_seal.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import { removeIfPresent } from "../../../disk/files/entries.ts";
import { ensureMachineKey, machineKey } from "../../../disk/machine_key.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import type { PauseRequest } from "../records/snapshot/request.ts";
import { spoolDir } from "./spool_names.ts";

const PREFIX = "unended-";
/** What a mark is sealed for: bound into its seal, so no other sealed line passes for one. */
const PURPOSE = "unended-mark";

/** A mark: the conversation, whose it is, its transcript, the end of its last turn. */
export const unendedCheck = object({
  unended: oneOf(AGENT_NAMES),
  session_id: string({ min: 1, max: 200 }),
  transcript_path: string({ max: 4_096 }),
  time: string({ max: 40 }),
}, "strip");
export type Unended = Out<typeof unendedCheck>;

/** The mark's file name for a conversation id (any id: one that is no plain name is hashed). */
function markName(sessionId: string): string {
  const key = /^[A-Za-z0-9_-]{1,100}$/.test(sessionId)
    ? sessionId
    : sha256Hex(sessionId).slice(0, 32);
  return `${PREFIX}${key}.json`;
}

/** The marks' file names (listed synchronously: every start and writing command asks). */
export function unendedNames(paths: ProjectPaths): string[] {
  const names: string[] = [];
  const dir = spoolDir(paths);
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isFile && entry.name.startsWith(PREFIX) && entry.name.endsWith(".json")) {
        names.push(entry.name);
      }
    }
  } catch {
    return [];
  }
  return names.sort();
}

/** Leaves (or renews) the mark of a conversation whose turn just ended. */
export async function markUnended(paths: ProjectPaths, mark: Unended): Promise<void> {
  const json = JSON.stringify({
    unended: mark.unended,
    session_id: mark.session_id,
    transcript_path: mark.transcript_path,
    time: mark.time,
  });
  const key = await ensureMachineKey();
  const line = key === null ? json : await sealLine(json, key, PURPOSE);
  await writeAtomic(join(spoolDir(paths), markName(mark.session_id)), line + "\n", {
    root: paths.base,
  });
}

/** Takes a conversation's mark away: it ended, and its own end queued its pause. */
export async function unmarkUnended(paths: ProjectPaths, sessionId: string): Promise<void> {
  await removeIfPresent(join(spoolDir(paths), markName(sessionId)));
}

/** A mark's line read back: the mark, or null for one this machine did not seal or cannot read. */
async function readMark(text: string): Promise<Unended | null> {
  const line = text.trimEnd();
  const key = machineKey();
  if (key !== null && !(await lineSealVerifies(line, key, PURPOSE))) return null;
  const mark = checkedJson(unendedCheck, line);
  return mark && !Number.isNaN(Date.parse(mark.time)) ? mark : null;
}

/** The automatic pause the missed SessionEnd would have made. Pure. */
export function unendedRequest(mark: Unended, agentName: string): PauseRequest {
  return {
    summary: `Auto-saved after the ${agentName} conversation ended without its end hook.`,
    accomplishments: [],
    nextSteps: [],
    todos: [],
    claudeSessionId: mark.session_id,
    agent: mark.unended,
    summarySource: "auto",
    writtenBy: "mpm",
    trigger: "session-end",
    notes: [
      `Paused by mpm for ${agentName} conversation ${mark.session_id}, which ended without ` +
      `SessionEnd; its last turn ended at ${mark.time}.`,
    ],
    skipUnchanged: true,
  };
}

/** The snapshot id and queued file name a mark's pause gets, the same for the same mark. Pure. */
export function unendedPauseNames(text: string, mark: Unended): { id: string; name: string } {
  const time = new Date(mark.time);
  const hash = sha256Hex(text.trimEnd());
  const bytes = new Uint8Array([0, 2, 4].map((at) => parseInt(hash.slice(at, at + 2), 16)));
  const stamp = time.toISOString().replace(/[-:.]/g, "");
  return {
    id: newSessionId(time, bytes),
    name: `pause-${stamp}-unended-${hash.slice(0, 16)}.json`,
  };
}

/** Queues the pause of each conversation ended without its hook but `except`'s; says how many. */
export async function queueUnended(
  paths: ProjectPaths,
  now: Date,
  options: { except?: string; warn?: (line: string) => void } = {},
): Promise<number> {
  const names = unendedNames(paths);
  if (names.length === 0) return 0;
  const [{ spoolPauseAs }, { readState }, { agentNamed }] = await Promise.all([
    import("./spool.ts"),
    import("../state/state_store.ts"),
    import("../../../agents/agent.ts"),
  ]);
  let active: Awaited<ReturnType<typeof readState>>["active"] | undefined;
  let queued = 0;
  for (const name of names) {
    const file = join(spoolDir(paths), name);
    const text = await readTextIfExists(file).catch(() => undefined);
    // Taken away meanwhile: its end (or another run) saw to it.
    if (text === undefined) continue;
    const mark = await readMark(text);
    if (mark === null) {
      await removeIfPresent(file).catch(() => {});
      continue;
    }
    if (mark.session_id === options.except) continue;
    // The session now, read without the lock (atomic writes): the fold pauses it only if unchanged.
    active ??= (await readState(paths).catch(() => null))?.active ?? null;
    const { id, name: queuedName } = unendedPauseNames(text, mark);
    try {
      const made = await spoolPauseAs(
        paths,
        now,
        unendedRequest(mark, agentNamed(mark.unended).name),
        active,
        null,
        { snapshotId: id, gitAtFold: true, name: queuedName },
      );
      if (made !== null) queued++;
    } catch (error) {
      options.warn?.(
        `mpm: the pause of a conversation that ended without its end hook was not queued (${
          error instanceof Error ? error.message : String(error)
        }); the next command tries again.`,
      );
      continue;
    }
    // Queued (now or by another run): the mark goes, unless a new turn renewed it meanwhile.
    if (await readTextIfExists(file).catch(() => undefined) === text) {
      await removeIfPresent(file).catch(() => {});
    }
  }
  return queued;
}
