/**
 * What the board is made of, read from this clone: the snapshots of the last days, each
 * attributed to a person, and the active session. Only two kinds of record count:
 * - a snapshot this machine sealed is the person's own ("you");
 * - a snapshot `mpm sync pull` brought is its sender's: the git identity of the commit that last
 *   sent it on `refs/mpm/sessions` under its own id (a push's rename is its pusher's), or under
 *   its first id when the ref has nothing under its own (a pull renamed it here), shown as it
 *   claims itself and *verified* only when the commit's signature is by a key the allowed signers
 *   give to that email (git/history/signature.ts); the person's own only when signed with this
 *   checkout's own signing key (their other machine), never for an email, which anyone can set.
 * Anything else — a clone's committed records, a hand-made one — is nobody's
 * current work and is left out.
 *
 * Made for size: one listing, one `git log` for every sender, one read of each snapshot of the
 * window (the ids tell their times, so older ones are not opened), no process per snapshot.
 */
import { isSessionId, sessionIdFor } from "../kernel/ids.ts";
import type { GitContext } from "../kernel/snapshot.ts";
import { dirname } from "../kernel/path.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import { findGitDirs, mayHoldRef } from "../git/run/root.ts";
import {
  answers,
  type Identity,
  KeptSendersMap,
  keptSendersOf,
  ownIdentity,
  type Senders,
  SESSIONS_REF,
} from "../git/history/sender.ts";
import { readSigners, type Signers, type SigningConfig } from "../git/history/signature.ts";
import { boardSendersCache } from "../sessions/store/caches/senders_cache.ts";
import { readStatus } from "../git/tree/status.ts";
import type { GitStatus } from "../git/tree/porcelain.ts";
import {
  type Listing,
  listSnapshots,
  type SessionEntry,
} from "../sessions/store/listing/listing.ts";
import {
  cutReason,
  loadBounded,
  RECORD_READ_BYTES,
} from "../sessions/store/snapshots/bounded_read.ts";
import { refuseLinkedFolder } from "../sessions/store/listing/store_folders.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { dirtyAtPause } from "../sessions/store/records/snapshot/changes.ts";
import { todoCounts } from "../sessions/store/records/state/todos.ts";
import { agentIn } from "../sessions/store/claude/claude_sessions_store.ts";
import type { Env } from "../cli/env.ts";
import { openProject } from "../sessions/store/session/project.ts";
import { type Fact, factOf, recordOf, whoseFact } from "./board_fact.ts";
import { type FactsStore, nameOf, openFacts, type Rebuilt, stampOf } from "./facts_store.ts";
import { mateFact, type MatesMemo } from "./mates_cache.ts";
import { type ActiveWork, type Board, BoardFold, buildBoard, type Person } from "./board_model.ts";

export interface BoardRead {
  you: Person;
  /** The records, each folded in as it was read (board_model.ts): not every snapshot held. */
  fold: BoardFold;
  active: ActiveWork | null;
  /** Snapshots that could not be read (a damaged file): named, and left out. */
  problems: string[];
  /** Snapshots read only in part (bounded_read.ts: too large): named, and shown from that part. */
  cut: string[];
  /** Set when the reads stopped at `deadline`: what was read by then is the fold. */
  stopped?: boolean;
}

export interface ReadOptions {
  root: string;
  paths: ProjectPaths;
  now: Date;
  sinceDays: number;
  /** Only what teammates sent (SessionStart): the person's own snapshots are not opened. */
  teammatesOnly?: boolean;
  /** At most this many snapshots, the newest (SessionStart's bound on its reads). */
  limit?: number;
  /**
   * When to stop reading (performance.now()), checked before each batch: SessionStart's bound
   * on the time its teammates' part takes. The records read by then are kept.
   */
  deadline?: number;
  /** The board's facts index (facts_store.ts), open: records it knows are not read again. */
  facts?: FactsStore | null;
  /**
   * The teammates' facts kept (mates_cache.ts), with `teammatesOnly`: a record it holds as its
   * file is now is not read; one read is learnt.
   */
  mates?: MatesMemo;
  /** Told each record read from its file (tests count them). */
  onRead?: (id: string) => void;
  /** What the caller already knows of the sessions ref and the signing config (sync pull). */
  known?: KnownRef;
}

/**
 * The sessions ref's commit and one of its ancestors (the commit a pull moved it on from), and
 * the signing config, as a pull has them: git is not asked them again.
 */
export interface KnownRef {
  ref?: { head: string; since?: string };
  signing?: SigningConfig;
}

const DAY_MS = 86_400_000;
const READ_BATCH = 64;

/**
 * Whose each sent snapshot is, and this checkout's own identity. Where nothing was ever pulled
 * (no ref) no git runs for the teammates' side (`teammatesOnly`: none at all).
 */
async function identities(
  root: string,
  paths: ProjectPaths,
  teammatesOnly: boolean,
  from?: string,
  known: KnownRef = {},
): Promise<
  {
    own: Identity | null;
    sent: Senders;
    signers: Pick<Signers, "own">;
    /** Who sent every file: for one `sent` does not answer for (`answers`). */
    whole: () => Promise<Senders>;
  }
> {
  const sent: Senders = new Map();
  const none = { own: null, sent, signers: { own: null }, whole: () => Promise.resolve(sent) };
  const dirs = await findGitDirs(root);
  const pulled = dirs !== undefined && await mayHoldRef(dirs, SESSIONS_REF);
  if (dirs === undefined || (teammatesOnly && !pulled)) return none;
  // The teammates' part shows none of the person's own records: their identity is not asked.
  const [own, signers] = await Promise.all([
    teammatesOnly ? null : ownIdentity(root),
    pulled ? readSigners(root, known.signing) : Promise.resolve(null),
  ]);
  if (signers === null) return { ...none, own };
  return {
    own,
    sent: await sentBy(root, paths, signers, from, known.ref),
    signers,
    whole: () => sentBy(root, paths, signers, undefined, known.ref),
  };
}

/**
 * Who sent each file of the ref, kept for the ref's commit (sessions/store/caches); `from`, the
 * window's first id: the files from it on are the ones asked for (the rest are unpacked only
 * when one is).
 */
function sentBy(
  root: string,
  paths: ProjectPaths,
  signers: Signers,
  from?: string,
  ref?: KnownRef["ref"],
): Promise<Senders> {
  return keptSendersOf(
    root,
    SESSIONS_REF,
    "sessions",
    boardSendersCache(paths),
    signers,
    { from: from === undefined ? undefined : `sessions/${from}`, ...ref },
  );
}

/** The board's records and active work for the project at `root`. */
export async function readBoard(options: ReadOptions): Promise<BoardRead> {
  const { root, paths, now } = options;
  const cutoff = now.getTime() - options.sinceDays * DAY_MS;
  const problems: string[] = [];
  const teammatesOnly = options.teammatesOnly === true;
  // Ids sort by the time they name (`session-YYYYMMDD-HHMMSS…`), compared as text. One that is
  // no id is kept (its record says when).
  const from = sessionIdFor(new Date(cutoff));
  const ids = await identities(root, paths, teammatesOnly, from, options.known);
  const { own: me, signers } = ids;
  let sent = ids.sent;
  const you: Person = {
    email: me?.email ?? "",
    name: me?.name ?? "",
    you: true,
    verified: true,
  };
  const fold = new BoardFold(now, options.sinceDays);
  const cut: string[] = [];
  // Asked only for SessionStart's part: has anyone sent anything? (Kept senders say unpacked.)
  const anyone = () =>
    sent instanceof KeptSendersMap ? sent.anyone : [...sent.values()].some((who) => who !== null);
  if (teammatesOnly && !anyone()) return { you, fold, active: null, problems: [], cut };
  const [entries, state, status] = await Promise.all([
    listSnapshots(paths),
    teammatesOnly ? null : readState(paths).catch((error: Error) => {
      problems.push(error.message);
      return null;
    }),
    teammatesOnly ? null : readStatus(root).catch(() => null),
  ]);
  // A teammate's snapshot is one the ref holds: only those are opened for SessionStart.
  const wanted = windowOf(
    entries,
    from,
    teammatesOnly ? (e) => sent.get(`sessions/${e.id}.json`) !== undefined : () => true,
    options.limit,
  );
  const facts = options.facts ?? null;
  const others = wanted.filter((e) => !isSessionId(e.id));
  const usable = facts !== null && keptUsable(facts, from, others, paths, wanted);
  const mates = teammatesOnly && notLinked(paths, wanted) ? options.mates : undefined;
  // The window's senders answer for its files; a file named otherwise asks the whole.
  if (others.some((e) => !answers(sent, `sessions/${e.id}.json`))) sent = await ids.whole();
  /** One Person per sender, shared by their records. */
  const persons = new Map<Identity | undefined, Person>();
  /** Records whose sender the window's senders cannot name: attributed once the whole is read. */
  const later: [SessionEntry, Fact][] = [];
  const fromFile: FromFile = (entry, sealCheck) => {
    options.onRead?.(entry.id);
    return factFromFile(paths, entry, sealCheck);
  };
  // One the sync ref holds came or went through it: a large one is read only in part,
  // unless it was never on the ref (then it is this machine's, or the repository's).
  const sealCheckOf = (entry: SessionEntry) =>
    !sent.has(`sessions/${entry.id}.json`) && !teammatesOnly;
  const take = (entry: SessionEntry, fact: Fact | string) => {
    if (typeof fact === "string") return problems.push(fact);
    if (!answersFor(sent, fact)) return later.push([entry, fact]);
    if (fact.cut !== null) cut.push(cutReason(entry.id, fact.cut));
    const person = whoseFact(fact, sent, me, signers, persons);
    if (person === null || (teammatesOnly && person.you)) return;
    fold.add(recordOf(fact, entry.id, person, root));
  };
  const read = async (entry: SessionEntry) => {
    const sealCheck = sealCheckOf(entry);
    take(
      entry,
      mates ? await factFromMates(mates, paths, entry, fromFile) : await fromFile(entry, sealCheck),
    );
  };
  const readIndexed = async (index: FactsStore, entry: SessionEntry, stamped: Stamped) => {
    take(entry, await factFromIndex(index, entry, fromFile, sealCheckOf(entry), stamped));
  };
  // A batch at a time: the checksums and seals of one batch are computed side by side, and only
  // a batch of snapshots is held besides what the fold keeps of them. A record the index holds
  // as its file is now is taken at once: no promise per record for the thousands of a window.
  let stopped = false;
  for (let at = 0; at < wanted.length; at += READ_BATCH) {
    if (options.deadline !== undefined && performance.now() >= options.deadline) {
      stopped = true;
      break;
    }
    const pending: Promise<unknown>[] = [];
    for (const entry of wanted.slice(at, at + READ_BATCH)) {
      if (!usable) {
        pending.push(read(entry));
        continue;
      }
      const stamped = stampOf(entry);
      const kept = stamped === null
        ? undefined
        : keptFact(facts, entry, stamped, sealCheckOf(entry));
      if (kept !== undefined) take(entry, kept);
      else pending.push(readIndexed(facts, entry, stamped));
    }
    if (pending.length > 0) await Promise.all(pending);
  }
  if (later.length > 0) {
    sent = await ids.whole();
    for (const [entry, fact] of later) take(entry, fact);
  }
  if (usable) facts.flush(() => facts.names(entries.slice()));
  const active = state?.active ?? null;
  const agent = active === null ? undefined : await agentIn(paths, active.key);
  return {
    you,
    fold,
    active: active === null ? null : {
      key: active.key,
      name: active.name ?? null,
      task: active.task ?? null,
      startedAt: active.started_at,
      ...counts(todoCounts(active.todos)),
      branch: status?.branch ?? null,
      files: status ? changedNow(status) : [],
      ...(agent ? { agent } : {}),
    },
    problems,
    cut,
    ...(stopped ? { stopped } : {}),
  };
}

/**
 * The listed snapshots whose ids are `from` or later that `keep` takes, newest first, at most
 * `limit`. A listing built from a folder's index alone (no array: one folder, in its ids' order)
 * holds them first: where they end is found by halves, and they are built a page at a time up to
 * the limit. A board's 14 days of a 100,000 snapshots' history build their few thousand entries,
 * and SessionStart's 400 teammates' reads about 400, whatever the window holds. An array (several
 * folders, or some sorted by when they arrived) is looked through whole.
 */
export function windowOf(
  listing: Listing,
  from: string,
  keep: (entry: SessionEntry) => boolean = () => true,
  limit = Infinity,
): SessionEntry[] {
  const inWindow = (e: SessionEntry) => !isSessionId(e.id) || e.id >= from;
  let [end, high] = [0, listing.length];
  if (Array.isArray(listing)) end = high;
  while (end < high) {
    const mid = (end + high) >>> 1;
    const entry = listing.slice(mid, mid + 1)[0];
    if (entry !== undefined && inWindow(entry)) end = mid + 1;
    else high = mid;
  }
  const taken: SessionEntry[] = [];
  for (let at = 0; at < end && taken.length < limit; at += READ_BATCH) {
    for (const entry of listing.slice(at, Math.min(at + READ_BATCH, end))) {
      if (taken.length < limit && inWindow(entry) && keep(entry)) taken.push(entry);
    }
  }
  return taken;
}

function counts(c: { open: number; done: number }) {
  return { todosOpen: c.open, todosDone: c.done };
}

/**
 * Whether `sent` can name a record's sender: the ref's files its own id and its first id name
 * (board_fact.ts senderOf). A record sealed here needs none.
 */
function answersFor(sent: Senders, fact: Fact): boolean {
  return !fact.elsewhere ||
    answers(sent, `sessions/${fact.session}.json`) &&
      (fact.origin === null || answers(sent, `sessions/${fact.origin}.json`));
}

/** How a record's facts are read from its file (counted where a test asks). */
type FromFile = (entry: SessionEntry, sealCheck: boolean) => Promise<Fact | string>;

/**
 * A snapshot's facts read from its file (loadBounded: `sealCheck`, whether a large one is read
 * whole to check its seal), or why it could not be read.
 */
async function factFromFile(
  paths: ProjectPaths,
  entry: SessionEntry,
  sealCheck: boolean,
): Promise<Fact | string> {
  try {
    const got = await loadBounded(paths, entry, { own: sealCheck });
    return factOf(got.snapshot, got.cut?.bytes ?? null);
  } catch (error) {
    if (error instanceof Error && "exitCode" in error) return error.message;
    throw error;
  }
}

/** A record file's stamp (facts_store.ts `stampOf`), null for one that is not a plain file. */
type Stamped = ReturnType<typeof stampOf>;

/** What the index keeps a record's facts under: its stamp, and for a large one the seal check. */
function keptKey(stamped: NonNullable<Stamped>, sealCheck: boolean): string {
  return stamped.stamp + (stamped.size > RECORD_READ_BYTES ? `:${sealCheck}` : "");
}

/** The facts the index holds for `entry` as its file is now (`stamped`), or undefined. */
function keptFact(
  facts: FactsStore,
  entry: SessionEntry,
  stamped: NonNullable<Stamped>,
  sealCheck: boolean,
): Fact | undefined {
  return facts.known(entry, keptKey(stamped, sealCheck));
}

/**
 * A snapshot's facts when the index missed them as its file is now (`stamped`): by its content
 * when that is known, else read from the file and kept. The index only ever answers what the
 * file would.
 */
async function factFromIndex(
  facts: FactsStore,
  entry: SessionEntry,
  fromFile: FromFile,
  sealCheck: boolean,
  stamped: Stamped,
): Promise<Fact | string> {
  if (stamped === null) return await fromFile(entry, sealCheck);
  const sha = await facts.contentKey(entry, stamped.stamp, stamped.size, sealCheck);
  const known = sha === null ? undefined : facts.byContent(sha);
  const fact = known ?? await fromFile(entry, sealCheck);
  // Kept only when the file did not change while it was read.
  if (typeof fact !== "string" && sha !== null && stampOf(entry)?.stamp === stamped.stamp) {
    facts.learn(entry, keptKey(stamped, sealCheck), sha, fact);
  }
  return fact;
}

/**
 * Whether the index may answer for `wanted` now: what it holds of the window loaded, and the
 * folders they are in not links (the store's rule: a record is never read through one, and a
 * kept fact would be).
 */
function keptUsable(
  facts: FactsStore,
  from: string,
  others: readonly SessionEntry[],
  paths: ProjectPaths,
  wanted: readonly SessionEntry[],
): boolean {
  return notLinked(paths, wanted) && facts.prepare(from, others);
}

/** Whether no folder `wanted` are in is a link (a kept fact would be read through it). */
function notLinked(paths: ProjectPaths, wanted: readonly SessionEntry[]): boolean {
  // A listing's entries of one location are files of one folder: one dirname each, not 14,000.
  const folders = new Map<string, string>();
  for (const e of wanted) {
    if (!folders.has(e.location)) folders.set(e.location, dirname(e.file));
  }
  try {
    for (const dir of folders.values()) refuseLinkedFolder(paths, dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * A teammate's record's facts as the start's lines take them (mates_cache.ts): kept when its
 * file is as it was, else read from the file and learnt (when it did not change meanwhile).
 */
async function factFromMates(
  mates: MatesMemo,
  paths: ProjectPaths,
  entry: SessionEntry,
  fromFile: FromFile,
): Promise<Fact | string> {
  const stamped = stampOf(entry);
  if (stamped === null) return await fromFile(entry, false);
  const name = nameOf(paths, entry);
  const kept = mates.known(name, stamped.stamp);
  if (kept !== undefined) return kept;
  const read = await fromFile(entry, false);
  if (typeof read === "string") return read;
  const fact = mateFact(read);
  if (stampOf(entry)?.stamp === stamped.stamp) mates.learn(name, stamped.stamp, fact);
  return fact;
}

/** The paths git status calls changed now (what a pause would record), the first `limit`. */
export function changedNow(status: GitStatus, limit = Infinity): string[] {
  return dirtyAtPause({ status } as unknown as GitContext, limit);
}

/** How many days the board looks back unless told. */
export const DEFAULT_SINCE_DAYS = 14;

/** What the board says, once, when its facts index was made again: why, and that it is. */
const REBUILT: Record<Rebuilt, string> = {
  damaged:
    "the board's index was damaged; it is made again from the records (this board reads them).",
  schema: "the board's index was made by another mpm; it is made again from the records.",
  owner: "the board's index was not this clone's; it is made again from the records.",
};

/** The board of the project at `env.cwd`, as `mpm board --json` prints it. */
export async function teamBoard(
  env: Env,
  options: { sinceDays?: number; person?: string } = {},
): Promise<Board> {
  const project = await openProject(env);
  const now = env.now();
  const sinceDays = options.sinceDays ?? DEFAULT_SINCE_DAYS;
  const facts = await openFacts(project.paths);
  if (facts?.rebuilt) env.warn(`mpm: ${REBUILT[facts.rebuilt]}`);
  let read: BoardRead;
  try {
    read = await readBoard({ root: project.root, paths: project.paths, now, sinceDays, facts });
  } finally {
    await facts?.close();
  }
  if (facts?.broken) env.warn(`mpm: ${REBUILT.damaged}`);
  for (const problem of read.problems) env.warn(`mpm: ${problem} (left off the board)`);
  for (const note of read.cut) env.warn(`mpm: ${note} (shown from that part)`);
  return buildBoard({ ...read, person: options.person });
}
