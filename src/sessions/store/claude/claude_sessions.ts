/**
 * Which Claude Code sessions belonged to an mpm session: the hooks append a line to
 * `threads/<key>/claude-sessions.jsonl` per sighting (SessionStart and SessionEnd always; Stop
 * and PreCompact for a new pair only). Pure: the line format, and folding lines per session.
 */
import { join } from "../../../kernel/path.ts";
import {
  checkedJson,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../../../kernel/check.ts";
import { AGENT_NAMES, type AgentName, agentOf } from "../../../kernel/agent_name.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import type { TextFields } from "../../../kernel/safe_text/text_fields.ts";
import type { HookPayload } from "../../../claude/session/payload.ts";

/** One line of the file; checked by hand, as every hook reads these (kernel/check.ts). */
export const sightingCheck = object({
  time: string(),
  /** The Claude Code hook event: SessionStart, SessionEnd, PreCompact, Stop. */
  event: string(),
  claude_session_id: string({ min: 1 }),
  transcript_path: nullable(string()),
  /** SessionStart's `source`, SessionEnd's `reason`, PreCompact's `trigger`; else null. */
  detail: optional(nullable(string())),
  /** The agent whose hooks saw it: `codex`; absent: Claude Code. */
  agent: optional(oneOf(AGENT_NAMES)),
}, "keep");

/** Snapshots tried, newest first, for a sighting's key when no session is active. */
export const KEY_SNAPSHOTS_TRIED = 5;

export type Sighting = Out<typeof sightingCheck>;

/** A sighting's free text (path, detail), redacted as written; time, event and id stay exact. */
export const sightingText: TextFields = {
  free: ["transcript_path", "detail"],
  exact: ["time", "event", "claude_session_id", "agent"],
};

/** One Claude Code session as the sightings describe it. */
export interface ClaudeSession {
  id: string;
  /** The newest transcript path seen for it (a `--resume` can move it), or null. */
  transcript: string | null;
  first_seen: string;
  last_seen: string;
  sightings: Sighting[];
  /** The agent it ran in when a sighting names one (Codex); absent: Claude Code. */
  agent?: AgentName;
}

/** Keys are `s-<hex>` or snapshot ids: plain names, never a path. */
const SESSION_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function isSessionKey(key: string): boolean {
  return SESSION_KEY.test(key) && !key.includes("..");
}

/** `.claude-mpm/threads/<key>/`: what mpm keeps about one session besides its snapshots. */
export function workFolder(paths: ProjectPaths, key: string): string {
  if (!isSessionKey(key)) throw new Error(`not a session key: ${JSON.stringify(key)}`);
  return join(paths.threads, key);
}

export function sightingsFile(paths: ProjectPaths, key: string): string {
  return join(workFolder(paths, key), "claude-sessions.jsonl");
}

/** `hooks-state/unfiled-sightings.jsonl`: sightings before the first session, filed later. */
export function unfiledFile(paths: ProjectPaths): string {
  return join(paths.base, "hooks-state", "unfiled-sightings.jsonl");
}

export function summaryFile(paths: ProjectPaths, key: string): string {
  return join(workFolder(paths, key), "summary.md");
}

/** The file's lines as sightings; lines that do not parse are left out and counted. */
export function parseSightings(text: string): { sightings: Sighting[]; bad: number } {
  const sightings: Sighting[] = [];
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const sighting = checkedJson(sightingCheck, line);
    if (sighting) sightings.push(sighting);
    else bad++;
  }
  return { sightings, bad };
}

/** Whether the file already records this session id with this transcript path. */
export function knows(sightings: readonly Sighting[], id: string, path: string | null): boolean {
  return sightings.some((s) => s.claude_session_id === id && s.transcript_path === path);
}

/** What a hook records of the event `payload` tells, at `now`. */
export function sightingOf(
  payload: HookPayload,
  now: Date,
  /** The agent whose hook it was; Claude Code's sighting names none. */
  agent: AgentName = "claude-code",
): Sighting {
  const event = payload.hook_event_name;
  const detail = event === "SessionStart"
    ? payload.source
    : event === "SessionEnd"
    ? payload.reason
    : event === "PreCompact"
    ? payload.trigger
    : undefined;
  return {
    time: now.toISOString(),
    event,
    claude_session_id: payload.session_id,
    transcript_path: typeof payload.transcript_path === "string" && payload.transcript_path !== ""
      ? payload.transcript_path
      : null,
    detail: typeof detail === "string" ? detail : null,
    ...(agent === "claude-code" ? {} : { agent }),
  };
}

/** One record per Claude session, in the order they were first seen. */
export function foldSightings(sightings: readonly Sighting[]): ClaudeSession[] {
  const byId = new Map<string, ClaudeSession>();
  const sorted = [...sightings].sort((a, b) => a.time < b.time ? -1 : a.time > b.time ? 1 : 0);
  for (const sighting of sorted) {
    const id = sighting.claude_session_id;
    let session = byId.get(id);
    if (session === undefined) {
      session = {
        id,
        transcript: null,
        first_seen: sighting.time,
        last_seen: sighting.time,
        sightings: [],
      };
      byId.set(id, session);
    }
    session.sightings.push(sighting);
    session.last_seen = sighting.time;
    if (sighting.agent !== undefined) session.agent = sighting.agent;
    if (sighting.transcript_path) session.transcript = sighting.transcript_path;
  }
  return [...byId.values()];
}

/** The agent the newest sighting names (Claude Code if none); undefined when none was seen. */
export function agentLastSeen(sessions: readonly ClaudeSession[]): AgentName | undefined {
  let newest: Sighting | undefined;
  for (const session of sessions) {
    for (const seen of session.sightings) if (!newest || seen.time >= newest.time) newest = seen;
  }
  return newest === undefined ? undefined : agentOf(newest.agent);
}
