/**
 * What a push may send when its local side is the sync record's identities (a LocalIndex: a
 * store of any size held in a few MB). Only the files the remote does not hold as they are here
 * become LocalFiles, read again from the record's lines once the remote is read; the others are
 * counted, and the sessions they name kept for the vault's copies that go with them. After pauses
 * alone, only the new snapshots are looked at (pausedSources).
 */
import { type LocalFile, type LocalSide, readLocal } from "./local/local.ts";
import { excludedBy, type SyncConfig, treePath } from "./plan/plan.ts";
import { pushSources, type SyncReport } from "./pull.ts";
import { readRemote, type RemoteSide } from "./remote/remote.ts";
import type { SnapshotSessions } from "./plan/copy_plan.ts";
import { type Knowing, localSide, seenRemote, sideOf } from "./sync_record.ts";
import { answerAnyVault, type QuietReport } from "./quiet/quiet_answer.ts";
import { vaultLook } from "./quiet/stamps.ts";
import { entriesAt, treeEntries } from "./remote/refs.ts";
import { byKind, IdLines } from "./plan/id_lines.ts";
import { copiesAlone, VAULT_TREE } from "./remote/transcripts.ts";

const keyOf = (f: LocalFile) => `${f.kind}/${f.id}`;

export interface LeanSources {
  /**
   * The sources this attempt adds, its remote read lean (`sameAs`): at the first, every file
   * the remote lacks or holds otherwise, and those a push may never send (excluded), which its
   * report lists; at the next, those the first found on the remote and this one does not.
   * With each, the files the remote holds that one of them was renamed from (pull.ts outgoing).
   */
  more(remote: RemoteSide, sources: readonly LocalFile[]): Promise<LocalFile[]>;
  /** How many of the files the remote holds as they are here were counted, not read. */
  readonly inBoth: number;
  /** The sessions of the snapshots counted, not read: their vault copies go with them. */
  sessions(): SnapshotSessions[];
}

export function leanSources(
  known: Knowing,
  local: LocalSide,
  config: SyncConfig,
  report: SyncReport,
): LeanSources {
  // The files read, by path: the grown ones (already LocalFiles) first.
  const grown = known.grown ?? [];
  const had = new Set(grown.map((f) => f.file));
  const keys = new Set<string>();
  const named = new Set<string>();
  let first: ReadonlyMap<string, string> | undefined;
  let inBoth = 0;
  const free = (f: LocalFile) => excludedBy(config, f) === undefined;

  async function take(keep: (f: LocalFile) => boolean): Promise<LocalFile[]> {
    const want = (f: LocalFile) => f.pushable && !had.has(f.file) && keep(f);
    // Another sync kept a record meanwhile: the files are read instead (the record's lines
    // known no more), each once.
    const files = await recordFiles(known, want) ??
      (await readLocal(known.paths, known.kinds, known.options)).files.filter(want);
    for (const f of files) had.add(f.file);
    return files;
  }

  async function more(remote: RemoteSide, sources: readonly LocalFile[]) {
    const same = remote.sameAs ?? new Map<string, string>();
    const added: LocalFile[] = [];
    if (first === undefined) {
      first = same;
      added.push(
        ...await take((f) => {
          if (same.get(keyOf(f)) !== f.blob || !free(f)) return true;
          inBoth++;
          if (f.kind === "session" && f.session) keys.add(f.session);
          if (f.kind === "session" && f.claudeSession) named.add(f.claudeSession);
          return false;
        }),
        ...grown,
      );
    } else if ([...first].some(([key, blob]) => same.get(key) !== blob)) {
      // The remote changed between attempts: what it no longer holds is read now.
      const gone = await take((f) =>
        first!.get(keyOf(f)) === f.blob && same.get(keyOf(f)) !== f.blob && free(f)
      );
      inBoth -= gone.length;
      added.push(...gone);
    }
    // The files the remote holds that a source not in both was renamed from stand for the
    // remote's (pull.ts outgoing): read too.
    const origins = new Set(
      [...sources, ...added].flatMap((f) =>
        f.origin && same.get(keyOf(f)) !== f.blob ? [`${f.kind}/${f.origin.id}`] : []
      ).filter((key) => same.has(key)),
    );
    if (origins.size > 0) {
      const standing = await take((f) =>
        origins.has(keyOf(f)) && same.get(keyOf(f)) === f.blob && free(f)
      );
      inBoth -= standing.length;
      added.push(...standing);
    }
    return pushSources({ ...local, files: added }, config, report);
  }

  return {
    more,
    get inBoth() {
      return inBoth;
    },
    sessions: () => [
      ...[...keys].map((session) => ({ session })),
      ...[...named].map((claudeSession) => ({ claudeSession })),
    ],
  };
}

/**
 * The files of the record a lean side was read from (knowing.lean) that `keep` takes, its parts
 * read again one at a time; undefined when one no longer reads as the head names it (another sync
 * kept a record meanwhile).
 */
export async function recordFiles(
  knowing: Knowing,
  keep: (file: LocalFile) => boolean,
): Promise<LocalFile[] | undefined> {
  if (knowing.lean === undefined) return undefined;
  const side = await sideOf(knowing.paths, knowing.kinds, knowing.lean, false, [], undefined, keep);
  return side?.local.files;
}

/** A record's two paths in the remote's tree. */
function pathsOf(f: LocalFile): string[] {
  return [treePath(f.kind, f.id, "json"), treePath(f.kind, f.id, "sha256")];
}

/** A push after pauses: the new snapshots it sends, and the answer that stands for the rest. */
export interface PausedSources {
  local: LocalSide;
  sources: LocalFile[];
  remote: RemoteSide;
  /** The quiet push's answer at the same remote commit, before the pauses. */
  answer: QuietReport;
  /**
   * Whether the vault looks as it did for that answer, whose copies then stand as it has them;
   * else no copy but the new snapshots' holds more than the remote's (transcripts.ts copiesAlone),
   * and the copies are as the new snapshots' alone tell.
   */
  vaultSame: boolean;
}

/**
 * The folders' look the record is whole at, when the files since are new snapshots alone (grown.ts)
 * and the record is read lean: the look a quiet answer that stands for the rest was kept against.
 */
export function pausedLook(known: Knowing): string | undefined {
  const prefix = `${known.kinds.join(",")}|`;
  const whole = known.lean?.whole;
  if (whole === undefined || !known.grown?.length || !whole.startsWith(prefix)) return undefined;
  return whole.slice(prefix.length);
}

/**
 * The quiet answer of `op` at `base` kept against the look the record is whole at (pausedLook),
 * whatever the vault looked like then, and that look; undefined when there is none.
 */
export async function pausedAnswer(
  known: Knowing,
  op: "push" | "pull",
  remote: string,
  base: string,
): Promise<{ report: QuietReport; vault: string } | undefined> {
  const folders = pausedLook(known);
  if (folders === undefined) return undefined;
  return await answerAnyVault(known.paths, {
    op,
    remote,
    commit: base,
    config: known.config,
    folders,
  });
}

/**
 * What a push sends when all that changed since a push that moved nothing is new snapshots
 * (grown.ts): the quiet push's answer at the commit it fetched (`base`), kept against the folders
 * the record is whole at, with sync.json as it is now, stands for every other file (an answer is
 * this build's alone: cache.ts `cached`; the vault's copies: `vaultSame`); the new ones are sent,
 * each sendable as it is (no exclusion, no problem, its id free on the remote). Neither the
 * record's lines nor the remote's records are listed: the remote is read at its top and its vault
 * copies. Undefined (the push is worked out in full) when any of that fails.
 */
export async function pausedSources(
  root: string,
  known: Knowing,
  config: SyncConfig,
  remoteName: string,
  base: string,
): Promise<PausedSources | undefined> {
  const { grown, paths } = known;
  const sendable = (f: LocalFile) =>
    f.kind === "session" && f.pushable && !f.problem && !f.origin && !f.foreign &&
    excludedBy(config, f) === undefined;
  if (!grown?.length || !grown.every(sendable)) return undefined;
  const kept = await pausedAnswer(known, "push", remoteName, base);
  const answer = kept?.report;
  if (answer === undefined || answer.transcripts.moved.length > 0) return undefined;
  // The new ids are free on the remote: by the ids the last pull took at this very commit, else
  // by its tree.
  const seen = seenRemote(known, remoteName);
  const taken = seen?.commit === base
    ? grown.some((f) => seen.ids.session.has(f.id))
    : (await entriesAt(root, base, grown.flatMap(pathsOf))).length > 0;
  if (taken) return undefined;
  const local = await localSide(paths, known, new Set(grown.map((f) => `${f.kind}\0${f.id}`)));
  if (known.lean === undefined) return undefined;
  const entries = await Array.fromAsync(treeEntries(root, base, [VAULT_TREE]));
  const ids = seen?.commit === base ? seen : { ids: byKind(IdLines.empty()), lacking: [] };
  const listing = {
    entries,
    ids: ids.ids,
    unchanged: 0,
    lacking: new Set(ids.lacking),
    onlyNew: true,
  };
  const remote = await readRemote(root, base, local, known.kinds, remoteName, {
    listing,
    lean: "push",
  });
  // A vault that changed since: a copy of an earlier snapshot's session may have grown.
  const vaultSame = kept!.vault === await vaultLook(paths);
  if (!vaultSame && !await copiesAlone(root, paths, grown, entries, remoteName)) return undefined;
  return { local, sources: [...grown], remote, answer, vaultSame };
}
