/**
 * This project's side of `mpm sync`: the snapshot, checkpoint and handoff files on disk, read
 * with their identities, and incoming files written beside them the way pause, checkpoint and
 * `mpm handoff save` write theirs. A handoff this machine did not seal (pulled, committed into a
 * repository someone cloned, an older mpm's) is marked `foreign`: push never sends it
 * (sessions/store/state/claude_store.ts says whose a handoff is).
 */
import { join } from "../kernel/path.ts";
import { checksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { IntegrityError, MpmError } from "../kernel/errors.ts";
import { holdsSecretDeep } from "../kernel/safe_text/record_text.ts";
import { KINDS, type KindSpec, verifyFile } from "./kinds.ts";
import { type Kind, parseSyncConfig, type SyncConfig, type SyncItem } from "./plan.ts";
import { readBytesIfExists, readTextIfExists } from "../disk/files/atomic.ts";
import { type BatchFile, writeBatch } from "../disk/files/batch.ts";
import { displayPath, type ProjectPaths } from "../disk/paths.ts";
import { handoffsDir } from "../sessions/store/state/claude_store.ts";
import { ensureMachineKey } from "../disk/machine_key.ts";
import { jsonSealVerifiesAsync } from "../kernel/hashing/seal.ts";

export interface LocalFile extends SyncItem {
  kind: Kind;
  /** The `.json` file. */
  file: string;
  /** In the folder push sends from (sessions/, checkpoints/), not archive/ or claude-mpm's pause/. */
  pushable: boolean;
  /** The session's name, matched by sync.json's `exclude` like its id. */
  name: string | null;
  bytes: Uint8Array;
  /** Why it cannot be pushed; an IntegrityError when it fails its own checksum or schema. */
  problem?: MpmError;
  /**
   * A handoff this machine did not seal: it stays here (pull.ts `outgoing` holds it back), and a
   * pulled one is not sent on as if it were the person's.
   */
  foreign?: true;
}

export interface LocalSide {
  files: LocalFile[];
  /** Every id with some file on disk, by kind (a markdown-only session, a pause mid-write). */
  ids: Record<Kind, Set<string>>;
}

function folders(paths: ProjectPaths, kind: Kind): { dir: string; pushable: boolean }[] {
  if (kind === "checkpoint") return [{ dir: paths.checkpoints, pushable: true }];
  if (kind === "handoff") return [{ dir: handoffsDir(paths), pushable: true }];
  return [
    { dir: paths.sessions, pushable: true },
    { dir: paths.archive, pushable: false },
    { dir: paths.legacyPause, pushable: false },
  ];
}

async function fileNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.isFile) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names;
}

const ID_OF = /^(.+?)\.(?:json|json\.sha256|md|yaml)$/;

/** Every snapshot (and, if asked, checkpoint) on disk, each with its identity. */
export async function readLocal(paths: ProjectPaths, kinds: Kind[]): Promise<LocalSide> {
  const side: LocalSide = {
    files: [],
    ids: { session: new Set(), checkpoint: new Set(), handoff: new Set() },
  };
  const reads: Promise<LocalFile>[] = [];
  // Made now where there is none: without one, a clone's handoffs would read as this machine's.
  const key = kinds.includes("handoff") ? await ensureMachineKey() : null;
  for (const kind of kinds) {
    const spec = KINDS[kind];
    for (const { dir, pushable } of folders(paths, kind)) {
      for (const name of await fileNames(dir)) {
        const id = name.match(ID_OF)?.[1];
        if (!id || !spec.isId(id)) continue;
        side.ids[kind].add(id);
        if (name === `${id}.json`) {
          reads.push(readOne(paths, spec, id, join(dir, name), pushable, key));
        }
      }
    }
  }
  side.files = await Promise.all(reads);
  return side;
}

async function readOne(
  paths: ProjectPaths,
  spec: KindSpec,
  id: string,
  file: string,
  pushable: boolean,
  key: string | null,
): Promise<LocalFile> {
  const [bytes, checksum] = await Promise.all([
    readBytesIfExists(file),
    readBytesIfExists(`${file}.sha256`),
  ]);
  const base = { kind: spec.kind, id, file, pushable, name: null };
  if (bytes === undefined) {
    const problem = new MpmError(`${id} disappeared while mpm read it.`);
    return { ...base, sha256: "", bytes: new Uint8Array(), problem };
  }
  const sha256 = sha256Hex(bytes);
  const text = new TextDecoder().decode(bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const origin = spec.originOf(raw);
  const name = (raw as { mpm?: { name?: unknown } } | undefined)?.mpm?.name;
  const local: LocalFile = {
    ...base,
    sha256,
    bytes,
    ...(origin ? { origin } : {}),
    name: typeof name === "string" ? name : null,
  };
  if (!pushable) return local;
  try {
    verifyFile(spec, id, bytes, checksum, displayPath(paths, file), paths.root);
  } catch (error) {
    if (!(error instanceof MpmError)) throw error;
    const legacy = raw !== undefined && spec.kind === "session" &&
      !(typeof raw === "object" && raw !== null && "schema_version" in raw);
    local.problem = legacy
      ? new MpmError(`${id} was written by claude-mpm; run \`mpm migrate\` to sync it.`)
      : error;
    return local;
  }
  // Pause redacts before writing; a file that still holds something secret-looking (an older
  // mpm's, or edited by hand) stays on this machine.
  if (holdsSecretDeep(raw)) {
    local.problem = new MpmError(`${id} holds text that looks like a secret, so it is not pushed.`);
  }
  if (spec.kind === "handoff" && key !== null) {
    const seal = (raw as { seal?: unknown } | null | undefined)?.seal;
    if (!await jsonSealVerifiesAsync(text, seal, key)) local.foreign = true;
  }
  return local;
}

/** Whether a local file's problem is a failed integrity check (exit 4) or only a reason to skip. */
export function isIntegrityProblem(file: LocalFile): boolean {
  return file.problem instanceof IntegrityError;
}

export async function readSyncConfig(paths: ProjectPaths): Promise<SyncConfig> {
  const file = join(paths.base, "sync.json");
  return parseSyncConfig(await readTextIfExists(file), displayPath(paths, file));
}

/** The folder a kind's files are imported into. */
export function importFolder(paths: ProjectPaths, kind: Kind): string {
  if (kind === "handoff") return handoffsDir(paths);
  return kind === "session" ? paths.sessions : paths.checkpoints;
}

/** A record to import: its text and decoded record under the id it lands as. */
export interface Incoming {
  spec: KindSpec;
  id: string;
  text: string;
  record: unknown;
  /** The sha256 of `text` when already known. */
  sha256?: string;
}

/**
 * The files an incoming record is written as, in the order they are put in place: its checksum
 * first — creating it exclusively claims the id, as pause does — then the record (also only
 * where none is), then its renderings.
 */
export function incomingFiles(
  paths: ProjectPaths,
  { spec, id, text, record, sha256 }: Incoming,
): BatchFile[] {
  const folder = importFolder(paths, spec.kind);
  const json = join(folder, `${id}.json`);
  // checksumLine's format, from the digest verification already took when the text is the same.
  const checksum = sha256 === undefined
    ? checksumLine(text, `${id}.json`)
    : `${sha256}  ${id}.json\n`;
  return [
    { path: `${json}.sha256`, data: checksum, exclusive: true },
    { path: json, data: text, exclusive: true },
    ...Object.entries(spec.render(record)).map(([ext, body]) => ({
      path: join(folder, `${id}.${ext}`),
      data: body,
    })),
  ];
}

/**
 * Writes incoming records, each as `incomingFiles` says, in one batch (disk/files/batch.ts). For each,
 * whether it was written; false when its id is taken (a pause got there first): nothing of it
 * was left on disk.
 */
export async function writeIncoming(
  paths: ProjectPaths,
  records: Incoming[],
): Promise<boolean[]> {
  return await writeBatch(records.map((r) => incomingFiles(paths, r)), { root: paths.base });
}
