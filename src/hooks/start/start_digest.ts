/**
 * SessionStart's digest, the start record's first part (start_record.ts): the session facts and
 * sighting key, beside what they were read from. Current only when `state.json` holds the same
 * text and the listing starts with the same snapshots (same inode, size and mtime: mpm renames a
 * new file over a snapshot); else the state and snapshots are read in full and a new digest kept,
 * unless a damaged file was met (its warnings are told again).
 */
import { errorText } from "../../kernel/errors.ts";
import {
  localSessionKey,
  ownSnapshot,
  sessionKey,
  type Snapshot,
  writtenElsewhere,
} from "../../kernel/snapshot.ts";
import { isFinished } from "../../sessions/store/records/lifecycle/lifecycle.ts";
import { lstatIfExistsSync, statQuietly } from "../../disk/read/stat.ts";
import { loadBounded, RECORD_READ_BYTES } from "../../sessions/store/snapshots/bounded_read.ts";
import { keepRecord, type StartRecord, startRecord } from "./record/start_record.ts";
import { displayPath, type ProjectPaths } from "../../disk/paths.ts";
import { partitionOfRecord } from "../../context/record.ts";
import { contextPartition, foreignState } from "../../sessions/store/records/state/state.ts";
import { newestFirst, type SessionEntry } from "../../sessions/store/listing/listing.ts";
import { readOrder } from "../../sessions/store/listing/order.ts";
import { KEY_SNAPSHOTS_TRIED } from "../../sessions/store/claude/claude_sessions.ts";
import { elsewhereFacts, type SessionFacts, sessionFacts, type TimedText } from "./context.ts";
import { TOLD_PATHS } from "../../sessions/store/records/snapshot/status_lists.ts";
import { printableDeep } from "../../kernel/format/text.ts";
import { sessionReads } from "../../sessions/store/state/state_store.ts";
import { type ToldFacts, toldFacts } from "./told.ts";

/** Snapshots tried, newest first, before SessionStart gives up on finding a readable one. */
const SNAPSHOTS_TRIED = 10;
/**
 * Records too large to read whole that SessionStart passes over, at most, on its way to the
 * person's own (a teammate's many large pushes must not hide it).
 */
const LARGE_PASSED = 2000;
const OWN_CHECK_BYTES = 32 * 1024 * 1024;

/** What SessionStart needs of the state and the snapshots. */
export interface StartFacts {
  /** The key of the session Claude sessions are recorded under (claude_sessions_store.ts). */
  key: string | null;
  /** The session part; null when there is neither an active session nor a snapshot. */
  session: {
    /** The file the part is told from, as the model sees it. */
    source: string;
    /** The context file's partition (`mpm context use`), or null for .claude/context.md. */
    partition: string | null;
    /** The key of the session whose summary.md the summary part shows. */
    summaryKey: string | null;
    facts: SessionFacts;
    /** The words, todos, tasks and name it tells, one by one (told.ts); absent in older digests. */
    told?: ToldFacts;
  } | null;
  /**
   * The newest open snapshot this machine did not write (a teammate's, pulled; one committed
   * into a cloned repository), when it is newer than the one the session part tells of: told
   * after it, as a record from elsewhere, never as the person's own (context.ts).
   */
  elsewhere: { source: string; facts: TimedText } | null;
  /**
   * `state.json` is there but this machine did not write it (committed into the repository,
   * most likely): it was read as no state at all (state_seal.ts), and the hook says so in one
   * line of its own, telling nothing of what it holds.
   */
  foreignState?: boolean;
}

/** One snapshot the facts were read from, as the listing named it and the disk held it. */
interface Seen {
  id: string;
  file: string;
  ino: number;
  size: number;
  mtime: number;
}

/** The digest's part of the record, there when `seen` is. */
type Digest = Required<Pick<StartRecord, "state" | "seen" | "picked" | "key">> & StartRecord;

/** The facts as the digest keeps them, when it is current; else null. Read once per sessionReads. */
export function currentDigest(paths: ProjectPaths): Promise<StartFacts | null> {
  return startRecord(paths).then(async (record) => {
    if (record?.seen === undefined || !(await isCurrent(record as Digest, paths))) return null;
    return {
      key: record.key ?? null,
      session: record.session ?? null,
      elsewhere: record.elsewhere ?? null,
      foreignState: record.foreign_state === true,
    };
  });
}

/** Whether the state and the snapshots are as the digest saw them. */
async function isCurrent(digest: Digest, paths: ProjectPaths): Promise<boolean> {
  const reads = sessionReads(paths);
  const [state, entries] = await Promise.all([reads.stateText(), reads.entries()]);
  if (state !== digest.state) return false;
  if (entries.length < digest.seen.length) return false;
  const listed = entries.slice(0, digest.seen.length);
  // Nothing picked: every snapshot looked at was finished work, and so were all there were,
  // unless the look stopped at SNAPSHOTS_TRIED, past which no snapshot is read.
  if (
    !digest.picked && digest.seen.length < SNAPSHOTS_TRIED &&
    entries.length !== digest.seen.length
  ) return false;
  for (const [i, seen] of digest.seen.entries()) {
    const entry = listed[i];
    if (entry.id !== seen.id || entry.file !== seen.file) return false;
    const now = stampOf(seen.id, seen.file);
    if (now === null || now.ino !== seen.ino || now.size !== seen.size) return false;
    if (now.mtime !== seen.mtime) return false;
  }
  return true;
}

function stampOf(id: string, file: string): Seen | null {
  const info = statQuietly(file);
  if (!info?.isFile || info.ino === null || !info.mtime) return null;
  return { id, file, ino: info.ino, size: info.size, mtime: info.mtime.getTime() };
}

/** What a full read of the state and the snapshots gives, and what it met on the way. */
export interface ReadFacts {
  facts: StartFacts;
  /** Damaged files skipped, for the model (SessionStart's notes). */
  warnings: string[];
  /** Whether a digest may be written of it: nothing was damaged. */
  clean: boolean;
  /** The state's text (null: there is none) and the snapshots looked at, for the digest. */
  state: string | null;
  seen: SessionEntry[];
  picked: boolean;
}

/** The facts from the state and the newest readable snapshot not of finished work. */
export async function readStartFacts(
  paths: ProjectPaths,
  written?: JustWritten,
): Promise<ReadFacts> {
  const reads = sessionReads(paths);
  const warnings: string[] = [];
  let clean = true;
  const [entries, state, stateText] = await Promise.all([
    reads.entries(),
    reads.state().catch((error) => {
      warnings.push(`the active session could not be read (${errorText(error)}).`);
      clean = false;
      return null;
    }),
    reads.stateText().catch(() => {
      clean = false;
      return null;
    }),
  ]);
  const active = state?.active ?? null;
  let snapshot: Snapshot | null = null;
  // The newest open one another machine wrote, met before this machine's own.
  let other: Snapshot | null = null;
  // The key's search takes the first readable snapshot this machine wrote.
  let keyed: Snapshot | null = null;
  let looked = 0;
  // Snapshots read whole, large ones passed over, and the bytes hashed to tell the person's own.
  let tried = 0;
  let passed = 0;
  let hashed = 0;
  // The sessions already met, and whether each ended (its newest snapshot completed or cancelled).
  const ended = new Map<string, boolean>();
  // This machine's finished snapshots met before the one picked: a session branched from it and
  // finished since is told with it.
  const finished: Snapshot[] = [];
  // Once SNAPSHOTS_TRIED are read (a teammate's many pulled pauses), only the ids `order.json`
  // says were written here are: the person's own newest is among them, however far down.
  let writtenHere: Set<string> | null = null;
  let triedLooked = 0;
  let i = -1;
  for (const entry of newestFirst(entries)) {
    i++;
    if (passed >= LARGE_PASSED) break;
    if (tried >= SNAPSHOTS_TRIED) {
      if (writtenHere === null) {
        writtenHere = new Set(readOrder(paths).recent);
        triedLooked = looked;
      }
      if (writtenHere.size === 0) break;
      if (!writtenHere.has(entry.id)) continue;
      writtenHere.delete(entry.id);
      looked = i;
    }
    looked++;
    try {
      const size = entry.format === "json" ? lstatIfExistsSync(entry.file)?.size : undefined;
      let candidate;
      if (written?.file === entry.file && entry.format === "json") {
        tried++;
        candidate = toldView(written.snapshot, displayPath(paths, entry.file));
      } else if (size !== undefined && size > RECORD_READ_BYTES) {
        const own = hashed + size <= OWN_CHECK_BYTES;
        if (own) hashed += size;
        // Not this machine's, and another machine's newest is known already: nothing to read.
        if (!own && other !== null) {
          passed++;
          continue;
        }
        candidate = (await loadBounded(paths, entry, { own, keepPaths: TOLD_PATHS })).snapshot;
        if (writtenElsewhere(candidate)) passed++;
        else tried++;
      } else {
        tried++;
        candidate = await reads.snapshot(entry);
      }
      const here = !writtenElsewhere(candidate);
      if (keyed === null && here && i < KEY_SNAPSHOTS_TRIED) keyed = candidate;
      const session = localSessionKey(candidate);
      if (!ended.has(session)) ended.set(session, isFinished(candidate.mpm.state));
      if (ended.get(session)) {
        if (here && isFinished(candidate.mpm.state)) finished.push(candidate);
        continue;
      }
      if (!here) {
        other ??= candidate;
        continue;
      }
      snapshot = candidate;
      break;
    } catch (error) {
      warnings.push(`${entry.id} was skipped: ${errorText(error)}`);
      clean = false;
    }
  }
  // Not found past them: the digest stands on the snapshots tried, as when none is looked past.
  if (snapshot === null && writtenHere !== null) looked = triedLooked;
  const key = active?.key ?? (keyed === null ? null : sessionKey(keyed));
  const picked: Snapshot | null = snapshot;
  const children = picked === null
    ? []
    : finished.filter((child) => child.mpm.parent === picked.session_id);
  const facts = sessionFacts(snapshot, active, state?.stack.at(-1), children);
  return {
    facts: {
      key,
      session: facts === null ? null : {
        source: snapshot
          ? `.claude-mpm/sessions/${snapshot.session_id}.md`
          : ".claude-mpm/state.json",
        partition: active
          ? contextPartition(active)
          : partitionOfRecord(snapshot?.mpm.context_file),
        summaryKey: active?.key ?? (snapshot ? sessionKey(snapshot) : null),
        facts,
        told: toldFacts(snapshot, active),
      },
      elsewhere: other === null ? null : {
        source: `.claude-mpm/sessions/${other.session_id}.md`,
        facts: elsewhereFacts(other),
      },
      foreignState: state !== null && foreignState(state),
    },
    warnings,
    clean,
    state: stateText,
    seen: entries.slice(0, looked),
    picked: snapshot !== null,
  };
}

/** A snapshot just saved (SessionEnd's pause) and its record's file. */
export interface JustWritten {
  snapshot: Snapshot;
  file: string;
}

/**
 * A snapshot just saved, as a read of its record would tell it: path lists cut to TOLD_PATHS, so
 * a pause of a million paths is never read back whole.
 */
function toldView(snapshot: Snapshot, shown: string): Snapshot {
  const git = snapshot.git_context;
  const status = git && Object.fromEntries(
    Object.entries(git.status).map(([name, list]) => [
      name,
      Array.isArray(list) ? list.slice(0, TOLD_PATHS) : list,
    ]),
  );
  const cut = git ? { ...snapshot, git_context: { ...git, status } } : snapshot;
  return printableDeep(ownSnapshot(JSON.parse(JSON.stringify(cut)), shown));
}

/** The record's digest part of a clean read; undefined after a damaged file or a gone snapshot. */

export function digestOf(read: ReadFacts): StartRecord | undefined {
  if (!read.clean) return undefined;
  const seen: Seen[] = [];
  for (const entry of read.seen) {
    const stamp = stampOf(entry.id, entry.file);
    if (stamp === null) return undefined;
    seen.push(stamp);
  }
  return {
    state: read.state,
    seen,
    picked: read.picked,
    key: read.facts.key,
    elsewhere: read.facts.elsewhere,
    foreign_state: read.facts.foreignState === true,
    session: read.facts.session,
  };
}

/** Keeps the facts of a clean read for the next start. Best effort: a read-only project reads. */
export async function writeDigest(paths: ProjectPaths, read: ReadFacts): Promise<void> {
  const digest = digestOf(read);
  if (digest !== undefined) await keepRecord(paths, digest);
}
