/**
 * Gathers what mpm recorded about one session (its `key`): snapshots, its events.jsonl lines,
 * checkpoints, error records, commits of its span, and the Claude sessions the hooks saw.
 * Transcripts are opened only when the timeline is streamed.
 */
import { agentLabel, type AgentName, agentOf } from "../kernel/agent_name.ts";
import { agentNamed, DEFAULT_AGENT } from "../agents/agent.ts";
import { lookAtTranscript, transcriptOrNone } from "../claude/transcript/transcript_kind.ts";
import { type Manifest, manifestName } from "../vault/records/manifest.ts";
import { heldCopy } from "../vault/records/read.ts";
import { copyOrigin, listVault, shownName, verifyStream } from "../vault/records/store.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { commitsBetween, type SpanCommit } from "../git/history/log_span.ts";
import { IntegrityError, MpmError, NothingToDo } from "../kernel/errors.ts";
import { sessionKey, type Snapshot, writtenElsewhere } from "../kernel/snapshot.ts";
import { selectSession } from "../sessions/store/records/snapshot/select.ts";
import type { ActiveSession } from "../sessions/store/records/state/state.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { listEntries, type SessionEntry } from "../sessions/store/listing/listing.ts";
import { loadSnapshot } from "../sessions/store/snapshots/read_snapshot.ts";
import { lstatIfExistsSync } from "../disk/read/stat.ts";
import type { ClaudeSession } from "../sessions/store/claude/claude_sessions.ts";
import type { FinishedSession } from "./summary.ts";
import { readClaudeSessions } from "../sessions/store/claude/claude_sessions_store.ts";
import {
  type CheckpointFacts,
  concerns,
  type ErrorFacts,
  type HandoffFacts,
  type MpmEventLine,
} from "./record_events.ts";
import { isoTime } from "./timeline.ts";
import {
  readCheckpoints,
  readErrors,
  readEvents,
  readHandoffs,
  type Span,
} from "./read_records.ts";

export interface Gathered {
  root: string;
  paths: ProjectPaths;
  /** `mpm.key`, or the snapshot id of a snapshot taken with no session active. */
  key: string;
  name: string | null;
  task: string | null;
  /** The session is the active one (its span runs until now). */
  active: ActiveSession | null;
  span: Span;
  snapshots: Snapshot[];
  events: MpmEventLine[];
  checkpoints: CheckpointFacts[];
  errors: ErrorFacts[];
  /** Null outside git. */
  commits: SpanCommit[] | null;
  claude: ClaudeSession[];
  /** The vault's copies read in place of transcripts Claude Code no longer has, by Claude session. */
  vault: Map<string, Manifest>;
  /** Claude's handoffs of this session (/mpm-handoff), oldest first: its chain. */
  handoffs: HandoffFacts[];
  /** The project's other finished sessions: completed, or archived by `mpm prune`. */
  finished: FinishedSession[];
  notes: string[];
}

export interface GatherOptions {
  /** An id, prefix, index, text or key; undefined: the active session, else the newest. */
  selector?: string;
  cwd: string;
  now: Date;
  home: string | undefined;
  vars: Readonly<Record<string, string>>;
}

/** The command that gathers, as its messages name it. */
export type Gatherer = "replay" | "summary";

/** What a command finds nothing to do, in its messages. */
const NOTHING_TO: Record<Gatherer, string> = {
  replay: "nothing to replay",
  summary: "nothing to summarize",
};

/** Without an end of its own, a keyless snapshot's span starts this long before it. */
const KEYLESS_SPAN_MS = 24 * 60 * 60 * 1000;

/** Everything recorded about the named session; an unreadable snapshot is a note (or exit 4). */
export async function gatherSession(
  options: GatherOptions,
  command: Gatherer,
): Promise<Gathered> {
  const root = await findProjectRoot(options.cwd);
  const paths = projectPaths(root);
  const notes: string[] = [];
  const [state, entries] = await Promise.all([
    readState(paths),
    listEntries(paths, { locations: ["sessions", "pause", "archive"] }),
  ]);
  const { all, failed } = await loadAll(paths, entries, notes);
  const active = state.active;
  const key = pickKey(options.selector, active, { entries, all, failed }, { root, command });
  const isActive = active !== null && active.key === key ? active : null;
  const snapshots = all.filter((s) => sessionKey(s) === key)
    .sort((a, b) => compare(a.paused_at, b.paused_at));
  const events = (await readEvents(paths, notes)).filter((line) =>
    concerns(line, key) || (typeof line.snapshot === "string" && line.snapshot === key)
  );
  const read = await readClaudeSessions(paths, key);
  const sighted = await withComputedPaths(
    withTranscriptsOnly(read.sessions),
    read.foreignIds,
    root,
    options,
  );
  // Sessions only the vault knows (pulled) count only for a session this machine never worked in.
  const local = isActive !== null || sighted.length > 0 ||
    snapshots.some((s) => !writtenElsewhere(s));
  const recorded = [...sighted, ...await vaultOnlySessions(paths, key, sighted, local)];
  if (read.bad > 0) {
    notes.push(`${read.bad} line(s) of threads/${key}/claude-sessions.jsonl did not parse.`);
  }
  const span = spanOf({ key, isActive, snapshots, events, recorded, all, now: options.now });
  const claude = await withSnapshotSessions(recorded, snapshots, root, options, notes);
  const vault = await withVaultCopies(paths, claude, notes);
  const [checkpoints, errors, commits, handoffs] = await Promise.all([
    readCheckpoints(paths, key, span, notes),
    readErrors(paths, span, claude, notes),
    commitsBetween(root, new Date(span.start), new Date(span.end)),
    readHandoffs(paths, key, notes),
  ]);
  const latest = snapshots[snapshots.length - 1];
  return {
    root,
    paths,
    key,
    name: isActive?.name ?? latest?.mpm.name ?? null,
    task: isActive?.task ?? latest?.mpm.task ?? null,
    active: isActive,
    span,
    snapshots,
    events,
    checkpoints,
    errors,
    commits,
    claude,
    vault,
    handoffs,
    finished: finishedSessions(all, entries, key),
    notes,
  };
}

/** Per other key, its newest snapshot when that one is completed, cancelled or archived. */
function finishedSessions(
  all: Snapshot[],
  entries: SessionEntry[],
  key: string,
): FinishedSession[] {
  const archived = new Set(entries.filter((e) => e.location === "archive").map((e) => e.id));
  const newest = new Map<string, Snapshot>();
  for (const snapshot of all) {
    const k = sessionKey(snapshot);
    const seen = newest.get(k);
    if (k !== key && (seen === undefined || seen.paused_at < snapshot.paused_at)) {
      newest.set(k, snapshot);
    }
  }
  const out: FinishedSession[] = [];
  for (const [k, s] of newest) {
    const state = s.mpm.state === "completed" || s.mpm.state === "cancelled"
      ? s.mpm.state
      : archived.has(s.session_id)
      ? "archived"
      : null;
    if (state === null) continue;
    out.push({
      key: k,
      session_id: s.session_id,
      time: s.paused_at,
      name: s.mpm.name,
      summary: s.conversation.summary,
      state,
    });
  }
  return out;
}

/** The snapshots listed (newest first), those read, and the error of each that was not, by id. */
interface Loaded {
  entries: SessionEntry[];
  all: Snapshot[];
  failed: Map<string, MpmError>;
}

/** Bytes of a record above which it is read alone. */
const LARGE_RECORD = 1024 * 1024;

async function loadAll(
  paths: ProjectPaths,
  entries: SessionEntry[],
  notes: string[],
): Promise<Omit<Loaded, "entries">> {
  const failed = new Map<string, MpmError>();
  // Each record is read without its paths; a large one waits for the one before it.
  let large: Promise<unknown> = Promise.resolve();
  const loaded = await Promise.all(entries.map(async (entry) => {
    const load = () => loadSnapshot(paths, entry, { keepPaths: 0 });
    try {
      if ((lstatIfExistsSync(entry.file)?.size ?? 0) <= LARGE_RECORD) return await load();
      const turn = large.then(load);
      large = turn.catch(() => {});
      return await turn;
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      notes.push(`${entry.id} was left out: ${error.message}`);
      failed.set(entry.id, error);
      return undefined;
    }
  }));
  return { all: loaded.filter((s): s is Snapshot => s !== undefined), failed };
}

/** The key a selector names (a key, else its snapshot's); an unreadable pick throws (exit 4). */
function pickKey(
  selector: string | undefined,
  active: ActiveSession | null,
  { entries, all, failed }: Loaded,
  { root, command }: { root: string; command: Gatherer },
): string {
  const unread = (id: string) =>
    failed.get(id) ??
      new IntegrityError(`${id} could not be read.`, "Run `mpm doctor` to see why.");
  if (selector === undefined) {
    if (active) return active.key;
    const newest = all.find((s) => s.session_id === entries[0]?.id) ?? all[0];
    if (newest === undefined) {
      if (entries.length > 0) throw unread(entries[0].id);
      throw new NothingToDo(
        `No sessions in ${root}: ${NOTHING_TO[command]}.`,
        'Run `mpm start NAME` or `mpm pause -s "what you are doing"` first.',
      );
    }
    return sessionKey(newest);
  }
  if (active?.key === selector || all.some((s) => sessionKey(s) === selector)) return selector;
  if (entries.length === 0) {
    throw new NothingToDo(`No session matches ${JSON.stringify(selector)}.`, "Run `mpm list`.");
  }
  const id = selectSession(entries.map((e) => e.id), selector);
  const snapshot = all.find((s) => s.session_id === id);
  if (snapshot === undefined) throw unread(id);
  return sessionKey(snapshot);
}

function spanOf(input: {
  key: string;
  isActive: ActiveSession | null;
  snapshots: Snapshot[];
  events: MpmEventLine[];
  recorded: ClaudeSession[];
  all: Snapshot[];
  now: Date;
}): Span {
  const times = [
    ...input.events.map((e) => e.time),
    ...input.snapshots.map((s) => s.paused_at),
    ...input.recorded.flatMap((c) => [c.first_seen, c.last_seen]),
    ...(input.isActive ? [input.isActive.started_at] : []),
  ].map(isoTime).filter((t): t is string => t !== null).sort(compare);
  const now = input.now.toISOString();
  let start = times[0] ?? now;
  const end = input.isActive ? now : times[times.length - 1] ?? now;
  const only = input.snapshots.length === 1 ? input.snapshots[0] : undefined;
  if (only && typeof only.mpm.key !== "string" && input.events.length <= 1) {
    // Nothing says when a keyless snapshot's work began: from the snapshot before it.
    const before = input.all.map((s) => isoTime(s.paused_at)).filter((t): t is string =>
      t !== null && t < start
    ).sort(compare).pop();
    start = before ?? new Date(Date.parse(start) - KEYLESS_SPAN_MS).toISOString();
  }
  return { start, end };
}

/** The recorded sessions with only paths that can be transcripts (no FIFO, device, folder). */
function withTranscriptsOnly(sessions: ClaudeSession[]): ClaudeSession[] {
  return sessions.map((session) => {
    const sightings = session.sightings.map((s) => ({
      ...s,
      transcript_path: transcriptOrNone(s.transcript_path),
    }));
    // As the sightings were folded (claude_sessions.ts): the newest path recorded.
    const transcript = sightings.findLast((s) => s.transcript_path !== null)?.transcript_path ??
      null;
    return { ...session, sightings, transcript };
  });
}

/** Where the agent keeps this checkout's transcript of `id`, computed, never read from a record. */
async function computedTranscript(
  id: string,
  agent: AgentName,
  root: string,
  options: GatherOptions,
): Promise<string | null> {
  const where = { root, home: options.home, vars: options.vars };
  const path = await agentNamed(agent).transcripts.find(id, where);
  return path !== null && (await lookAtTranscript(path)).kind === "file" ? path : null;
}

/** The sighted sessions; those only unsealed lines name kept only where the agent has them. */
async function withComputedPaths(
  sessions: ClaudeSession[],
  foreignIds: Set<string>,
  root: string,
  options: GatherOptions,
): Promise<ClaudeSession[]> {
  const out: ClaudeSession[] = [];
  for (const session of sessions) {
    if (!foreignIds.has(session.id)) {
      out.push(session);
      continue;
    }
    const transcript = await computedTranscript(session.id, agentOf(session.agent), root, options);
    if (transcript !== null) out.push({ ...session, transcript });
  }
  return out;
}

/** Claude sessions a snapshot names that no hook recorded, found where Claude keeps them. */
async function withSnapshotSessions(
  recorded: ClaudeSession[],
  snapshots: Snapshot[],
  root: string,
  options: GatherOptions,
  notes: string[],
): Promise<ClaudeSession[]> {
  const out = [...recorded];
  const known = new Set(recorded.map((c) => c.id));
  for (const snapshot of snapshots) {
    const id = snapshot.mpm.claude_session_id;
    if (!id || known.has(id) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) continue;
    known.add(id);
    const agent = agentOf(snapshot.mpm.agent);
    const transcript = await computedTranscript(id, agent, root, options);
    if (transcript === null) {
      notes.push(`The transcript of ${agentLabel(agent)} session ${id} was not found.`);
    }
    out.push({
      id,
      transcript,
      first_seen: snapshot.paused_at,
      last_seen: snapshot.paused_at,
      sightings: [],
      ...(agent === DEFAULT_AGENT ? {} : { agent }),
    });
  }
  return out;
}

/** The sessions only the vault's copies saw (pulled); a `local` session only its own. */
async function vaultOnlySessions(
  paths: ProjectPaths,
  key: string,
  known: readonly ClaudeSession[],
  local: boolean,
): Promise<ClaudeSession[]> {
  const out: ClaudeSession[] = [];
  for (const entry of await listVault(paths)) {
    const m = entry.manifest;
    if (!m || m.dropped || !m.keys.includes(key)) continue;
    // An imported or unsealed record's keys are another's word, never about local sessions.
    if (local && copyOrigin(m) !== undefined) continue;
    if (known.some((c) => c.id === m.claude_session_id)) continue;
    out.push({
      id: m.claude_session_id,
      transcript: null,
      first_seen: m.first_entry ?? m.first_vaulted,
      last_seen: m.last_entry ?? m.last_vaulted,
      sightings: [],
      ...(m.agent === undefined ? {} : { agent: m.agent }),
    });
  }
  return out;
}

/** The vault's copies read in place of transcripts Claude Code no longer has, with a note. */
async function withVaultCopies(
  paths: ProjectPaths,
  claude: ClaudeSession[],
  notes: string[],
): Promise<Map<string, Manifest>> {
  const copies = new Map<string, Manifest>();
  for (const session of claude) {
    // Not when nothing is there (a link to nothing included): the copy stands in for it.
    const there = session.transcript !== null &&
      (await lookAtTranscript(session.transcript)).kind !== "absent";
    if (there) continue;
    let copy: Manifest | undefined;
    try {
      copy = await heldCopy(paths, session.id);
    } catch (error) {
      // A damaged record is never read as good: said, and `mpm doctor` names it.
      if (!(error instanceof IntegrityError)) throw error;
      notes.push(error.message);
    }
    if (copy === undefined) continue;
    const main = copy.files[0];
    const problem = await verifyStream(paths, session.id, {
      data: main.data,
      segments: main.segments,
    });
    if (problem !== null) {
      notes.push(`${problem} It was not read; run \`mpm doctor\`.`);
      continue;
    }
    copies.set(session.id, copy);
    // Found after all: the copy stands in for the file withSnapshotSessions looked for.
    const missing = notes.indexOf(
      `The transcript of ${agentLabel(agentOf(copy.agent))} session ${session.id} was not found.`,
    );
    if (missing !== -1) notes.splice(missing, 1);
    notes.push(
      `${agentLabel(agentOf(copy.agent))} no longer has the transcript of session ${
        session.id.slice(0, 8)
      }: ` +
        `replayed from the vault's copy (${shownName(manifestName(session.id))}).`,
    );
  }
  return copies;
}
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
