/** mpm's own records on the timeline, each source a sorted array of events. */
import { agentLabel, agentOf } from "../kernel/agent_name.ts";
import { shown } from "../kernel/safe_text/shown.ts";
import type { SpanCommit } from "../git/history/log_span.ts";
import type { ClaudeSession } from "../sessions/store/claude/claude_sessions.ts";
import {
  byTime,
  clipText,
  type Common,
  isoTime,
  type Limits,
  type TimelineEvent,
} from "./timeline.ts";
import { oneLine } from "../kernel/safe_text/one_line.ts";

/** One line of events.jsonl (docs/format.md); every field but `time` and `command` optional. */
export type MpmEventLine = Record<string, unknown> & { time: string; command: string };

export interface SnapshotFacts {
  session_id: string;
  paused_at: string;
  summary: string;
  summary_source: string;
  state: string;
  key: string | null;
}

/** A handoff Claude wrote (/mpm-handoff), as the timeline shows it: a link of its session's chain. */
export interface HandoffFacts {
  handoff_id: string;
  written_at: string;
  previous: string | null;
  goal: string;
  next_step: string;
  claude_session_id: string | null;
}

export interface CheckpointFacts {
  name: string;
  saved_at: string;
  note: string | null;
  branch: string | null;
  head: string | null;
}

export interface ErrorFacts {
  time: string;
  tool: string | null;
  error: string;
  claude_session_id: string;
}

/** Whether an events.jsonl line concerns the session `key`. */
export function concerns(line: Record<string, unknown>, key: string): boolean {
  if (line.session === key || line.parent === key || line.child === key) return true;
  const before = line.before as Record<string, unknown> | undefined;
  const after = line.after as Record<string, unknown> | undefined;
  return before?.active_key === key || after?.active_key === key;
}

const mpmCommon = (time: string): Common => ({
  time,
  source: "mpm",
  claude_session: null,
  sidechain: false,
});

/** An events.jsonl line as seen from the session `key`. */
export function fromMpmEvent(
  line: MpmEventLine,
  key: string,
  snapshots: ReadonlyMap<string, SnapshotFacts>,
): TimelineEvent | null {
  const time = isoTime(line.time);
  if (time === null) return null;
  const str = (value: unknown) => typeof value === "string" ? value : null;
  const before = (line.before ?? {}) as Record<string, unknown>;
  const after = (line.after ?? {}) as Record<string, unknown>;
  const snapshot = str(line.snapshot);
  const summary = snapshot ? snapshots.get(snapshot)?.summary : undefined;
  let text: string;
  switch (line.command) {
    case "start":
      text = `started ${quoted(str(after.active) ?? key)}`;
      break;
    case "pause":
      text = `${line.auto === true ? "paused automatically" : "paused"}${
        summary ? `: ${oneLine(summary, 300)}` : ""
      }`;
      break;
    case "resume":
      text = `resumed${snapshot ? ` from ${snapshot}` : ""}`;
      break;
    case "branch": {
      const git = str(line.git_branch);
      const stash = str(line.stash);
      const details = [git ? `git branch ${git}` : null, stash ? `stash ${quoted(stash)}` : null]
        .filter(Boolean).join(", ");
      text = line.session === key
        ? `began as a branch of ${quoted(str(before.active) ?? str(line.parent) ?? "?")}`
        : `branched into ${quoted(str(after.active) ?? str(line.session) ?? "?")}`;
      if (details) text += ` (${details})`;
      break;
    }
    // `mpm done` and `mpm cancel`: the session's end, with its last words.
    case "done":
      text = `completed by mpm done${summary ? `: ${oneLine(summary, 300)}` : ""}`;
      break;
    case "cancel":
      text = `cancelled by mpm cancel${summary ? `: ${oneLine(summary, 300)}` : ""}`;
      break;
    // Claude's handoff (shown from its record, fromHandoff) or the person-facing document.
    case "handoff":
      text = typeof line.handoff === "string"
        ? `Claude wrote handoff ${line.handoff}`
        : `wrote a handoff document${str(line.to) ? ` for ${quoted(str(line.to)!)}` : ""}`;
      break;
    case "return":
      text = line.child === key
        ? "completed by mpm return"
        : `returned from ${quoted(str(before.active) ?? str(line.child) ?? "?")}${
          str(line.stash) ? ` (stash ${str(line.stash)})` : ""
        }`;
      break;
    default:
      text = line.command;
  }
  return {
    ...mpmCommon(time),
    kind: "mpm",
    command: line.command,
    text: shown(text),
    snapshot,
  };
}

/** A snapshot events.jsonl does not mention (a sync, a hook's pause). */
export function fromSnapshot(snapshot: SnapshotFacts): TimelineEvent | null {
  const time = isoTime(snapshot.paused_at);
  if (time === null) return null;
  const how = snapshot.summary_source === "auto" ? "paused automatically" : "paused";
  const state = snapshot.state === "completed" || snapshot.state === "cancelled"
    ? snapshot.state
    : snapshot.state === "branched"
    ? "put aside by mpm branch"
    : how;
  return {
    ...mpmCommon(time),
    kind: "mpm",
    command: "pause",
    text: shown(`${state}: ${oneLine(snapshot.summary, 300)}`),
    snapshot: snapshot.session_id,
  };
}

/** A handoff Claude wrote, as a link of its chain: what it follows, its goal and next step. */
export function fromHandoff(handoff: HandoffFacts): TimelineEvent | null {
  const time = isoTime(handoff.written_at);
  if (time === null) return null;
  const after = handoff.previous ? `, after ${handoff.previous}` : ", the first of its session";
  return {
    ...mpmCommon(time),
    claude_session: handoff.claude_session_id,
    kind: "mpm",
    command: "handoff",
    text: shown(
      `Claude handed off (${handoff.handoff_id}${after}): ${oneLine(handoff.goal, 200)} ` +
        `Next: ${oneLine(handoff.next_step, 200)}`,
    ),
    snapshot: null,
  };
}

export function fromCheckpoint(checkpoint: CheckpointFacts): TimelineEvent | null {
  const time = isoTime(checkpoint.saved_at);
  if (time === null) return null;
  return {
    ...mpmCommon(time),
    kind: "checkpoint",
    name: checkpoint.name,
    note: checkpoint.note === null ? null : shown(checkpoint.note),
    branch: checkpoint.branch,
    head: checkpoint.head,
  };
}

export function fromError(record: ErrorFacts, limits: Limits): TimelineEvent | null {
  const time = isoTime(record.time);
  if (time === null) return null;
  return {
    ...mpmCommon(time),
    claude_session: record.claude_session_id,
    kind: "error",
    tool: record.tool,
    text: clipText(record.error, limits.result).text,
  };
}

export function fromCommit(commit: SpanCommit): TimelineEvent | null {
  const time = isoTime(commit.date);
  if (time === null) return null;
  return {
    time,
    source: "git",
    claude_session: null,
    sidechain: false,
    kind: "commit",
    sha: commit.sha,
    subject: shown(commit.subject),
    author: shown(commit.author),
    ref: commit.ref,
    files: commit.files.slice(0, 200),
  };
}

/** SessionStart, SessionEnd and PreCompact as the hooks saw them (Stop is every turn: left out). */
export function fromClaudeSession(session: ClaudeSession): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const short = session.id.slice(0, 8);
  const who = agentLabel(agentOf(session.agent));
  for (const sighting of session.sightings) {
    const time = isoTime(sighting.time);
    if (time === null) continue;
    const detail = sighting.detail ?? null;
    let text: string;
    if (sighting.event === "SessionStart") {
      text = `${who} session ${short} started${detail ? ` (${detail})` : ""}`;
    } else if (sighting.event === "SessionEnd") {
      text = `${who} session ${short} ended${detail ? ` (${detail})` : ""}`;
    } else if (sighting.event === "PreCompact") {
      text = `${who} session ${short} is compacting${detail ? ` (${detail})` : ""}`;
    } else continue;
    out.push({
      time,
      source: "claude",
      claude_session: session.id,
      sidechain: false,
      ...(session.agent === undefined ? {} : { agent: session.agent }),
      kind: "claude",
      event: sighting.event,
      detail,
      transcript: sighting.transcript_path,
      text,
    });
  }
  return out;
}

function quoted(text: string): string {
  return `"${text}"`;
}

// ---------------------------------------------------------------------------------------------
// The small sources together

export interface Records {
  key: string;
  events: readonly MpmEventLine[];
  snapshots: readonly SnapshotFacts[];
  checkpoints: readonly CheckpointFacts[];
  errors: readonly ErrorFacts[];
  commits: readonly SpanCommit[];
  claude: readonly ClaudeSession[];
  /** Claude's handoffs of the session's line (from their records, synced ones included). */
  handoffs?: readonly HandoffFacts[];
  limits: Limits;
}

/** The small sources as one sorted list; a snapshot events.jsonl mentions is not repeated. */
export function recordEvents(records: Records): TimelineEvent[] {
  const byId = new Map(records.snapshots.map((s) => [s.session_id, s]));
  const mentioned = new Set(
    records.events.map((e) => e.snapshot).filter((s): s is string => typeof s === "string"),
  );
  // A handoff is told from its record, which says more than its events.jsonl line.
  const handoffs = records.handoffs ?? [];
  const told = new Set(handoffs.map((h) => h.handoff_id));
  return byTime([
    ...records.events.filter((line) =>
      !(typeof line.handoff === "string" && told.has(line.handoff))
    )
      .map((line) => fromMpmEvent(line, records.key, byId)),
    ...handoffs.map(fromHandoff),
    ...records.snapshots.filter((s) => !mentioned.has(s.session_id)).map(fromSnapshot),
    ...records.checkpoints.map(fromCheckpoint),
    ...records.errors.map((e) => fromError(e, records.limits)),
    ...records.commits.map(fromCommit),
    ...records.claude.flatMap(fromClaudeSession),
  ]);
}
