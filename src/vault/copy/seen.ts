/**
 * The Claude Code transcripts mpm has seen in this project: what the hooks recorded in each
 * session's `threads/<key>/claude-sessions.jsonl` (docs/format.md; written by
 * src/sessions/store/claude/claude_sessions_store.ts, which sits above the vault). Only the three
 * fields the vault needs are read; a line that lacks them is passed over, as `mpm replay` passes
 * it.
 *
 * A line's transcript path is taken only from a line this machine's hooks sealed
 * (kernel/hashing/line_seal.ts): a path in a line a clone committed could name any file, which the
 * copier would read and push. An unsealed line (that, or an older mpm's) names only an id: its
 * transcript is looked for where Claude Code keeps this checkout's (copy.ts computes the path),
 * and is not reported missing when it is not there.
 */
import { join } from "../../kernel/path.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { machineKey } from "../../disk/machine_key.ts";
import { lineSealVerifies } from "../../kernel/hashing/line_seal.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { isClaudeSessionId } from "../../claude/transcript/transcript_files.ts";
import { isNoTranscript } from "../../claude/transcript/transcript_kind.ts";
import { type AgentName, agentOf } from "../../kernel/agent_name.ts";

export interface SeenTranscript {
  id: string;
  /** The agent the conversation ran in: a sighting's `agent`, Claude Code when none names one. */
  agent: AgentName;
  /**
   * The newest path a sealed line recorded; null when none did (then it is computed), or
   * redaction changed it.
   */
  path: string | null;
  /** A line this machine sealed saw it: only then is its absence from Claude Code reported. */
  own: boolean;
  /**
   * A line this machine sealed named a path that can be its transcript (redacted or not): the
   * hooks were told of one. A conversation they were told of none (a FIFO for a transcript, say:
   * claude/transcript/transcript_kind.ts) lost none when Claude Code has none.
   */
  named: boolean;
  /** The hook events that saw it (SessionStart, SessionEnd, Stop, PreCompact). */
  events: string[];
  /** The mpm sessions that saw it, the latest last. */
  keys: string[];
  lastSeen: string;
}

/**
 * Whether the hooks saw a conversation: during it (Stop, PreCompact), or both at its start and at
 * its end, which mpm records only with its transcript there (hooks/events/end_decision.ts). Claude
 * Code fires SessionStart alone for `claude -p ""` and a `--resume` of an unknown id, and an older
 * mpm recorded SessionEnd alone for `claude mcp list` and `claude plugin install`: no transcript
 * was ever written for those, and its absence is no loss to report. (A conversation whose
 * SessionEnd never ran, Claude Code killed, is not counted either.) Nor is one the hooks were told
 * of no transcript for (`named`).
 */
export function sawConversation(seen: SeenTranscript): boolean {
  const { events } = seen;
  if (!seen.named) return false;
  return events.includes("Stop") || events.includes("PreCompact") ||
    events.includes("SessionEnd") && events.length > 1;
}

/** Keys are `s-<hex>` or snapshot ids: plain names (as claude_sessions.ts checks them). */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The folded sightings of one file's text, into `byId`; `machine` is this machine's key (null:
 * no line is taken for sealed).
 */
export async function foldSightingLines(
  text: string,
  key: string,
  byId: Map<string, SeenTranscript>,
  machine: string | null,
): Promise<void> {
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const id = value?.claude_session_id;
    const time = value?.time;
    if (typeof id !== "string" || !isClaudeSessionId(id) || typeof time !== "string") continue;
    const own = await lineSealVerifies(line.trimEnd(), machine, "claude-sessions");
    const event = typeof value.event === "string" ? value.event : "";
    const recorded = own && typeof value.transcript_path === "string" ? value.transcript_path : "";
    // Redaction changed it: it named something, not to be read. What names no transcript (a
    // FIFO an older mpm recorded) is taken for no path, as the hooks now record it.
    const redacted = recorded.includes("[REDACTED");
    const path = recorded !== "" && !redacted && !isNoTranscript(recorded) ? recorded : null;
    const named = path !== null || redacted;
    const agent = agentOf(value.agent);
    const seen = byId.get(id);
    if (seen === undefined) {
      byId.set(id, { id, agent, path, own, named, events: [event], keys: [key], lastSeen: time });
      continue;
    }
    if (agent !== "claude-code") seen.agent = agent;
    seen.own ||= own;
    seen.named ||= named;
    if (!seen.events.includes(event)) seen.events.push(event);
    if (time >= seen.lastSeen) {
      seen.lastSeen = time;
      if (path !== null) seen.path = path;
      seen.keys = [...seen.keys.filter((k) => k !== key), key];
    } else if (!seen.keys.includes(key)) seen.keys = [key, ...seen.keys];
    if (seen.path === null) seen.path = path;
  }
}

/**
 * The sessions this machine worked in: each has its folder `threads/<key>/` (the hooks'
 * sightings, the work-tree marks), which `mpm sync pull` never writes.
 */
export async function sessionFolders(paths: ProjectPaths): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(paths.threads)))
      .filter((e) => e.isDirectory && KEY.test(e.name) && !e.name.includes(".."))
      .map((e) => e.name).sort();
  } catch {
    return []; // no sessions recorded yet
  }
}

/** Every transcript the hooks recorded in this project, by Claude session id. */
export async function readSeen(paths: ProjectPaths): Promise<Map<string, SeenTranscript>> {
  const byId = new Map<string, SeenTranscript>();
  // No key yet: no line was sealed here.
  const machine = machineKey();
  for (const key of await sessionFolders(paths)) {
    const text = await readTextIfExists(join(paths.threads, key, "claude-sessions.jsonl"))
      .catch(() => undefined);
    if (text !== undefined) await foldSightingLines(text, key, byId, machine);
  }
  return byId;
}
