/**
 * Automatic pauses that could not finish in the hook's time, queued in `.claude-mpm/spool/` and
 * folded in by the next state change or SessionStart. Each is sealed with this machine's key
 * (else set aside as `.bad`) and carries only words written before it (`order_seq`).
 */
import { join } from "../../../kernel/path.ts";
import {
  array,
  boolean,
  checkedJson,
  int,
  literal,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
  time,
} from "../../../kernel/check.ts";
import { createAtomic, writeAtomic } from "../../../disk/files/atomic.ts";
import { exists } from "../../../disk/read/stat.ts";
import { recordJson } from "../../../disk/files/written.ts";
import { joined, type TextFields, within } from "../../../kernel/safe_text/text_fields.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { lineSealVerifies, sealLine } from "../../../kernel/hashing/line_seal.ts";
import { removeEntry, removeIfPresent, renameEntry } from "../../../disk/files/entries.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { gitStatusCheck } from "../../../git/tree/porcelain.ts";
import type { GitState } from "../../../git/tree/status.ts";
import { GitStoppedError } from "../../../git/run/run.ts";
import { activeSessionCheck, activeText, type State } from "../records/state/state.ts";
import type { StateEvent } from "../state/state_store.ts";
import type { PauseRequest } from "../records/snapshot/request.ts";
import type { Snapshot } from "../../../kernel/snapshot.ts";
import { readOrder, type WriteOrder } from "../listing/order.ts";

export const SPOOL_VERSION = 1;

import { spoolDir, spooledNames } from "./spool_names.ts";

export { spoolDir, spooledNames };

const paths = array(string());

/** One queued pause: the request, session and git state as the hook saw them, texts redacted. */
const spooledPauseCheck = object({
  spool_version: literal(SPOOL_VERSION),
  spooled_at: time,
  request: object({
    summary: optional(string()),
    accomplishments: paths,
    nextSteps: paths,
    todos: array(object({
      content: string(),
      status: oneOf(["pending", "in_progress", "completed"]),
    }, "keep")),
  }, "keep"),
  session: nullable(activeSessionCheck),
  git: nullable(object({
    status: gitStatusCheck,
    subject: nullable(string()),
  }, "keep")),
  /** The snapshot's id, chosen when it was queued (SessionEnd's pauses). */
  snapshot_id: optional(string({ pattern: /^[A-Za-z0-9_-]{1,100}$/ })),
  /** Queued before git was read: the git state is read when it is folded. */
  git_at_fold: optional(boolean),
  /** The number of the last snapshot written here when it was queued (listing/order.ts). */
  order_seq: optional(int("nonnegative")),
}, "keep");

/** A queued pause's free text (redacted as written) and its exact strings (times, ids, paths). */
export const SPOOL_TEXT: TextFields = joined(
  {
    free: ["request", "git.subject"],
    exact: ["spooled_at", "git.status", "snapshot_id"],
  },
  within("session", activeText),
);

/** How a pause is queued: with its snapshot's id, before git is read, over an earlier file. */
export interface SpoolOptions {
  /** The id the snapshot is written under, by the hook or by the fold, never both. */
  snapshotId?: string;
  /** git was not read yet: the fold reads it (`git` is then null). */
  gitAtFold?: boolean;
  /** The queued file this one replaces (the same pause, now with its git state). */
  file?: string;
  /** Queued under this name, created exclusively: a name taken queues nothing (returns null). */
  name?: string;
}

/** Queues a pause, named by time, pid and random letters, its texts redacted as a snapshot's. */
export async function spoolPause(
  paths: ProjectPaths,
  now: Date,
  request: PauseRequest,
  session: State["active"],
  git: GitState | null,
  options: SpoolOptions & { name?: undefined } = {},
): Promise<string> {
  return (await spoolPauseAs(paths, now, request, session, git, options))!;
}

/** spoolPause; with `options.name`, null when that name is taken (nothing queued). */
export async function spoolPauseAs(
  paths: ProjectPaths,
  now: Date,
  request: PauseRequest,
  session: State["active"],
  git: GitState | null,
  options: SpoolOptions = {},
): Promise<string | null> {
  // The same pause queued again (now with its git state) keeps the place it was queued at.
  const orderSeq = options.file === undefined
    ? readOrder(paths).seq
    : await queuedOrderSeq(options.file);
  // Loaded here: the secret rules are no part of what SessionStart and `mpm list` load.
  const record = {
    spool_version: SPOOL_VERSION,
    spooled_at: now.toISOString(),
    // The words, todos, Claude's tasks and notes: free text (SPOOL_TEXT).
    request,
    session,
    // The subject is the one text git gives; branch and paths stay exact, as in a snapshot.
    git,
    ...(options.snapshotId === undefined ? {} : { snapshot_id: options.snapshotId }),
    ...(options.gitAtFold && git === null ? { git_at_fold: true } : {}),
    ...(orderSeq === undefined ? {} : { order_seq: orderSeq }),
  };
  const machine = await ensureMachineKey();
  // The write boundary: the record's free text redacted before it is sealed and written.
  const json = await recordJson(SPOOL_TEXT, record, "line");
  const text = (machine === null ? json : await sealLine(json, machine, "spool-pause")) + "\n";
  if (options.file !== undefined) {
    await writeAtomic(options.file, text, { root: paths.base });
    return options.file;
  }
  if (options.name !== undefined) {
    const file = join(spoolDir(paths), options.name);
    return await createAtomic(file, text, { root: paths.base }) ? file : null;
  }
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  for (;;) {
    const random = crypto.getRandomValues(new Uint8Array(4));
    const suffix = [...random].map((b) => b.toString(16).padStart(2, "0")).join("");
    const file = join(spoolDir(paths), `pause-${stamp}-${Deno.pid}-${suffix}.json`);
    if (await createAtomic(file, text, { root: paths.base })) return file;
  }
}

/** The `order_seq` a queued file holds, if it can be read (the caller queued it). */
async function queuedOrderSeq(file: string): Promise<number | undefined> {
  try {
    const seq = JSON.parse(await Deno.readTextFile(file)).order_seq;
    return Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** Ids written here since a pause was queued as `queuedSeq`: not to carry words from. Pure. */
export function writtenSinceQueued(
  order: WriteOrder,
  queuedSeq: number | undefined,
): ReadonlySet<string> | null {
  if (queuedSeq === undefined || order.seq < queuedSeq) return null;
  const since = order.seq - queuedSeq;
  if (since > order.recent.length) return null;
  return new Set(order.recent.slice(0, since));
}

/** Whether the queued file is still there (called holding the lock: no fold took it since). */
export async function stillQueued(file: string): Promise<boolean> {
  return await exists(file);
}

/** Removes a queued file, under the lock, once its snapshot is written or it found nothing new. */
export async function dropQueued(file: string): Promise<void> {
  await removeIfPresent(file);
}

/** Whether the snapshot a queued pause chose the id of was written already. */
export async function snapshotWritten(paths: ProjectPaths, id: string): Promise<boolean> {
  return await exists(join(paths.sessions, `${id}.json`));
}

/**
 * Folds queued pauses into snapshots under the lock, each as of its time; a file that cannot be
 * folded is moved aside as `.bad` and named to `warn`, never lost. Returns the snapshots written.
 */
export async function foldSpool(
  paths: ProjectPaths,
  options: { lockWaitMs?: number; warn?: (line: string) => void; except?: string } = {},
): Promise<Snapshot[]> {
  if ((await spooledNames(paths)).length === 0) return [];
  const [{ changeState }, { LockBusyError }, { takeSnapshotUnlessUnchanged }] = await Promise
    .all([
      import("../state/state_store.ts"),
      import("../../../disk/lock.ts"),
      import("./take_snapshot.ts"),
    ]);
  const folded = await changeState(paths, "fold-spool", async (state) => {
    const written: Snapshot[] = [];
    const events: StateEvent[] = [];
    let active = state.active;
    // git stopped at a hook's deadline: what is folded so far is recorded, the rest waits.
    let stopped = false;
    for (const name of await spooledNames(paths)) {
      // The caller's own queued pause, which it is saving itself.
      if (name === options.except) continue;
      const file = join(spoolDir(paths), name);
      const setAside = async (why: string) => {
        await renameEntry(file, `${file}.bad`).catch(() => {});
        options.warn?.(
          `mpm: a queued automatic pause could not be saved (${why}); it was set aside as ` +
            `.claude-mpm/spool/${name}.bad.`,
        );
        events.push({ command: "pause", auto: true, spooled: name, set_aside: why });
      };
      const parsed = await readSpooled(file);
      if (parsed === "foreign") {
        await setAside("it was not queued by mpm on this machine: it came with the repository");
        continue;
      }
      if (parsed === null) {
        await setAside("it is not a pause this mpm can read");
        continue;
      }
      const session = parsed.session;
      const id = parsed.snapshot_id;
      const done = id !== undefined && await snapshotWritten(paths, id);
      let saved;
      try {
        saved = done ? null : await takeSnapshotUnlessUnchanged({
          root: paths.root,
          paths,
          now: new Date(parsed.spooled_at),
          request: parsed.request as PauseRequest,
          session,
          // Read now (as of this fold) when the hook queued it before reading git.
          git: parsed.git_at_fold ? undefined : parsed.git as GitState | null,
          id,
          queued: true,
          // Snapshots written since it was queued (each fold writes none into the order).
          writtenSince: writtenSinceQueued(readOrder(paths), parsed.order_seq) ?? undefined,
        });
      } catch (error) {
        if (error instanceof LockBusyError) throw error;
        if (error instanceof GitStoppedError) {
          stopped = true;
          break;
        }
        await setAside(error instanceof Error ? error.message : String(error));
        continue;
      }
      if (saved) written.push(saved.snapshot);
      if (session && active && JSON.stringify(active) === JSON.stringify(session)) active = null;
      events.push({
        command: "pause",
        auto: true,
        spooled: name,
        snapshot: saved?.snapshot.session_id ?? (done ? id : null),
      });
      await removeEntry(file);
    }
    return {
      state: { ...state, active },
      result: { written, stopped },
      ...(events.length > 0 ? { event: { command: "fold-spool", folded: events } } : {}),
    };
  }, { lockWaitMs: options.lockWaitMs });
  if (folded.stopped) throw new GitStoppedError();
  return folded.written;
}

/** Folds what it can without waiting long: a busy lock means another command will fold them. */
export async function foldSpoolQuietly(
  paths: ProjectPaths,
  lockWaitMs: number,
  warn?: (line: string) => void,
): Promise<Snapshot[]> {
  try {
    return await foldSpool(paths, { lockWaitMs, warn });
  } catch (error) {
    // Loaded already by foldSpool when it could have thrown it.
    if (error instanceof (await import("../../../disk/lock.ts")).LockBusyError) return [];
    if (error instanceof GitStoppedError) return [];
    throw error;
  }
}

/** A queued pause: null when it does not parse, "foreign" when this machine did not seal it. */
async function readSpooled(
  file: string,
): Promise<Out<typeof spooledPauseCheck> | "foreign" | null> {
  try {
    const text = await Deno.readTextFile(file);
    // Made now where there is none: without one, a clone's file would be folded as it is.
    const machine = await ensureMachineKey();
    if (machine !== null && !await lineSealVerifies(text.trimEnd(), machine, "spool-pause")) {
      return "foreign";
    }
    return checkedJson(spooledPauseCheck, text);
  } catch {
    return null;
  }
}
