/**
 * The checkpoints folder: `NAME.json`, `NAME.json.sha256` (verified on every read) and `NAME.md`.
 * The checksum is written before the `.json` (a replaced `.json` is removed first), so a reader
 * never sees a `.json` with the wrong checksum. Writes hold `.claude-mpm/.lock`.
 */
import { join } from "../kernel/path.ts";
import {
  assertCheckpointName,
  assertNewCheckpointName,
  buildCheckpoint,
  type Checkpoint,
  type CheckpointSession,
  checkpointText,
  compareText,
  decodeCheckpoint,
  isCheckpointName,
  serializeCheckpoint,
} from "./checkpoint.ts";
import { checksumLine, parseChecksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { IntegrityError, MpmError, NothingToDo } from "../kernel/errors.ts";
import { renderCheckpointMarkdown } from "./render.ts";
import {
  type ActiveSession,
  contextPartition,
  type State,
} from "../sessions/store/records/state/state.ts";
import { ensureExcluded } from "../git/run/exclude.ts";
import { buildInfo } from "../cli/build_info.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { exists } from "../disk/read/stat.ts";
import { readBytesIfExists, readTextIfExists } from "../disk/read/read.ts";
import { writeAtomic } from "../disk/files/atomic.ts";
import { removeEntry, removeIfPresent } from "../disk/files/entries.ts";
import { withLock } from "../disk/lock.ts";
import { forDisk } from "../disk/files/written.ts";
import { displayPath, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { readState } from "../sessions/store/state/state_store.ts";
import { attachNewestSession } from "../sessions/store/session/attach.ts";
import { readWorkTree } from "./work_tree.ts";
import { readContextRecord } from "../context/record.ts";
import { machineName } from "../sessions/store/records/snapshot/machine.ts";
import { ensureMachineKey, machineKey } from "../disk/machine_key.ts";
import { jsonSealVerifies, SEAL_PLACEHOLDER, sealJsonText } from "../kernel/hashing/seal.ts";
import {
  type AutoCheckpointFacts,
  autoCheckpointsToDrop,
  isAutoCheckpointName,
} from "./retention.ts";

export interface CheckpointFiles {
  json: string;
  sha256: string;
  md: string;
}

export function checkpointFiles(paths: ProjectPaths, name: string): CheckpointFiles {
  const json = join(paths.checkpoints, `${name}.json`);
  return { json, sha256: `${json}.sha256`, md: join(paths.checkpoints, `${name}.md`) };
}

export class CheckpointExistsError extends MpmError {}

export interface SaveOptions {
  note?: string;
  force?: boolean;
  now: Date;
  /** Saved by mpm on its own (PreCompact): retention.ts may remove it later. */
  auto?: { trigger: "pre-compact" };
}

export interface SavedCheckpoint {
  name: string;
  file: string;
  record: Checkpoint;
  files: CheckpointFiles;
}

function sessionOf(active: ActiveSession | null): CheckpointSession | null {
  if (!active) return null;
  return {
    key: active.key,
    name: active.name,
    task: active.task,
    template: active.template,
    started_at: active.started_at,
    parent: active.parent,
    depth: active.depth,
    notes: active.notes,
  };
}

/** The session a checkpoint is of: the active one, else the newest (as `mpm todo` continues). */
export async function sessionAt(
  paths: ProjectPaths,
  state: State,
  now: Date,
): Promise<ActiveSession | null> {
  if (state.active) return state.active;
  return (await attachNewestSession(paths, state, now).catch(() => null))?.session ?? null;
}
/** Records the project as checkpoint `name`; takes the lock, so never call it holding it. */
export async function saveCheckpoint(
  root: string,
  name: string,
  options: SaveOptions,
): Promise<SavedCheckpoint> {
  assertNewCheckpointName(name);
  const paths = projectPaths(root);
  const files = checkpointFiles(paths, name);
  if (!options.force && await exists(files.json)) throw taken(paths, name);
  const [work, state] = await Promise.all([readWorkTree(root), readState(paths)]);
  if (work) await ensureExcluded(root);
  const session = await sessionAt(paths, state, options.now);
  const contextFile = await readContextRecord(root, contextPartition(session));
  const info = buildInfo();
  // The write boundary: the record's free text redacted before anything of it is written.
  const record = await forDisk(
    checkpointText,
    buildCheckpoint({
      name,
      now: options.now,
      note: options.note,
      projectPath: root,
      version: info.version,
      build: info.build,
      git: work && {
        branch: work.status.branch,
        head: work.status.head,
        detached: work.status.detached,
        commit_message: work.subject,
        files: work.files,
      },
      session: sessionOf(session),
      todos: session?.todos ?? [],
      stack: state.stack.flatMap((frame) => frame.snapshot_id ?? []),
      contextFile,
      machine: machineName(),
      auto: options.auto,
    }),
  );
  await withLock(paths.lock, () => writeCheckpoint(paths, record, options.force ?? false), {
    command: `checkpoint save ${name}`,
  });
  return { name, file: files.json, record, files };
}

function taken(paths: ProjectPaths, name: string): CheckpointExistsError {
  return new CheckpointExistsError(
    `A checkpoint named ${name} already exists (${
      displayPath(paths, checkpointFiles(paths, name).json)
    }).`,
    "Add --force to replace it, or choose another name.",
  );
}

async function writeCheckpoint(paths: ProjectPaths, record: Checkpoint, force: boolean) {
  const files = checkpointFiles(paths, record.name);
  const root = paths.base;
  await confine(root, files.json);
  if (await exists(files.json)) {
    if (!force) throw taken(paths, record.name);
    await removeEntry(files.json);
  }
  const text = sealedText(record, await ensureMachineKey());
  await writeAtomic(files.sha256, checksumLine(text, `${record.name}.json`), { root });
  await writeAtomic(files.json, text, { root });
  await writeAtomic(files.md, renderCheckpointMarkdown(record), { root });
}

/** The text sealed with this machine's key (so retention knows it its own); unsealed without. */
function sealedText(record: Checkpoint, key: string | null): string {
  if (key === null) return serializeCheckpoint(record);
  return sealJsonText(serializeCheckpoint({ ...record, seal: SEAL_PLACEHOLDER }), key).text;
}

function unknown(name: string): NothingToDo {
  return new NothingToDo(
    `No checkpoint named ${name}.`,
    "Run `mpm checkpoint list` to see the saved ones.",
  );
}

/** Checkpoint `name`, its checksum verified: unknown → NothingToDo, bad → IntegrityError. */
export async function readCheckpoint(paths: ProjectPaths, name: string): Promise<Checkpoint> {
  assertCheckpointName(name);
  const files = checkpointFiles(paths, name);
  const shown = displayPath(paths, files.json);
  // A forced save running meanwhile may swap the pair between the two reads: read again once.
  for (let attempt = 1;; attempt++) {
    const bytes = await readBytesIfExists(files.json);
    if (bytes === undefined) throw unknown(name);
    const recorded = await readBytesIfExists(files.sha256);
    const parsed = recorded && parseChecksumLine(new TextDecoder().decode(recorded));
    if (parsed && parsed.hex === sha256Hex(bytes)) {
      return decodeCheckpoint(new TextDecoder().decode(bytes), shown);
    }
    if (attempt < 2) continue;
    if (recorded === undefined) {
      throw new IntegrityError(
        `${shown} has no checksum file (${name}.json.sha256), so mpm cannot trust it.`,
        "If you edited it on purpose, recreate the checksum: sha256sum FILE > FILE.sha256.",
      );
    }
    throw new IntegrityError(
      `${shown} does not match its checksum: it was changed or damaged after mpm wrote it.`,
      `Restore it from a backup, or remove it with \`mpm checkpoint rm ${name}\`.`,
    );
  }
}

export interface ListedCheckpoint {
  name: string;
  file: string;
  record?: Checkpoint;
  error?: Error;
}

export async function checkpointNames(paths: ProjectPaths): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.checkpoints)) {
      if (entry.isDirectory || !entry.name.endsWith(".json")) continue;
      const name = entry.name.slice(0, -".json".length);
      if (isCheckpointName(name)) names.push(name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names.sort(compareText);
}

/** Every checkpoint, newest first; one that fails its check is listed with its error. */
export async function listCheckpoints(paths: ProjectPaths): Promise<ListedCheckpoint[]> {
  const names = await checkpointNames(paths);
  const listed = await Promise.all(names.map(async (name): Promise<ListedCheckpoint> => {
    const file = checkpointFiles(paths, name).json;
    try {
      return { name, file, record: await readCheckpoint(paths, name) };
    } catch (error) {
      if (error instanceof IntegrityError || error instanceof NothingToDo) {
        return { name, file, error };
      }
      throw error;
    }
  }));
  const time = (l: ListedCheckpoint) => l.record?.saved_at ?? "";
  return listed.sort((a, b) => compareText(time(b), time(a)) || compareText(a.name, b.name));
}

/** Whether this machine saved checkpoint `name`: its seal checks out (without a key: yes). */
export async function savedHere(
  paths: ProjectPaths,
  name: string,
  record: Checkpoint,
): Promise<boolean> {
  const key = await ensureMachineKey();
  if (key === null) return true;
  const text = await readTextIfExists(checkpointFiles(paths, name).json).catch(() => undefined);
  return text !== undefined && jsonSealVerifies(text, record.seal, key);
}

/** Removes `name`'s `.json` (first: it leaves the list at once), checksum and `.md`. */
export async function removeCheckpoint(paths: ProjectPaths, name: string): Promise<string[]> {
  assertCheckpointName(name);
  const files = checkpointFiles(paths, name);
  return await withLock(paths.lock, async () => {
    // Removing through a link that leads outside .claude-mpm/ would delete someone else's file.
    await confine(paths.base, files.json);
    const removed: string[] = [];
    for (const file of [files.json, files.sha256, files.md]) {
      if (await removeIfPresent(file)) removed.push(file);
    }
    if (removed.length === 0) throw unknown(name);
    return removed;
  }, { command: `checkpoint rm ${name}` });
}

/** Removes this machine's automatic checkpoints past the newest `keep` (never `saved`). */
export async function dropOldAutoCheckpoints(
  paths: ProjectPaths,
  keep: number,
  saved: string,
): Promise<string[]> {
  const names = (await checkpointNames(paths)).filter(isAutoCheckpointName);
  const key = machineKey();
  const facts = await Promise.all(names.map(async (name): Promise<AutoCheckpointFacts[]> => {
    try {
      const record = await readCheckpoint(paths, name);
      const file = checkpointFiles(paths, name).json;
      const [info, text] = await Promise.all([Deno.lstat(file), readTextIfExists(file)]);
      return [{
        name,
        sealedHere: text !== undefined && jsonSealVerifies(text, record.seal, key),
        auto: record.auto?.trigger === "pre-compact",
        savedAt: record.saved_at,
        arrived: info.mtime,
      }];
    } catch {
      return [];
    }
  }));
  const drop = autoCheckpointsToDrop(facts.flat(), { keep, saved });
  for (const name of drop) await removeCheckpoint(paths, name).catch(() => {});
  return drop;
}
