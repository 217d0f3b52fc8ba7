/**
 * The gathered session read as one stream (openTimeline): each Claude session's transcript, or the
 * vault's copy of it, streamed and tallied, merged with mpm's records; the tallies as notes.
 */
import { agentOf } from "../kernel/agent_name.ts";
import { agentNamed } from "../agents/agent.ts";
import {
  parseLineBatches,
  readEntryBatches,
  type ReadOptions,
  TranscriptError,
} from "../claude/transcript/transcript_reader.ts";
import { manifestName } from "../vault/records/manifest.ts";
import { vaultedLines } from "../vault/records/read.ts";
import { copyOrigin, shownName, VaultDamageError } from "../vault/records/store.ts";
import { emptyStats, type TranscriptStats } from "../claude/transcript/transcript_entries.ts";
import { sessionKey, type Snapshot } from "../kernel/snapshot.ts";
import type { ClaudeSession } from "../sessions/store/claude/claude_sessions.ts";
import { recordEvents, type SnapshotFacts } from "./record_events.ts";
import {
  fromArray,
  fromTranscript,
  inTimeOrder,
  type Limits,
  mergeTimeline,
  type TimelineEvent,
} from "./timeline.ts";
import type { Gathered } from "./gather.ts";

/** What reading the transcripts left out, per Claude session, for the notes at the end. */
export interface TranscriptTally {
  claudeSession: string;
  transcript: string;
  stats: TranscriptStats;
  /** Entries before or after the session's span. */
  outside: number;
  /** The transcript could not be read at all (one sentence). */
  error: string | null;
}

/** One transcript as events in file order within the span; a read error ends in `tally.error`. */
export async function* transcriptStream(
  gathered: Gathered,
  session: ClaudeSession,
  limits: Limits,
  tally: TranscriptTally,
  read: ReadOptions = {},
): AsyncGenerator<TimelineEvent[]> {
  const copy = gathered.vault.get(session.id);
  if (session.transcript === null && copy === undefined) return;
  // Each agent's lines are read by its own parser into the same entries (the seam).
  const agent = agentOf(copy?.agent ?? session.agent);
  const ctx = { root: gathered.root, claudeSession: session.id, limits, agent };
  const { start, end } = gathered.span;
  const parser = agentNamed(agent).transcripts.parser(read);
  const batches = copy
    ? parseLineBatches(
      vaultedLines(gathered.paths, copy, 0, { tailBytes: read.tailBytes }),
      parser,
      tally.stats,
    )
    : readEntryBatches(session.transcript!, parser, read, tally.stats);
  try {
    // A copy imported from a remote, or one this machine did not seal (a clone's), is not the
    // person's transcript, and says so on every event — but for the turns the person wrote here
    // into a conversation restored from elsewhere, judged by each entry's time (copyOrigin).
    for await (const entries of batches) {
      const events: TimelineEvent[] = [];
      for (const entry of entries) {
        const event = fromTranscript(entry, ctx);
        if (event === null) continue;
        const from = copy === undefined ? undefined : copyOrigin(copy, event.time);
        if (from !== undefined) event.imported_from = from;
        if (event.time < start || event.time > end) tally.outside++;
        else events.push(event);
      }
      if (events.length > 0) yield events;
    }
  } catch (error) {
    if (!(error instanceof TranscriptError || error instanceof VaultDamageError)) throw error;
    tally.error = error.message;
  }
}

export function newTally(session: ClaudeSession): TranscriptTally {
  return {
    claudeSession: session.id,
    transcript: session.transcript ?? "",
    stats: emptyStats(),
    outside: 0,
    error: null,
  };
}

/** The snapshot fields the timeline shows. */
export function snapshotFacts(snapshot: Snapshot): SnapshotFacts {
  return {
    session_id: snapshot.session_id,
    paused_at: snapshot.paused_at,
    summary: snapshot.conversation.summary,
    summary_source: snapshot.mpm.summary_source,
    state: snapshot.mpm.state,
    key: sessionKey(snapshot),
  };
}

/** The whole timeline as one stream: the records and each transcript, merged by time. */
export function openTimeline(
  gathered: Gathered,
  limits: Limits,
  read: ReadOptions = {},
): { events: AsyncGenerator<TimelineEvent[]>; tallies: TranscriptTally[] } {
  const records = recordEvents({
    key: gathered.key,
    events: gathered.events,
    snapshots: gathered.snapshots.map(snapshotFacts),
    checkpoints: gathered.checkpoints,
    errors: gathered.errors,
    commits: gathered.commits ?? [],
    claude: gathered.claude,
    handoffs: gathered.handoffs,
    limits,
  });
  const tallies: TranscriptTally[] = [];
  const streams = [fromArray(records)];
  for (const session of gathered.claude) {
    const copy = gathered.vault.get(session.id);
    if (session.transcript === null && copy === undefined) continue;
    const tally = newTally(session);
    if (copy) tally.transcript = shownName(manifestName(session.id));
    tallies.push(tally);
    streams.push(inTimeOrder(transcriptStream(gathered, session, limits, tally, read)));
  }
  return { events: mergeTimeline(streams), tallies };
}

/** The tallies as sentences: what was skipped, and why. */
export function tallyNotes(tallies: readonly TranscriptTally[]): string[] {
  const notes: string[] = [];
  for (const t of tallies) {
    const short = t.claudeSession.slice(0, 8);
    if (t.error !== null) {
      notes.push(t.error);
      continue;
    }
    const parts: string[] = [];
    const count = (n: number, one: string, many: string) => {
      if (n > 0) parts.push(`${n} ${n === 1 ? one : many}`);
    };
    count(t.stats.bad, "unreadable line", "unreadable lines");
    count(t.stats.oversized, "line too long to read", "lines too long to read");
    count(
      t.stats.unknown,
      "entry of a type this mpm does not know",
      "entries of types this mpm does not know",
    );
    count(t.stats.orphanResults, "tool result without its call", "tool results without their call");
    count(t.outside, "entry outside the session's time", "entries outside the session's time");
    if (parts.length > 0) notes.push(`Claude session ${short}: skipped ${parts.join(", ")}.`);
  }
  return notes;
}
