/**
 * Reading and changing `state.json`: every change under `.claude-mpm/.lock`, atomic, sealed, with
 * one `events.jsonl` line; reads cached per process (`sessionReads`) until a change.
 */

import {
  emptyState,
  serializeState,
  type State,
  STATE_VERSION,
  stateCheck,
  stateText,
} from "../records/state/state.ts";
import { forDisk, recordJson, type TextFields } from "../../../disk/files/written.ts";
import { checkValue, readStored } from "../../../kernel/check.ts";
import { appendable, appendLine } from "../../../disk/files/append.ts";
import { confineSync } from "../../../disk/files/confine/confine.ts";
import { createAtomic, writeAtomic } from "../../../disk/files/atomic.ts";
import { readTextIfExists } from "../../../disk/read/read.ts";
import { withLock } from "../../../disk/lock.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { startEarly } from "../../../kernel/early.ts";
import { join } from "../../../kernel/path.ts";
import { type JudgedState, judgeState, sealedStateText, setAsideName } from "./state_seal.ts";
import type { Snapshot } from "../../../kernel/snapshot.ts";
import type { Listing, SessionEntry } from "../listing/listing.ts";
import { refuseLinkedFolders } from "../listing/store_folders.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { sealLine } from "../../../kernel/hashing/line_seal.ts";
import { gitTracks } from "../../../git/objects/tree_files.ts";

/** The state (empty without a file; foreignStand() if not written here); damaged: exit 4. */
export async function readState(paths: ProjectPaths): Promise<State> {
  return (await judged(paths, await readTextIfExists(paths.state))).state;
}

/** Whether git tracks `state.json` not written here: then no command replaces it on its own. */
export async function stateCameWithRepository(root: string, paths: ProjectPaths): Promise<boolean> {
  const text = await readTextIfExists(paths.state);
  if (text === undefined) return false;
  if ((await judged(paths, text)).whose !== "foreign") return false;
  return await gitTracks(root, paths.state);
}

/** `state.json`'s text as read (undefined: there is no file), checked, then judged. */
async function judged(paths: ProjectPaths, text: string | undefined): Promise<JudgedState> {
  if (text === undefined) return { state: emptyState(), whose: "none" };
  return await judgeState(text, parseState(paths, text));
}

/** `state.json`'s text checked (undefined: there is no file); its seal is judged apart. */
function parseState(paths: ProjectPaths, text: string | undefined): State {
  if (text === undefined) return emptyState();
  return readStored(text, {
    shown: displayPath(paths, paths.state),
    check: stateCheck,
    version: STATE_VERSION,
    versionName: "state version",
    hint: "Fix it by hand, or move it away to start with no active session.",
  });
}

/** A state about to be written, as it will read back, redacted; one that would not is a bug. */
function checkedState(state: State): Promise<State> {
  const checked = checkValue(stateCheck, state);
  // The write boundary: the state's free text is redacted here, whatever built it.
  if (checked.ok) return forDisk(stateText, checked.value);
  const { path, message } = checked.problem;
  throw new Error(`mpm made a state it cannot read back (${path.join(".")}: ${message}).`);
}

/** An event line: what a command adds is free text; its time and command stay exact. */
const EVENT_TEXT: TextFields = { free: [""], exact: ["time", "command"] };

export interface StateEvent {
  command: string;
  [key: string]: unknown;
}

export interface Change<T> {
  state: State;
  result: T;
  /** Omit to record nothing (a change that turned out to be a no-op). */
  event?: StateEvent;
}

/** A one-line summary of who is active, for the before/after of an event. */
function describe(state: State) {
  return {
    active: state.active ? (state.active.name ?? state.active.key) : null,
    active_key: state.active?.key ?? null,
    stack: state.stack.map((f) => f.snapshot_id),
  };
}

export interface ChangeOptions {
  now?: () => Date;
  /** How long to wait for another process holding the lock (default: the lock's own). */
  lockWaitMs?: number;
  /** Told who holds the lock when it has been held a while (disk/lock.ts `onWait`). */
  onLockWait?: (holder: string) => void;
}

/** Writes an intermediate state at once (an intent recorded before a step that may be killed). */
export type SaveState = (state: State) => Promise<void>;

/** Keeps `text`, a state from elsewhere, in `backups/` under a name no other kept one has. */
async function setAside(paths: ProjectPaths, text: string, now: Date): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const file = join(paths.base, setAsideName(now, attempt));
    if (await createAtomic(file, text, { root: paths.base })) return;
  }
  throw new Error(`Every name for a state set aside in ${paths.base}/backups/ is taken.`);
}

/** Reads the state under the lock, writes what `fn` returns; if `fn` throws, only what it saved. */
export async function changeState<T>(
  paths: ProjectPaths,
  command: string,
  fn: (state: State, save: SaveState) => Promise<Change<T>>,
  options: ChangeOptions = {},
): Promise<T> {
  const now = options.now ?? (() => new Date());
  // A store folder linking out of `.claude-mpm/` refuses the change before the lock is taken.
  refuseLinkedFolders(paths);
  forgetReads(paths);
  return await withLock(paths.lock, async () => {
    // The event log is appended last: one that cannot be (a FIFO) refuses the change first.
    appendable(paths.events, { root: paths.base });
    // Likewise a state.json that leads out of the store, before a snapshot is written.
    confineSync(paths.base, paths.state);
    const text = await readTextIfExists(paths.state);
    const read = await judged(paths, text);
    const before = read.state;
    let written: string | null = serializeState(before);
    let replaced = read.whose !== "foreign";
    const write = async (state: State) => {
      if (!replaced) {
        // What is replaced was not the person's: kept aside, never taken (state_seal.ts).
        await setAside(paths, text!, now());
        replaced = true;
      }
      await writeAtomic(paths.state, await sealedStateText(state), { root: paths.base });
      written = serializeState(state);
    };
    const save: SaveState = async (state) => write(await checkedState(state));
    const change = await fn(structuredClone(before), save);
    const next = await checkedState(change.state);
    if (serializeState(next) !== written) await write(next);
    if (change.event) {
      const line = await recordJson(EVENT_TEXT, {
        time: now().toISOString(),
        ...change.event,
        before: describe(before),
        after: describe(next),
      }, "line");
      await appendLine(paths.events, await sealedEventLine(line), { root: paths.base });
    }
    return change.result;
  }, { command, waitMs: options.lockWaitMs, onWait: options.onLockWait })
    .finally(() => forgetReads(paths));
}

/** An events.jsonl line sealed with this machine's key: `mpm replay` tells only these as mpm's. */
export async function sealedEventLine(json: string): Promise<string> {
  const key = await ensureMachineKey();
  return key === null ? json : await sealLine(json, key, "events");
}

/** How long a person's command waits for the lock (saying for whom); hooks wait less and queue. */
export const COMMAND_LOCK_WAIT_MS = 10 * 60_000;

/** `MPM_LOCK_WAIT_MS` from the environment, when it is a whole number; else COMMAND_LOCK_WAIT_MS. */
export function lockWaitFrom(vars: Readonly<Record<string, string>>): number {
  const raw = vars.MPM_LOCK_WAIT_MS;
  return raw !== undefined && /^\d{1,7}$/.test(raw) ? Number(raw) : COMMAND_LOCK_WAIT_MS;
}

/** What a command the person runs says while another mpm holds the lock (disk/lock.ts onWait). */
export function lockWaitNotice(warn: (text: string) => void): (holder: string) => void {
  return (holder) =>
    warn(`mpm: waiting for ${holder} to finish with this project's state (Ctrl-C stops).`);
}

/** What this process has read of a project's sessions, each read at most once. */
export interface SessionReads {
  state(): Promise<State>;
  stateText(): Promise<string | null>;
  /** The snapshots in sessions/ and pause/, newest first, built as sliced (listSnapshots). */
  entries(): Promise<Listing>;
  snapshot(entry: SessionEntry): Promise<Snapshot>;
}

const remembered = new Map<string, SessionReads>();

/** The project's sessions as this process read them on first use, a failure kept like a value. */
export function sessionReads(paths: ProjectPaths): SessionReads {
  let reads = remembered.get(paths.state);
  if (reads === undefined) {
    reads = readsOf(paths);
    remembered.set(paths.state, reads);
  }
  return reads;
}

/** Forgets what was read of the project: its next reads are from the disk. */
export function forgetReads(paths: ProjectPaths): void {
  remembered.delete(paths.state);
}

function readsOf(paths: ProjectPaths): SessionReads {
  let state: Promise<State> | undefined;
  let stateText: Promise<string | null> | undefined;
  let entries: Promise<Listing> | undefined;
  const snapshots = new Map<string, Promise<Snapshot>>();
  let store: Promise<typeof import("../snapshots/read_snapshot.ts")> | undefined;
  const loadStore = () => store ??= import("../snapshots/read_snapshot.ts");
  const reads: SessionReads = {
    // One read of the file serves both: the digest's text is the text the state came from.
    stateText: () =>
      stateText ??= startEarly(() => readTextIfExists(paths.state).then((text) => text ?? null)),
    state: () =>
      state ??= startEarly(() =>
        reads.stateText().then(async (text) => (await judged(paths, text ?? undefined)).state)
      ),
    entries: () =>
      entries ??= startEarly(() =>
        import("../listing/listing.ts").then((m) => m.listSnapshots(paths))
      ),
    snapshot: (entry) => {
      let loaded = snapshots.get(entry.file);
      if (loaded === undefined) {
        // Its readers (SessionStart, the sighting) use no more paths than a start tells.
        loaded = startEarly(() =>
          loadStore().then((m) => m.loadSnapshot(paths, entry, { keepPaths: m.TOLD_PATHS }))
        );
        snapshots.set(entry.file, loaded);
      }
      return loaded;
    },
  };
  return reads;
}
