/**
 * Writing a new snapshot: redacted, then its checksum claims the id, then the record, its
 * renderings and LATEST-SESSION.txt, staged together and put in place in that order with one
 * folder flush. Apart from read_snapshot.ts, so reads never load this code.
 */
import { join } from "../../../kernel/path.ts";
import { MpmError } from "../../../kernel/errors.ts";
import { isSessionId, newSessionId, sessionSortKey } from "../../../kernel/ids.ts";
import type { GitContext, Snapshot } from "../../../kernel/snapshot.ts";
import { machineName } from "../records/snapshot/machine.ts";
import { hashWorkTreeFiles, MAX_HASHED_PATHS } from "../../../git/objects/blobs.ts";
import { lookedFiles, type WorkLook } from "../marks/work_tree.ts";
import { dirtyAtPause } from "../records/snapshot/changes.ts";
import { renderMarkdown } from "./render_md.ts";
import { yamlText } from "../../../kernel/format/yaml.ts";
import { snapshotForDisk } from "./redact_snapshot.ts";
import {
  discardStaged,
  linkStaged,
  placeStaged,
  stageAtomic,
  type Staged,
  writeAtomic,
} from "../../../disk/files/atomic.ts";
import { exists } from "../../../disk/read/stat.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { removeQuietly } from "../../../disk/files/entries.ts";
import type { SavedFiles } from "./read_snapshot.ts";
import { type IndexUpdate, openIndexUpdate, written } from "../listing/listing_update.ts";
import { readOrder, recordWritten } from "../listing/order.ts";
import { refuseLinkedFolder } from "../listing/store_folders.ts";
import { sealed, stageRecord, stageYaml } from "./sealed_record.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";

const MAX_ATTEMPTS = 1000;

export interface SaveOptions {
  /** Also point LATEST-SESSION.txt at the newest snapshot (read_snapshot.ts `updateLatest`). */
  latest?: boolean;
  /** An id chosen beforehand (`mpm return`): a rerun finishes a killed write; taken: an error. */
  fixedId?: boolean;
  /** The command's look at the work tree (marks/work_tree.ts): its hashed files are reused. */
  look?: WorkLook;
  /** A pause queued while the lock was busy, folded in later: no place in the written order. */
  queued?: boolean;
}

/** A new snapshot id for `now`, unique across machines by its millisecond and random letters. */
export function freshSessionId(now: Date): string {
  return newSessionId(now, crypto.getRandomValues(new Uint8Array(3)));
}

/** What pauseFacts adds to a built snapshot. */
export type CompleteSnapshot = (snapshot: Snapshot) => Snapshot;

/**
 * Writes a new snapshot, redacted once, claimed by creating its `.sha256` exclusively so nothing is
 * overwritten; a taken id is replaced by a fresh one for the same moment, unless `fixedId`.
 */
export async function saveSnapshot(
  paths: ProjectPaths,
  built: Snapshot,
  options: SaveOptions = {},
): Promise<{ snapshot: Snapshot; files: SavedFiles }> {
  const root = paths.base;
  // A sessions folder linking out of `.claude-mpm/` is refused before anything is written.
  refuseLinkedFolder(paths, paths.sessions);
  const key = ensureMachineKey();
  const complete = await pauseFacts(
    paths.root,
    built.git_context,
    built.mpm.machine ?? undefined,
    options.look,
  );
  // Its number in the written order (listing/order.ts): newest whatever the clock says. Locked.
  const order = options.queued ? null : readOrder(paths);
  const seq = order ? order.seq + 1 : undefined;
  const completed = complete(built);
  // Redacted after the last field is added, before a byte is written.
  const whole = await snapshotForDisk(
    seq === undefined ? completed : { ...completed, mpm: { ...completed.mpm, seq } },
  );
  const moment = new Date(whole.paused_at);
  let index: IndexUpdate | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (options.fixedId && attempt > 1) {
      throw new MpmError(
        `The session id ${whole.session_id} is taken; nothing was written under it.`,
      );
    }
    const id = attempt === 1 ? whole.session_id : freshSessionId(moment);
    const json = join(paths.sessions, `${id}.json`);
    const record = await sealed({ ...whole, session_id: id }, await key);
    const snapshot = record.snapshot;
    const files = {
      json,
      md: join(paths.sessions, `${id}.md`),
      yaml: join(paths.sessions, `${id}.yaml`),
    };
    // The folder's index as it is before anything is staged there (listing_update.ts).
    index ??= await openIndexUpdate(paths, "sessions");
    // Staged in the order that lets the disk work while this process computes: the checksum
    // is taken (Web Crypto, off this thread; or on the way to disk, for a record in pieces)
    // while the record, the markdown and LATEST-SESSION.txt (on the guess that this snapshot
    // is the newest, as it nearly always is: checked once the record is in place) are written,
    // and all four are flushing while the YAML is rendered.
    const { staged: recordFile, claimLine } = await stageRecord(record, json, `${id}.json`, root);
    let md: Staged, latestGuess: Staged[];
    try {
      [md, ...latestGuess] = await stageAll([
        [files.md, renderMarkdown(snapshot)],
        ...(options.latest ? [[paths.latest, `${id}\n`] as [string, string]] : []),
      ], root);
    } catch (error) {
      await discardStaged([recordFile]);
      throw error;
    }
    let claim: Staged, yaml: Staged;
    try {
      [claim] = await stageAll([[`${json}.sha256`, await claimLine]], root);
      try {
        yaml = await stageYaml(record, files.yaml, root);
      } catch (error) {
        await discardStaged([claim]);
        throw error;
      }
    } catch (error) {
      await discardStaged([recordFile, md, ...latestGuess]);
      throw error;
    }
    const renderings = [md, yaml];
    let latest = latestGuess;
    const rest = [...renderings, ...latest];
    if (!(await linkStaged(claim))) {
      await discardStaged([recordFile, ...rest]);
      continue;
    }
    if ((await Promise.all([exists(json), exists(files.md)])).some(Boolean)) {
      // A claude-mpm session already has this id (it wrote no mpm checksum): leave it be.
      await discardStaged([recordFile, ...rest]);
      await removeQuietly(`${json}.sha256`);
      continue;
    }
    try {
      // The record before its renderings: a rendering beside a claim and no record reads as lost.
      await placeStaged([recordFile], { flush: false });
      // Before LATEST-SESSION.txt is checked: the order decides which snapshot is newest.
      if (order && seq !== undefined) await recordWritten(paths, order, id, seq);
      if (options.latest) latest = await checkLatest(paths, latest, id, index.newest());
    } catch (error) {
      // Nothing of the snapshot stays (its error says the store is as it was): the record goes
      // before its claim, as a claim alone is what a write cut short leaves.
      await discardStaged([...renderings, ...latest]);
      await removeQuietly(json);
      await removeQuietly(`${json}.sha256`);
      throw error;
    }
    // One flush of the folder for the claim, the record and the rest.
    await placeStaged([...renderings, ...latest]);
    await index.commit({ added: [written(id)] });
    return { snapshot, files };
  }
  throw new MpmError(`Could not find a free session id for ${whole.paused_at}.`);
}

/** For an id `mpm return` recorded: whether its record is there (a killed write finished). */
export async function finishSnapshot(paths: ProjectPaths, id: string): Promise<boolean> {
  refuseLinkedFolder(paths, paths.sessions);
  const json = join(paths.sessions, `${id}.json`);
  if (!(await exists(json))) {
    await removeQuietly(`${json}.sha256`);
    return false;
  }
  const store = await import("./read_snapshot.ts");
  const files: [string, () => Promise<string>][] = [
    [join(paths.sessions, `${id}.md`), async () => renderMarkdown(await snapshot())],
    [
      join(paths.sessions, `${id}.yaml`),
      async () => yamlText(await snapshot()),
    ],
  ];
  let read: Promise<Snapshot> | undefined;
  const snapshot = () =>
    read ??= store.loadSnapshot(paths, { id, file: json, format: "json", location: "sessions" });
  for (const [file, render] of files) {
    if (!(await exists(file))) await writeAtomic(file, await render(), { root: paths.base });
  }
  await store.updateLatest(paths);
  return true;
}

/**
 * LATEST-SESSION.txt staged naming `id`, or the right text instead; nothing when it says so.
 * `newest`: the newest snapshot of sessions/ before this one, as its index said (null: none).
 */
async function checkLatest(
  paths: ProjectPaths,
  staged: Staged[],
  id: string,
  newest: string | null,
): Promise<Staged[]> {
  const guessed = `${id}\n`;
  const text = laterNameIn(paths, id, newest)
    ? (await (await import("./read_snapshot.ts")).latestText(paths)).text
    // Unreadable (a FIFO in its place): replaced by the right text, as a stale one is.
    : ((await readTextIfExists(paths.latest).catch(() => undefined)) === guessed
      ? undefined
      : guessed);
  if (text === guessed) return staged;
  await discardStaged(staged);
  // null (no snapshot at all) cannot happen here: one was just put in place.
  return text ? [await stageAtomic(paths.latest, text, { root: paths.base })] : [];
}

/**
 * Whether sessions/ or pause/ holds a snapshot that sorts before `id`. sessions/ is told by its
 * index where there is one (`newest`): a large store is not listed at every pause.
 */
function laterNameIn(paths: ProjectPaths, id: string, newest: string | null): boolean {
  const stamp = id.slice(SESSION.length, SESSION.length + STAMP_LENGTH);
  const key = sessionSortKey(id);
  if (newest !== null && newest !== id && sessionSortKey(newest) > key) return true;
  const folders = newest === null ? [paths.sessions, paths.legacyPause] : [paths.legacyPause];
  for (const dir of folders) {
    let entries: Iterable<Deno.DirEntry>;
    try {
      entries = Deno.readDirSync(dir);
    } catch (error) {
      // No such folder: nothing in it sorts first (listing.ts lists it as empty).
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        continue;
      }
      throw error;
    }
    for (const { name } of entries) {
      if (!name.startsWith(SESSION)) continue;
      if (name.slice(SESSION.length, SESSION.length + STAMP_LENGTH) < stamp) continue;
      // A record or a rendering (the files listing.ts lists), of a snapshot that sorts first.
      const dot = name.lastIndexOf(".");
      const other = name.slice(0, dot);
      if (!RECORD_EXTENSIONS.has(name.slice(dot + 1)) || !isSessionId(other)) continue;
      if (other !== id && sessionSortKey(other) > key) return true;
    }
  }
  return false;
}

const RECORD_EXTENSIONS = new Set(["json", "yaml", "md"]);
const SESSION = "session-";
/** `YYYYMMDD-HHMMSS`, the second an id names (kernel/ids.ts). */
const STAMP_LENGTH = 15;

/** Stages each file; when one fails, the others are dropped and its error thrown. */
async function stageAll(files: [string, string][], root: string): Promise<Staged[]> {
  const results = await Promise.allSettled(
    files.map(([path, data]) => stageAtomic(path, data, { root })),
  );
  const staged = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await discardStaged(staged);
    throw failed.reason;
  }
  return staged;
}

/**
 * What only the pausing machine knows: its name and each uncommitted file's blob (so `resume` tells
 * work committed as it was from a collision), hashed once for the snapshot and the mark.
 */
export async function pauseFacts(
  projectRoot: string,
  git: GitContext | null,
  machine: unknown = machineName(),
  look?: WorkLook,
): Promise<CompleteSnapshot> {
  const shared = git && git.blobs === undefined ? await lookedFiles(look) : undefined;
  // Of a million dirty paths, only the first MAX_HASHED_PATHS are listed: those are hashed.
  const dirty = git && git.blobs === undefined ? dirtyAtPause(git, MAX_HASHED_PATHS) : null;
  const blobs = dirty
    ? await hashWorkTreeFiles(projectRoot, dirty, shared).catch(() => null)
    : null;
  return (snapshot) => ({
    ...snapshot,
    git_context: snapshot.git_context && blobs && blobs.size > 0
      ? { ...snapshot.git_context, blobs: Object.fromEntries(blobs) }
      : snapshot.git_context,
    mpm: machine ? { ...snapshot.mpm, machine } : snapshot.mpm,
  });
}
