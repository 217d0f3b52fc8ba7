/**
 * `mpm sync pull`, and what push (sync/push.ts) and status (sync/status.ts) share with it: the
 * report, and planning per kind. The plan itself is sync/plan/plan.ts, the git plumbing
 * sync/remote/refs.ts, the two sides sync/local/local.ts and sync/remote/remote.ts.
 */
import { KINDS } from "./plan/kinds.ts";
import { secretsIn } from "../kernel/safe_text/record_text.ts";
import {
  excludedBy,
  type IdLookup,
  type Kind,
  planTransfer,
  type SyncConfig,
  type SyncItem,
  treePath,
} from "./plan/plan.ts";
import { ensureExcluded } from "../git/run/exclude.ts";
import {
  fetchSessionsFrom,
  isAncestor,
  SYNC_REF,
  syncRefs,
  type SyncSetup,
  updateRef,
} from "./remote/refs.ts";
import { withLock } from "../disk/lock.ts";
import { openIndexUpdate, written } from "../sessions/store/listing/listing_update.ts";
import { projectPaths } from "../disk/paths.ts";
import { updateLatest } from "../sessions/store/snapshots/read_snapshot.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { sessionFolders } from "../vault/copy/seen.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import {
  aboutOf,
  type FileReader,
  importFolder,
  type Incoming,
  isIntegrityProblem,
  knownWritten,
  type LocalFile,
  type LocalIndex,
  type LocalSide,
  readSyncConfig,
  writeIncoming,
} from "./local/local.ts";
import {
  askedBy,
  askedWith,
  inBatches,
  letGoOf,
  type Loaded,
  loadRemoteFiles,
  READ_BATCH_BYTES,
  readRemote,
  type RemoteFile,
  type RemoteSide,
  remoteSince,
} from "./remote/remote.ts";
import { keepQuiet, knowLocal, localSide, seenRemote } from "./sync_record.ts";
import {
  type KeptAnswer,
  lookAfterWriting,
  pulledAnswer,
  pushedAnswer,
  quietFrom,
  type QuietReport,
  type QuietStamps,
  stampsFor,
} from "./quiet/quiet_answer.ts";
import type { ObjectFormat } from "../git/objects/work_file.ts";
import { pullCopies } from "./remote/transcripts.ts";
import {
  copiesWith,
  emptyTranscriptsReport,
  localCopies,
  type TranscriptsReport,
} from "./plan/copy_plan.ts";
import { keepTeammateFacts, TEAMMATE_DAYS, TEAMMATE_READS } from "../board/teammates.ts";
import { MateOffers } from "../board/mates_offer.ts";

export interface SyncOptions {
  dryRun?: boolean;
  /** The time an imported vault copy records (the clock comes from the Env). */
  now?: Date;
  /** Told what is happening, for a progress line on a terminal. */
  progress?: (text: string) => void;
  /** How local files are read (tests count the reads); default: from disk. */
  reader?: FileReader;
  /** Told of each teammate's record read back for the facts a pull keeps (tests count them). */
  teammateReads?: (id: string) => void;
  /**
   * Told when the answer is the one kept from the last push or pull that moved nothing, or one
   * this run worked out and kept, with what it was worked out from: the command keeps it for the
   * quiet door (quiet_door.ts).
   */
  quiet?: (stamps: QuietStamps) => void;
  /**
   * Told the answers a pull that imported, or a push that moved, kept for the next push and pull
   * with nothing new (quiet_answer.ts pulledAnswer, pushedAnswer; push.ts afterPush): the command
   * keeps them for the quiet door too, so the first sync after it is answered there.
   */
  next?: (answers: KeptAnswer[]) => void;
}

export interface Moved {
  kind: Kind;
  id: string;
  /** Its id at the destination; differs from `id` when that one was taken. */
  as: string;
}

export interface Listed {
  kind: Kind;
  id: string;
  reason: string;
}

export interface SyncReport {
  remote: string;
  /** The remote's `refs/mpm/sessions` after the command (null: it has none). */
  remote_commit: string | null;
  dry_run: boolean;
  /** Pushed or imported (push, pull); what a push would send (status). */
  moved: Moved[];
  /** What a pull would import (status only). */
  incoming: Moved[];
  /** Files both sides hold. */
  in_both: number;
  excluded: Listed[];
  /** Local files push leaves behind (claude-mpm's, secret-looking, failing their checks). */
  held_back: Listed[];
  /** Files that failed their checksum or schema: exit 4. */
  refused: Listed[];
  attempts: number;
  /**
   * A push from a clone with no git identity: its commit is mpm's stand-in author, whose work
   * teammates' boards count as nobody's.
   */
  anonymous?: boolean;
  /** The vault's copies of Claude Code transcripts that went with the snapshots. */
  transcripts: TranscriptsReport;
}

/**
 * The report of a push or pull with nothing new whose answer was kept (`answer`, at `commit`):
 * what the full run prints, and the quiet door gives again.
 */
export function quietReport(
  op: "push" | "pull",
  remote: string,
  commit: string,
  answer: QuietReport,
): SyncReport {
  const report = { ...emptyReport(remote, false), ...answer, remote_commit: commit };
  return op === "push" ? { ...report, attempts: 1, anonymous: false } : report;
}

/** Handoffs go with the snapshots they follow; checkpoints as sync.json says. */
function kindsOf(config: SyncConfig): Kind[] {
  return config.include_checkpoints ? ["session", "checkpoint", "handoff"] : ["session", "handoff"];
}

function emptyReport(remote: string, dryRun: boolean): SyncReport {
  return {
    remote,
    remote_commit: null,
    dry_run: dryRun,
    moved: [],
    incoming: [],
    in_both: 0,
    excluded: [],
    held_back: [],
    refused: [],
    attempts: 0,
    transcripts: emptyTranscriptsReport(),
  };
}

/** Sorts local files into what push may send and what it leaves, with reasons. */
export function pushSources(local: LocalSide, config: SyncConfig, report: SyncReport): LocalFile[] {
  const sources: LocalFile[] = [];
  for (const file of local.files) {
    if (!file.pushable) continue;
    const pattern = excludedBy(config, file);
    if (pattern !== undefined) {
      report.excluded.push({ kind: file.kind, id: file.id, reason: `matches ${pattern}` });
    } else if (file.problem) {
      const listed = { kind: file.kind, id: file.id, reason: file.problem.message };
      (isIntegrityProblem(file) ? report.refused : report.held_back).push(listed);
    } else sources.push(file);
  }
  return sources;
}

function plans<T extends SyncItem & { kind: Kind }>(
  kinds: Kind[],
  source: T[],
  destination: (SyncItem & { kind: Kind })[] | LocalIndex,
  taken: Record<Kind, IdLookup>,
  avoid: Record<Kind, IdLookup>,
) {
  const planned = kinds.map((kind) => ({
    kind,
    ...planTransfer(
      source.filter((f) => f.kind === kind),
      Array.isArray(destination)
        ? destination.filter((f) => f.kind === kind)
        : { holds: (identity) => destination.holds(kind, identity) },
      { taken: taken[kind], avoid: avoid[kind], nextFreeId: KINDS[kind].nextFreeId },
    ),
  }));
  return {
    moved: planned.flatMap((p) =>
      p.transfers.map((t) => ({ kind: p.kind, id: t.item.id, as: t.as, item: t.item }))
    ),
    inBoth: planned.reduce((n, p) => n + p.present.length, 0),
  };
}

/** Why a handoff this machine did not seal stays here (local.ts `foreign`). */
export const FOREIGN_HANDOFF = "it was not written by mpm on this machine (pulled from a " +
  "teammate, or committed into the repository), so it is not pushed: a handoff goes out only " +
  "from the machine that wrote it.";

/**
 * What push sends: the local files the remote lacks, renamed where their id is taken there;
 * less a handoff this machine did not seal, which is `held` back instead (only one the remote
 * lacks is named: one it has already is simply in both).
 */
export function outgoing(
  kinds: Kind[],
  sources: LocalFile[],
  remote: RemoteSide,
  local: LocalSide,
) {
  // A remote read lean (remote.ts `sameAs`) counts the files the same as the local ones instead
  // of listing them: those sources are in both, and stand for the remote's files where another
  // source was renamed from one of them.
  const sameAs = remote.sameAs;
  const isSame = (f: LocalFile) => sameAs?.get(`${f.kind}/${f.id}`) === f.blob;
  const rest = sameAs ? sources.filter((f) => !isSame(f)) : sources;
  const named = new Set(rest.flatMap((f) => f.origin ? [`${f.kind}/${f.origin.id}`] : []));
  const standing = sameAs ? sources.filter((f) => isSame(f) && named.has(`${f.kind}/${f.id}`)) : [];
  const planned = plans(kinds, rest, [...remote.files, ...standing], remote.ids, local.ids);
  return {
    moved: planned.moved.filter((m) => !m.item.foreign),
    inBoth: planned.inBoth + sources.length - rest.length,
    held: planned.moved.filter((m) => m.item.foreign)
      .map((m): Listed => ({ kind: m.kind, id: m.id, reason: FOREIGN_HANDOFF })),
  };
}

/** What pull imports: the remote's files this project lacks, renamed where their id is taken. */
export function incoming(kinds: Kind[], remote: RemoteSide, local: LocalSide) {
  return plans(kinds, remote.files, local.index ?? local.files, local.ids, remote.ids);
}

/** The report's view of a move, without the file it carries. */
export function bare(moved: Moved[]): Moved[] {
  return moved.map(({ kind, id, as }) => ({ kind, id, as }));
}

/** What every sync command starts from: the project's paths, its sync.json and a report. */
export async function startSync(root: string, remote: string, dryRun: boolean) {
  const paths = projectPaths(root);
  const config = await readSyncConfig(paths);
  return { paths, config, kinds: kindsOf(config), report: emptyReport(remote, dryRun) };
}

/**
 * Records the remote's chain locally, unless the local ref holds commits the remote lacks.
 * `ancestors`: commits already known to be `remote`'s (git is not asked of them again).
 * Returns the local ref's commit after, and one of its ancestors known so (the commit it moved
 * on from); `head` is undefined when the move failed (another sync moved the ref meanwhile).
 */
export async function advanceLocalRef(
  root: string,
  localRef: string | null,
  remote: string,
  ancestors: readonly (string | null)[] = [],
): Promise<{ head: string | undefined; since?: string }> {
  if (localRef === remote) return { head: remote };
  if (localRef && !ancestors.includes(localRef) && !(await isAncestor(root, localRef, remote))) {
    return { head: localRef };
  }
  const moved = await updateRef(root, SYNC_REF, remote, localRef);
  return moved ? { head: remote, ...(localRef ? { since: localRef } : {}) } : { head: undefined };
}

export async function pullSync(
  root: string,
  setup: SyncSetup,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const { paths, config, kinds, report } = await startSync(
    root,
    setup.remote,
    options.dryRun ?? false,
  );
  const refs = await syncRefs(root, setup.remote);
  const localRef = refs.local;
  options.progress?.(`Fetching ${SYNC_REF} from ${setup.remote}…`);
  const fetched = await fetchSessionsFrom(root, setup.remote, refs.tracking);
  const base = fetched.commit;
  report.remote_commit = base;
  if (!base) return report;
  // Commits known to be `base`'s: the tracking ref's before a fast-forward, and the commit the
  // last complete pull took, once remoteSince has found it so.
  const ancestors = [fetched.from];
  // The facts of the sessions imported, made as they are written (board/mates_offer.ts).
  let offers: MateOffers | undefined;
  const run = async () => {
    // Nothing changed on either side since a pull that took nothing: its answer stands, and
    // neither side's files are read, nor listed.
    const quiet = report.dry_run ? undefined : await quietFrom(paths, "pull", setup.remote, base);
    if (quiet !== undefined) {
      Object.assign(report, quietReport("pull", setup.remote, base, quiet.answer));
      options.quiet?.(quiet.stamps);
      return;
    }
    // Lean: a store of any size is held as its identities, not as a LocalFile each.
    const knowing = await knowLocal(paths, kinds, { ...options, lean: true });
    // A record that is not the local side: the files are read first, to be held to it.
    const read = knowing.lean || knowing.local ? undefined : await localSide(paths, knowing);
    // What changed on the remote since the last complete pull, else the whole tree.
    const seen = seenRemote(knowing, setup.remote, read);
    const since = await remoteSince(root, seen, base, kinds, fetched.from);
    if (since !== undefined && seen !== undefined) ancestors.push(seen.commit);
    // Of the local files, only those the changes name are held (all, when the tree is listed).
    const asked = since && askedBy(since, kinds);
    let local = read ?? await localSide(paths, knowing, asked);
    const remote = await readRemote(root, base, local, kinds, setup.remote, {
      listing: since,
      hold: READ_BATCH_BYTES,
      lean: true,
    });
    report.refused = remote.refused;
    const more = asked && askedWith(asked, remote.files);
    if (more) local = await localSide(paths, knowing, more);
    const { moved, inBoth } = incoming(kinds, remote, local);
    report.in_both = inBoth + remote.same + (since?.unchanged ?? 0);
    report.moved = bare(moved);
    // The vault's copies come whether or not snapshots do: a transcript grows after its snapshot.
    report.transcripts = await pullCopies(root, paths, remote.entries, setup.remote, {
      dryRun: report.dry_run,
      now: options.now ?? new Date(),
      localKeys: await localSessionKeys(paths),
      commit: base,
    });
    if (report.dry_run) return;
    // Only a pull that took everything it read moves the start of the next one past `base`: one
    // that refused a file (or stopped at a bound) leaves it where it was, so nothing is skipped.
    const complete = () =>
      report.refused.length === 0 && report.transcripts.refused.length === 0
        ? { remote: setup.remote, seen: { commit: base, ids: remote.ids, lacking: remote.lacking } }
        : undefined;
    if (moved.length === 0) {
      if (report.transcripts.moved.length === 0) {
        const stamps = await stampsFor(paths, knowing, "pull", setup.remote, base);
        const quiet = [{ stamps, report }];
        // Kept: the quiet door may give this answer from the next pull on.
        if (await keepQuiet(paths, knowing, local, { quiet, pulled: complete() })) {
          options.quiet?.(stamps);
        }
      } else await keepQuiet(paths, knowing, local, { pulled: complete() });
      return;
    }
    options.progress?.(`Importing ${moved.length} files…`);
    // As pause does: the files mpm writes must not show up in the user's git status.
    await ensureExcluded(root);
    // The folder's index as it is before anything is imported, to add the imports to (as pause
    // does, listing_update.ts) rather than list a folder of any size again.
    const index = await openIndexUpdate(paths, "sessions");
    offers = new MateOffers(
      moved.flatMap((m) => m.kind === "session" ? [m.as] : []),
      options.now ?? new Date(),
      TEAMMATE_DAYS,
      TEAMMATE_READS,
    );
    const imported = await importAll(root, remote, local, moved, knowing.format, offers);
    report.moved = imported.moved;
    const sessions = report.moved.filter((m) => m.kind === "session");
    if (sessions.length > 0) {
      await index.commit({ added: sessions.map((m) => written(m.as)) });
      // An id dated after its arrival sorts by its arrival
      // (sessions/store/snapshots/read_snapshot.ts, capFutureIds): the newest is found from the
      // index. Writing LATEST-SESSION.txt changes the folder: the index is stamped again from what
      // it just wrote, and only then.
      await updateLatest(paths, () => index.commit({}));
    }
    // What came in is known from what was written, and the folders as the writes left them, so
    // the next sync knows the store without listing or reading it.
    const into = imported.moved.map((m) => importFolder(paths, m.kind));
    const after = await lookAfterWriting(paths, into);
    const pulled = complete();
    // And the answers of the next pull and push, when nothing changes: known without working
    // them out.
    const answers: KeptAnswer[] = [];
    if (pulled !== undefined && after !== null) {
      const next = { ...knowing, folders: after };
      const stamps = await stampsFor(paths, next, "pull", setup.remote, base);
      answers.push({ stamps, report: pulledAnswer(kinds, remote.ids, remote.lacking.size) });
      // The push's: the quiet push's at the commit the changes were listed since, when they
      // were only new files, each imported as the remote holds it.
      const pushed = since?.onlyNew && knowing.folders !== null &&
          importedAsIs(config, remote, moved, imported)
        ? await pushedAnswer(
          paths,
          {
            remote: setup.remote,
            commit: seen!.commit,
            config: knowing.config,
            folders: knowing.folders,
          },
          stamps.vault,
          imported.files.length,
        )
        : undefined;
      if (pushed !== undefined && await withNoCopy(paths, imported.files)) {
        answers.push({ stamps: { ...stamps, op: "push" }, report: pushed });
      }
    }
    const kept = await keepQuiet(paths, knowing, local, {
      pulled,
      added: imported.files,
      after,
      quiet: answers,
    });
    if (kept) options.next?.(answers);
  };
  if (report.dry_run) await run();
  else await withLock(paths.lock, run, { command: "sync pull" });
  if (report.dry_run) return report;
  const ref = await advanceLocalRef(root, localRef, base, ancestors);
  // What the next SessionStart tells of the teammates' work, kept so that it reads no record:
  // from the ref's commit and the one it moved on from, as this pull knows them, and the signing
  // config read with the remote's.
  if (report.moved.some((m) => m.kind === "session")) {
    const known = ref.head === undefined ? undefined : { ...ref, head: ref.head };
    await keepTeammateFacts(root, paths, options.now ?? new Date(), {
      known: { ref: known, signing: setup.signing },
      offered: offers?.facts,
      onRead: options.teammateReads,
    });
  }
  return report;
}

/**
 * Whether a pull's imports are every file the remote's changes brought, each under its own id
 * with the bytes the remote holds (no rename, nothing redacted), neither excluded nor held back:
 * the push right after finds them all in both.
 */
function importedAsIs(
  config: SyncConfig,
  remote: RemoteSide,
  planned: (Moved & { item: RemoteFile })[],
  imported: { moved: Moved[]; files: LocalFile[] },
): boolean {
  const sha = new Map(planned.map((m) => [`${m.kind}/${m.id}`, m.item.sha256]));
  const listed = remote.files.length + remote.same;
  return remote.refused.length === 0 && listed === imported.files.length &&
    imported.moved.every((m) => m.as === m.id) &&
    imported.files.every((f) =>
      f.pushable && f.problem === undefined && excludedBy(config, f) === undefined &&
      sha.get(`${f.kind}/${f.id}`) === f.sha256
    );
}

/** Whether no vault copy goes with `files` (a copy one names would go with a push: transcripts.ts). */
async function withNoCopy(paths: ProjectPaths, files: LocalFile[]): Promise<boolean> {
  const sessions = files.filter((f) => f.kind === "session");
  return sessions.length === 0 || copiesWith(await localCopies(paths), sessions).size === 0;
}

/** The sessions this machine worked in: their folders, and the active one's key. */
async function localSessionKeys(paths: ProjectPaths): Promise<Set<string>> {
  const keys = new Set(await sessionFolders(paths));
  const active = (await readState(paths).catch(() => undefined))?.active?.key;
  if (active) keys.add(active);
  return keys;
}

async function importAll(
  root: string,
  remote: RemoteSide,
  local: LocalSide,
  moved: (Moved & { item: RemoteFile })[],
  format: ObjectFormat,
  offers: MateOffers,
): Promise<{ moved: Moved[]; files: LocalFile[] }> {
  const paths = projectPaths(root);
  // What fails when read again is refused with what readRemote refused (the report's list).
  const refused = remote.refused;
  // Asked only when a pause took an id first: ids on either side, and those given out here.
  const given = new Set(moved.map((m) => `${m.kind}\0${m.as}`));
  const taken = (kind: Kind): IdLookup => ({
    has: (id) => local.ids[kind].has(id) || remote.ids[kind].has(id) || given.has(`${kind}\0${id}`),
  });
  // Each record is parsed once (loadRemoteFiles), redacted once (the writer's `clean`, and then
  // only its exact fields looked at for what push holds back), decoded once, and written as the
  // bytes read when nothing changed them.
  const prepare = async (
    { kind, id, item }: Moved & { item: RemoteFile },
    as: string,
    loaded: Loaded,
  ): Promise<Incoming & { secret: boolean }> => {
    const spec = KINDS[kind];
    const renamed = as === id ? undefined : spec.rename(loaded.text, as, item.sha256);
    const parsed = renamed === undefined ? loaded.raw : JSON.parse(renamed);
    // Verified is not trusted: what arrives passes the writer as this machine's records do.
    const { free, exact: secret } = secretsIn(spec.fields, parsed);
    const cleaned = free ? await spec.clean(parsed, item.sha256) : undefined;
    const raw = cleaned ?? parsed;
    // Decoded once where nothing changed it: readRemote's check decoded these very bytes.
    const record = cleaned === undefined && renamed === undefined && "record" in loaded
      ? loaded.record
      : spec.decode(raw, as, `${remote.name}:${treePath(kind, as, "json")}`, root);
    const known = { spec, id: as, about: aboutOf(spec, raw), record, secret };
    if (cleaned !== undefined) return { ...known, data: JSON.stringify(raw, null, 2) + "\n" };
    if (renamed !== undefined) return { ...known, data: renamed };
    // The very bytes that arrived (none begins with a byte order mark: remote.ts), so push knows
    // the file as the remote's by its blob.
    return { ...known, data: loaded.bytes, sha256: item.sha256, blob: item.blobs?.json };
  };
  // Files go in batches: an fsync per file and one per folder, not a few per file. A batch is
  // what one read from git brings (remote.ts, READ_BATCH_BYTES: one large record, or small ones
  // up to a MiB), checked again here since readRemote kept no text, prepared and written, then
  // let go before the next is read: memory holds one batch's records and renderings, however
  // large the remote.
  const done: Moved[] = [];
  const files: LocalFile[] = [];
  const size = (m: Moved & { item: RemoteFile }) => m.item.blobs?.size ?? 0;
  for (const slice of inBatches(moved, size, READ_BATCH_BYTES)) {
    const loaded = await loadRemoteFiles(root, remote.name, slice.map((m) => m.item), refused);
    // What fails when read again is left out, refused as readRemote refuses.
    const ready = slice.flatMap((m) => {
      const read = loaded.get(m.item);
      return read === undefined ? [] : [{ ...m, read }];
    });
    loaded.clear();
    const prepared = await Promise.all(ready.map((m) => prepare(m, m.as, m.read)));
    const results = await writeIncoming(paths, prepared);
    for (const [i, move] of ready.entries()) {
      let written = prepared[i];
      // A pause claimed the id meanwhile: the incoming file moves on to the next free one.
      for (let ok = results[i]; !ok;) {
        const as = KINDS[move.kind].nextFreeId(written.id, taken(move.kind));
        given.add(`${move.kind}\0${as}`);
        written = await prepare(move, as, move.read);
        [ok] = await writeIncoming(paths, [written]);
      }
      done.push({ kind: move.kind, id: move.id, as: written.id });
      const known = await knownWritten(paths, written, written.secret, format);
      files.push(known);
      if (move.kind === "session") await offers.add(paths, written.id, known.file, written.data);
    }
    // The batch is written and known: git's output it was read from goes now.
    letGoOf(ready.map((m) => m.read.bytes));
  }
  return { moved: done, files };
}
