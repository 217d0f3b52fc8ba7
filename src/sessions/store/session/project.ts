/**
 * The project every session command works in, and what resume, list and show share: finding
 * the project's snapshots and picking one.
 */
import { MpmError, NothingToDo } from "../../../kernel/errors.ts";
import { selectByText, selectSession } from "../records/snapshot/select.ts";
import {
  firstId,
  localSessionKey,
  sessionKey,
  type Snapshot,
  writtenElsewhere,
} from "../../../kernel/snapshot.ts";
import { isFinished } from "../records/lifecycle/lifecycle.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../../../disk/paths.ts";
import {
  listEntries,
  listSnapshots,
  type Location,
  newestFirst,
  type SessionEntry,
} from "../listing/listing.ts";
import { pushAll } from "../../../kernel/lists.ts";
import { type LoadOptions, loadSnapshot } from "../snapshots/read_snapshot.ts";
import type { Env } from "../../../cli/env.ts";
import { ensureExcluded } from "../../../git/run/exclude.ts";
import { findGitDirs } from "../../../git/run/root.ts";
import { spooledNames } from "./spool_names.ts";
import { sentBy, sentFiles } from "../snapshots/session_history.ts";
import type { Identity } from "../../../git/history/sender.ts";
import { queueUnended, unendedNames } from "./unended.ts";
import { refuseLinkedFolders } from "../listing/store_folders.ts";

export interface Project {
  root: string;
  paths: ProjectPaths;
  /** Whether the project is a git work tree (found on disk, without running git). */
  inGit: boolean;
}

/** The current folder's project; one that `writes` first keeps `.claude-mpm/` out of git status. */
export async function openProject(env: Env, options: { writes?: boolean } = {}): Promise<Project> {
  const root = await findProjectRoot(env.cwd);
  const paths = projectPaths(root);
  // A store folder linking out of `.claude-mpm/` is refused before anything is read or changed.
  refuseLinkedFolders(paths);
  const inGit = (await findGitDirs(root)) !== undefined;
  if (inGit && options.writes) await ensureExcluded(root);
  // Automatic pauses a busy lock queued are saved before anything else changes. Folding loads
  // the whole pause code (spool.ts), which a read-only `mpm list` or `mpm show` never runs.
  // Conversations that ended without their end hook (unended.ts) are queued to be folded too.
  if (options.writes && unendedNames(paths).length > 0) {
    await queueUnended(paths, env.now(), { warn: env.warn });
  }
  if (options.writes && (await spooledNames(paths)).length > 0) {
    const [{ lockWaitFrom }, { foldSpool }] = await Promise.all([
      import("../state/state_store.ts"),
      import("./spool.ts"),
    ]);
    await foldSpool(paths, { lockWaitMs: lockWaitFrom(env.vars), warn: env.warn });
  }
  return { root, paths, inGit };
}

/** Whose work a snapshot is: `own`, `teammate` or `elsewhere` (see whoseWorkEach). */
export type Whose = "own" | "teammate" | "elsewhere";

/**
 * Whose work one snapshot is, as whoseWorkEach answers, asking git of its own files only: a
 * snapshot named asks no more of a long history than it needs.
 */
export async function whoseWork(project: Project, snapshot: Snapshot): Promise<Whose> {
  if (!writtenElsewhere(snapshot)) return "own";
  if (!project.inGit) return "elsewhere";
  const [{ isOwnSender, lastSentBy }, { readSigners }] = await Promise.all([
    import("../../../git/history/sender.ts"),
    import("../../../git/history/signature.ts"),
  ]);
  const signers = await readSigners(project.root);
  let sender = null;
  for (const file of sentFiles(snapshot.session_id, firstId(snapshot))) {
    sender ??= await lastSentBy(project.root, SESSIONS_REF, file, signers);
  }
  if (sender === null) return "elsewhere";
  return isOwnSender(sender, signers) ? "own" : "teammate";
}

/**
 * Whose work each snapshot is: `own` when sealed here or sent by a push signed with this
 * checkout's key, `teammate` when another push sent it, `elsewhere` when none did (a clone's
 * record). Who sent what is asked of git once, at the first snapshot written elsewhere, for all.
 */
export function whoseWorkEach(project: Project): (snapshot: Snapshot) => Promise<Whose> {
  let known:
    | Promise<{ sent: Map<string, Identity | null>; own: (who: Identity) => boolean }>
    | undefined;
  const learn = async () => {
    // Loaded here only: a listing reads no sender.
    const [{ isOwnSender, lastSentByEach }, { readSigners }] = await Promise.all([
      import("../../../git/history/sender.ts"),
      import("../../../git/history/signature.ts"),
    ]);
    const signers = await readSigners(project.root);
    const sent = await lastSentByEach(project.root, SESSIONS_REF, "sessions", signers);
    return { sent, own: (who: Identity) => isOwnSender(who, signers) };
  };
  return async (snapshot) => {
    if (!writtenElsewhere(snapshot)) return "own";
    if (!project.inGit) return "elsewhere";
    const { sent, own } = await (known ??= learn());
    const sender = sentBy(snapshot.session_id, firstId(snapshot), sent);
    if (sender === null) return "elsewhere";
    // Only a push signed with this checkout's own key is the person's: an email is anyone's.
    return own(sender) ? "own" : "teammate";
  };
}

/** The ref `mpm sync pull` fills (sender.ts SESSIONS_REF: named here, its code loaded late). */
const SESSIONS_REF = "refs/mpm/sessions";

/** The words that say a snapshot is a teammate's, wherever mpm names one. */
export const TEAMMATE_WORK = "a teammate's (pulled with `mpm sync pull`, not signed with your key)";

export function noSessions(project: Project): NothingToDo {
  return new NothingToDo(
    `No paused sessions in ${project.root}.`,
    'Run `mpm pause -s "what you are doing"` to save one.',
  );
}

/** How a listing reads its snapshots: large ones without their path lists, each list marked. */
export const WITHOUT_PATHS: LoadOptions = { keepPaths: 0, markPaths: true };

export interface Listed {
  entry: SessionEntry;
  index: number;
  snapshot?: Snapshot;
  error?: Error;
}

/** Loads each entry, a failure kept beside the others. A listing passes WITHOUT_PATHS. */
export async function loadEach(
  project: Project,
  entries: SessionEntry[],
  options?: LoadOptions,
): Promise<Listed[]> {
  const load = async (entry: SessionEntry, index: number): Promise<Listed> => {
    try {
      return { entry, index, snapshot: await loadSnapshot(project.paths, entry, options) };
    } catch (error) {
      if (error instanceof Error && "exitCode" in error) return { entry, index, error };
      throw error;
    }
  };
  // A few at a time: each holds its record's bytes while it is read, and a record can be 30 MB.
  const out: Listed[] = [];
  for (let at = 0; at < entries.length; at += LOADS_AT_ONCE) {
    pushAll(
      out,
      await Promise.all(entries.slice(at, at + LOADS_AT_ONCE).map((e, i) => load(e, at + i))),
    );
  }
  return out;
}

const LOADS_AT_ONCE = 4;

/** A pick, and the newer open snapshot written elsewhere it passed over, if any. */
export interface Picked {
  entry: SessionEntry;
  snapshot: Snapshot;
  /** Unnamed picks only: a teammate's (pulled, copied) newer open work, by its list index. */
  passedOver?: { index: number; snapshot: Snapshot };
  /** Picked by words (`byText`) that matched an older snapshot of its session: that one's id. */
  matched?: string;
  /** With `passUnreadable`: newer snapshots that could not be read, newest first, each with why. */
  passedUnreadable?: Unreadable[];
}

/** A snapshot an unnamed pick passed over because it could not be read. */
export interface Unreadable {
  index: number;
  entry: SessionEntry;
  error: MpmError;
}

/**
 * Picks the session a user named (or the newest) and reads it, checksum verified.
 * `skipCompleted`: unnamed, the newest open one, by `teammates` (newestOpen); none: exit 3.
 * `byText`: words name a session, picked at its newest snapshot. The archive is looked in too.
 * An unnamed pick stops at the first unreadable snapshot (exit 4), unless `passUnreadable` (for
 * a read that changes nothing) passes it, naming it in `passedUnreadable`.
 */
export async function pickSession(
  project: Project,
  selector: string | undefined,
  options: {
    byText?: boolean;
    locations?: Location[];
    skipCompleted?: boolean;
    passUnreadable?: boolean;
    teammates?: Teammates;
  } = {},
): Promise<Picked> {
  const listing = await listSnapshots(project.paths, { locations: options.locations });
  if (listing.length === 0) {
    const archived = selector !== undefined && options.locations === undefined &&
      await inArchive(project, selector);
    if (archived) return archived;
    throw noSessions(project);
  }
  if (selector === undefined && options.skipCompleted) {
    return await newestOpen(project, newestFirst(listing), {
      passUnreadable: options.passUnreadable ?? false,
      teammates: options.teammates ?? "last",
    });
  }
  if (selector === undefined) {
    const [entry] = listing.slice(0, 1);
    return { entry, snapshot: await loadSnapshot(project.paths, entry) };
  }
  // A selector may name any of them: an index, an id or its prefix, words.
  const entries = listing.slice();
  const ids = entries.map((e) => e.id);
  if (options.byText && !/^\d{1,7}$/.test(selector)) {
    return await pickByText(project, entries, selector);
  }
  let id: string;
  try {
    id = selectSession(ids, selector);
  } catch (error) {
    const archived = options.locations === undefined && error instanceof NothingToDo &&
      await inArchive(project, selector);
    if (!archived) throw error;
    return archived;
  }
  // A prefix that is an archived snapshot's too names neither: selectSession refuses it, naming both.
  const prefix = id !== selector && !/^\d{1,7}$/.test(selector);
  if (prefix && options.locations === undefined) {
    const archive = await listEntries(project.paths, { locations: ["archive"] });
    selectSession([id, ...archive.map((e) => e.id)], selector);
  }
  const entry = entries.find((e) => e.id === id)!;
  return { entry, snapshot: await loadSnapshot(project.paths, entry) };
}

/** The archived snapshot an id (or id prefix) names; undefined where none does. */
export async function inArchive(
  project: Project,
  selector: string,
): Promise<Picked | undefined> {
  if (/^\d{1,7}$/.test(selector)) return undefined;
  const entries = await listEntries(project.paths, { locations: ["archive"] });
  let id: string;
  try {
    id = selectSession(entries.map((e) => e.id), selector);
  } catch (error) {
    if (error instanceof NothingToDo) return undefined;
    throw error;
  }
  const entry = entries.find((e) => e.id === id)!;
  return { entry, snapshot: await loadSnapshot(project.paths, entry) };
}

/** `--select`: an id names its snapshot; words a session's newest (`matched`: the one matched). */
async function pickByText(
  project: Project,
  entries: SessionEntry[],
  selector: string,
): Promise<Picked> {
  const loaded = await loadEach(project, entries);
  const { id, words } = selectByText(
    loaded.map((l) => ({
      id: l.entry.id,
      text: [l.snapshot?.conversation.summary, l.snapshot?.mpm.name, l.snapshot?.mpm.task]
        .filter(Boolean).join(" "),
      key: typeof l.snapshot?.mpm.key === "string" ? l.snapshot.mpm.key : undefined,
    })),
    selector,
  );
  const picked = loaded.find((l) => l.entry.id === id)!;
  // A snapshot that failed its checksum is read again: its error is the answer.
  const snapshot = picked.snapshot ?? await loadSnapshot(project.paths, picked.entry);
  const session = localSessionKey(snapshot);
  const newest = words
    ? loaded.find((l) => l.snapshot !== undefined && localSessionKey(l.snapshot) === session)
    : undefined;
  if (newest === undefined || newest === picked) return { entry: picked.entry, snapshot };
  return { entry: newest.entry, snapshot: newest.snapshot!, matched: id };
}

/** The newest readable snapshot of `snapshot`'s session (itself when none newer reads). */
export async function newestOfSession(project: Project, snapshot: Snapshot): Promise<Snapshot> {
  const session = localSessionKey(snapshot);
  for (const entry of await listEntries(project.paths)) {
    if (entry.id === snapshot.session_id) break;
    const newer = await loadSnapshot(project.paths, entry).catch(() => undefined);
    if (newer !== undefined && localSessionKey(newer) === session) return newer;
  }
  return snapshot;
}

/**
 * How an unnamed pick treats a teammate's work (and unsent work from elsewhere): `last` only when
 * the person has none open, `never` (refused, naming it), `any` as the person's own.
 */
export type Teammates = "last" | "never" | "any";

/**
 * Reads newest first, one at a time. A session whose newest snapshot is completed or cancelled
 * is over, its older ones too (one finished here also ends its key's snapshots from elsewhere).
 * A teammate's push is picked as `teammates` says; one signed with this checkout's key is the
 * person's. When every session is over there is nothing to resume.
 */
async function newestOpen(
  project: Project,
  entries: Iterable<SessionEntry>,
  options: { passUnreadable: boolean; teammates: Teammates },
): Promise<Picked> {
  const seen = new Set<string>();
  const over = new Set<string>();
  // The keys (`mpm.key`) of sessions this machine finished, met so far.
  const finishedHere = new Set<string>();
  let teammate: { index: number; entry: SessionEntry; snapshot: Snapshot } | undefined;
  // Written elsewhere, sent by no push: taken when nothing of the person's own is open.
  let other: { index: number; entry: SessionEntry; snapshot: Snapshot } | undefined;
  // Passed over (passUnreadable): what could not be read, newest first.
  const unreadable: Unreadable[] = [];
  const picked = (pick: Picked): Picked =>
    unreadable.length > 0 ? { ...pick, passedUnreadable: unreadable } : pick;
  const whoseOf = whoseWorkEach(project);
  let index = -1;
  for (const entry of entries) {
    index++;
    let snapshot: Snapshot;
    try {
      snapshot = await loadSnapshot(project.paths, entry);
    } catch (error) {
      if (!options.passUnreadable || !(error instanceof MpmError)) throw error;
      unreadable.push({ index, entry, error });
      continue;
    }
    const session = localSessionKey(snapshot);
    if (over.has(session)) continue;
    if (writtenElsewhere(snapshot) && finishedHere.has(sessionKey(snapshot))) continue;
    const first = !seen.has(session);
    seen.add(session);
    if (isFinished(snapshot.mpm.state)) {
      if (first) over.add(session);
      if (first && !writtenElsewhere(snapshot)) finishedHere.add(sessionKey(snapshot));
      continue;
    }
    // A teammate's snapshot passes over to older ones, the person's own included.
    const whose = await whoseOf(snapshot);
    if (whose === "elsewhere" || (whose === "teammate" && options.teammates !== "any")) {
      if (whose === "elsewhere") other ??= { index, entry, snapshot };
      else teammate ??= { index, entry, snapshot };
      continue;
    }
    return picked(
      teammate
        ? { entry, snapshot, passedOver: { index: teammate.index, snapshot: teammate.snapshot } }
        : { entry, snapshot },
    );
  }
  // None of the person's open: the newest no push sent, else a teammate's when `last` (named).
  const fallback = options.teammates === "last" && teammate &&
      (other === undefined || teammate.index < other.index)
    ? teammate
    : other;
  if (fallback) {
    const passed = fallback !== teammate && teammate && teammate.index < fallback.index
      ? { passedOver: { index: teammate.index, snapshot: teammate.snapshot } }
      : {};
    return picked({ entry: fallback.entry, snapshot: fallback.snapshot, ...passed });
  }
  // Open work may be among what could not be read: not "every session is over".
  if (unreadable.length > 0) throw unreadable[0].error;
  if (teammate) throw noOwnWork(project, teammate.snapshot);
  throw new NothingToDo(
    `Every session in ${project.root} is completed or cancelled.`,
    "`mpm resume ID --reopen` makes one active again; `mpm start` begins a new one.",
  );
}

/** Only work that is not the person's is open: named, with the command that takes it up. */
function noOwnWork(project: Project, snapshot: Snapshot): NothingToDo {
  const id = snapshot.session_id;
  return new NothingToDo(
    `No open work of your own in ${project.root}: the newest open snapshot, ${id}, is ` +
      `${TEAMMATE_WORK}.`,
    `\`mpm resume ${id} --from-teammate\` takes it up; \`mpm start\` begins your own.`,
  );
}
