/**
 * The transcripts the hooks saw here. A path is taken only from a line this machine sealed: a
 * clone's could name any file to read and push.
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
  /** The newest path a sealed line recorded; null when none did or redaction changed it. */
  path: string | null;
  /** A line this machine sealed saw it: only then is its absence from Claude Code reported. */
  own: boolean;
  /** A sealed line named a path that can be a transcript. */
  named: boolean;
  /** The hook events that saw it (SessionStart, SessionEnd, Stop, PreCompact). */
  events: string[];
  /** The mpm sessions that saw it, the latest last. */
  keys: string[];
  lastSeen: string;
}

/** Whether the hooks saw a conversation: during it, or at its start and end (not start alone). */
export function sawConversation(seen: SeenTranscript): boolean {
  const { events } = seen;
  if (!seen.named) return false;
  return events.includes("Stop") || events.includes("PreCompact") ||
    events.includes("SessionEnd") && events.length > 1;
}

/** Keys are `s-<hex>` or snapshot ids: plain names (as claude_sessions.ts checks them). */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** One file's sightings folded into `byId`; `machine` null: nothing is sealed. */
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
    // Redacted: it named something, not to be read. What names no transcript is no path.
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

/** This machine's sessions: their `threads/<key>/` folders, which a pull never writes. */
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
