/**
 * This project's side of `mpm sync`: the snapshot, checkpoint and handoff files on disk, read
 * with their identities, and incoming files written beside them the way pause, checkpoint and
 * `mpm handoff save` write theirs. A handoff this machine did not seal (pulled, committed into a
 * repository someone cloned) is marked `foreign`: push never sends it
 * (sessions/store/state/claude_store.ts says whose a handoff is).
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { checksumLine } from "../../kernel/hashing/checksum.ts";
import { IntegrityError, MpmError } from "../../kernel/errors.ts";
import { holdsSecretDeep } from "../../kernel/safe_text/record_text.ts";
import { fileSha256, KINDS, type KindSpec, verifyFile } from "../plan/kinds.ts";
import { type Kind, parseSyncConfig, type SyncConfig, type SyncItem } from "../plan/plan.ts";
import { readBytesIfExists, readTextIfExists } from "../../disk/read/read.ts";
import { type BatchFile, writeBatch } from "../../disk/files/batch.ts";
import { displayPath, type ProjectPaths } from "../../disk/paths.ts";
import { handoffsDir } from "../../sessions/store/state/claude_store.ts";
import { syncFolders } from "../quiet/stamps.ts";
import { ensureMachineKey } from "../../disk/machine_key.ts";
import { jsonSealVerifiesAsync } from "../../kernel/hashing/seal.ts";
import { blobId, blobIdOf, type ObjectFormat, objectFormat } from "../../git/objects/work_file.ts";

export interface LocalFile extends SyncItem {
  kind: Kind;
  /** The `.json` file. */
  file: string;
  /** In the folder push sends from (sessions/, checkpoints/), not archive/ or claude-mpm's pause/. */
  pushable: boolean;
  /** The session's name, matched by sync.json's `exclude` like its id. */
  name: string | null;
  /**
   * git's blob id of its bytes, in the repository's object format: what the remote's tree names
   * when it holds the same file, and what a push checks the file it sends against. The bytes
   * themselves are let go once read: a store of any size is held as its identities.
   */
  blob: string;
  /** A snapshot's session (`mpm.key`, else its id) and the Claude session it names: its vault copies. */
  session?: string;
  claudeSession?: string;
  /** How it looked on disk before it was read (lookOf); null when it could not be looked at. */
  look: Look | null;
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
  /** How many files were read (the others were known by the sync record: sync_record.ts). */
  read: number;
  /** The files as a LocalIndex instead of in `files` (a pull's side as its record has it). */
  index?: LocalIndex;
  /**
   * Read into `index` (sync_record.ts): the record's lines of its files cut into its parts, and its
   * `others`; `files` holds only those with no line (a problem): a store is held as its lines.
   */
  parts?: string[];
  others?: string;
}

/** Reads a file's bytes; undefined when it is not there. Tests count the reads through it. */
export type FileReader = (path: string) => Promise<Uint8Array | undefined>;

/** What a file looked like on disk when it was read: a different look means it is read again. */
export type Look = string;

/** What reading a file told, kept so that it need not be read again while it looks the same. */
export type Identity = Pick<
  LocalFile,
  "sha256" | "blob" | "name" | "origin" | "session" | "claudeSession" | "foreign"
>;

/**
 * What is already known of the files, by path and look (sync_record.ts): a file whose look is
 * the same is taken as known, never read.
 */
export interface KnownFiles {
  get(file: string, look: Look): Identity | undefined;
}

export interface ReadLocalOptions {
  known?: KnownFiles;
  reader?: FileReader;
  /** The repository's object format (default: asked of git once per run). */
  format?: ObjectFormat;
  /** Given each file as it is known, instead of keeping it in `files`. */
  each?: (file: LocalFile) => void;
  /** Only these records (`<id>.json`) of this folder, not listed (sync/local/grown.ts). */
  only?: { dir: string; names: string[] };
}

/**
 * The ids of a folder's files of `spec` into `ids`, and the names of their records (`<id>.json`),
 * sorted: a store's checksums and renderings are never held as names.
 */
async function recordNames(dir: string, spec: KindSpec, ids: Set<string>): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const id = entry.isFile ? entry.name.match(ID_OF)?.[1] : undefined;
      if (!id || !spec.isId(id)) continue;
      ids.add(id);
      if (entry.name === `${id}.json`) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names.sort();
}

const ID_OF = /^(.+?)\.(?:json|json\.sha256|md|yaml)$/;

/**
 * How a file and its checksum look on disk (size, times, inode): taken before the file is read,
 * so a change made while it is read shows as a different look next time. Null: not a file.
 */
export function lookOf(file: string): Look | null {
  const one = (path: string) => {
    try {
      const info = Deno.lstatSync(path);
      if (!info.isFile) return null;
      return `${info.size}:${info.mtime?.getTime() ?? ""}:${info.ctime?.getTime() ?? ""}:${
        info.ino ?? ""
      }`;
    } catch {
      return "-";
    }
  };
  const json = one(file);
  if (json === null || json === "-") return null;
  return `${json}/${one(`${file}.sha256`)}`;
}

/**
 * The most bytes of local files read at once: a store of any size is read in batches of this,
 * each hashed and checked, then let go (a file larger than this is read alone). Small: a batch
 * of thousands of records in flight at once held ~250 MB at 60,000 and was slower for it.
 */
export const LOCAL_BATCH_BYTES = 128 * 1024;

interface Pending {
  spec: KindSpec;
  id: string;
  file: string;
  pushable: boolean;
  size: number;
  look: Look | null;
}

/**
 * Every snapshot (and, if asked, checkpoint and handoff) on disk, each with its identity. A file
 * `known` at the same look is not read; the others are read in batches of LOCAL_BATCH_BYTES as
 * each folder is listed, in the order of their names (a sync record's parts are cut in it), each
 * known one given in its place among them: no list of a store's files is held.
 */
export async function readLocal(
  paths: ProjectPaths,
  kinds: Kind[],
  options: ReadLocalOptions = {},
): Promise<LocalSide> {
  const side: LocalSide = {
    files: [],
    ids: { session: new Set(), checkpoint: new Set(), handoff: new Set() },
    read: 0,
  };
  const reader = options.reader ?? ((path: string) => readBytesIfExists(path));
  const format = options.format ?? await objectFormat(paths.root);
  // Made now where there is none: without one, a clone's handoffs would read as this machine's.
  const key = kinds.includes("handoff") ? await ensureMachineKey() : null;
  const take = options.each ?? ((file: LocalFile) => side.files.push(file));
  // The files to read (`waiting`, of `bytes`) and the known ones after the first of them.
  let [batch, waiting, bytes]: [(Pending | LocalFile)[], number, number] = [[], 0, 0];
  const flush = async () => {
    const files = await Promise.all(
      batch.map((p) => "spec" in p ? readOne(paths, p, key, format, reader) : p),
    );
    side.read += waiting;
    [batch, waiting, bytes] = [[], 0, 0];
    for (const file of files) take(file);
  };
  for (const kind of kinds) {
    const spec = KINDS[kind];
    for (const { dir, pushable } of syncFolders(paths, kind)) {
      const only = options.only;
      if (only !== undefined && only.dir !== dir) continue;
      const names = only?.names.toSorted() ?? await recordNames(dir, spec, side.ids[kind]);
      for (const name of names) {
        const id = name.slice(0, -".json".length);
        const file = join(dir, name);
        const look = lookOf(file);
        const known = look === null ? undefined : options.known?.get(file, look);
        if (known !== undefined) {
          const local = { ...known, kind, id, file, pushable, look: look! };
          if (waiting === 0) take(local);
          else batch.push(local);
          continue;
        }
        const size = Number(look?.split(":")[0]) || 0;
        if (waiting > 0 && (bytes + size > LOCAL_BATCH_BYTES || batch.length >= 1024)) {
          await flush();
        }
        batch.push({ spec, id, file, pushable, size, look });
        [waiting, bytes] = [waiting + 1, bytes + size];
      }
    }
  }
  await flush();
  return side;
}

/**
 * A record this run just imported, known as reading it would know it, from what the import knew
 * (its bytes, their sha256, its parsed JSON, and whether its exact fields hold secret-looking
 * text: kinds.ts holdsExactSecret), without reading, decoding or redacting it again: its look
 * as the file is now.
 */
export async function knownWritten(
  paths: ProjectPaths,
  { spec, id, data, sha256, blob, about }: Incoming,
  secret: boolean,
  format: ObjectFormat,
): Promise<LocalFile> {
  const file = join(importFolder(paths, spec.kind), `${id}.json`);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const { origin, seal, ...named } = about;
  const local: LocalFile = {
    kind: spec.kind,
    id,
    file,
    pushable: true,
    look: lookOf(file),
    sha256: sha256 ?? await fileSha256(bytes),
    blob: blob ?? await blobIdOf(format, bytes),
    ...(origin ? { origin } : {}),
    ...named,
  };
  if (secret) local.problem = secretProblem(id);
  const key = spec.kind === "handoff" ? await ensureMachineKey() : null;
  if (key !== null) {
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    if (!await jsonSealVerifiesAsync(text, seal, key)) local.foreign = true;
  }
  return local;
}

/** What knownWritten keeps of an import's parsed JSON, so that the JSON is let go before writing. */
export type About = Pick<LocalFile, "origin" | "name" | "session" | "claudeSession"> & {
  seal?: unknown;
};

export function aboutOf(spec: KindSpec, raw: Record<string, unknown>): About {
  const origin = spec.originOf(raw);
  const name = (raw as { mpm?: { name?: unknown } }).mpm?.name;
  return {
    ...(origin ? { origin } : {}),
    name: typeof name === "string" ? name : null,
    ...(spec.kind === "session" ? sessionsOf(raw) : {}),
    ...(spec.kind === "handoff" ? { seal: raw.seal } : {}),
  };
}

/** Each byte's two hex digits (lowercase, as git's), and each hex digit's value by its char code. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const NIBBLE = new Uint8Array(128);
for (let d = 0; d < 16; d++) {
  NIBBLE["0123456789abcdef".charCodeAt(d)] = NIBBLE["0123456789ABCDEF".charCodeAt(d)] = d;
}

/** A file as a sync record names it (sync_record.ts). */
export type RecordedFile = { file: string; look: Look; identity: Identity };

/** What a pull compares a remote file with: a local file's identity and git blob id. */
export type Held = Pick<LocalFile, "sha256" | "blob" | "origin">;

/**
 * A store's files known by kind and id, without a LocalFile each: their identities' bytes in one
 * buffer, so a side of 60,000 takes a few MB, not a hundred. What a pull asks of the files it does
 * not read (remote.ts, pull.ts): the one of an id, and whether some file holds an identity.
 * `wanted` (`kind\0id`): only those files are held, and those renamed on arrival (an identity
 * they hold may be any id's): a pull of what changed holds its few, whatever the store's size.
 */
export class LocalIndex {
  constructor(readonly wanted?: ReadonlySet<string>) {}

  #slots: Record<Kind, Map<string, number>> = {
    session: new Map(),
    checkpoint: new Map(),
    handoff: new Map(),
  };
  #used = 0;
  #bytes = new Uint8Array(0);
  #width = 0;
  /** The identities of files renamed on arrival (`kind\0id\0sha256`), and those files by id. */
  #origins = new Set<string>();
  #renamed = new Map<string, Held>();
  /** A second file of an id (in another folder), as rare as they are. */
  #more: (Held & { key: string })[] = [];

  /**
   * Adds a file read from disk, as a pull holds it. A file push holds back is no proof of the
   * remote's bytes (readRemote reads and checks theirs), but it is held all the same: its blob id
   * is left out.
   */
  addFile(file: LocalFile): void {
    if (file.sha256 === "" || file.blob === "") return;
    const blob = file.problem && file.pushable ? "0".repeat(file.blob.length) : file.blob;
    this.add(file.kind, file.id, { sha256: file.sha256, blob, origin: file.origin });
  }

  /** Adds a file's identity; false (nothing added) when its blob id is of another format. */
  add(kind: Kind, id: string, held: Held): boolean {
    const key = `${kind}\0${id}`;
    if (this.wanted?.has(key) === false && !held.origin) return true;
    const hex = held.sha256 + held.blob;
    if (this.#width === 0) this.#width = hex.length / 2;
    if (hex.length !== this.#width * 2) return false;
    const had = this.#slots[kind].get(id);
    if (had !== undefined) this.#more.push({ ...this.#held(key, had), key });
    const slot = had ?? this.#used++;
    if ((slot + 1) * this.#width > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(1024, this.#bytes.length * 2));
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    for (let i = 0, at = slot * this.#width; i < this.#width; i++) {
      this.#bytes[at + i] = (NIBBLE[hex.charCodeAt(2 * i)] << 4) |
        NIBBLE[hex.charCodeAt(2 * i + 1)];
    }
    this.#slots[kind].set(id, slot);
    this.#renamed.delete(key);
    if (held.origin) {
      this.#renamed.set(key, held);
      this.#origins.add(`${kind}\0${held.origin.id}\0${held.origin.sha256}`);
    }
    return true;
  }

  /** The file of `kind` and `id` (the last one added of two in different folders). */
  find(kind: Kind, id: string): Held | undefined {
    const slot = this.#slots[kind].get(id);
    return slot === undefined ? undefined : this.#held(`${kind}\0${id}`, slot);
  }

  /** Whether a file of `kind` holds `identity` (plan.ts `id\0sha256`), as its own or its origin. */
  holds(kind: Kind, identity: string): boolean {
    if (this.#origins.has(`${kind}\0${identity}`)) return true;
    const [id, sha256] = identity.split("\0");
    const key = `${kind}\0${id}`;
    return this.find(kind, id)?.sha256 === sha256 ||
      this.#more.some((m) => m.key === key && m.sha256 === sha256);
  }

  #held(key: string, slot: number): Held {
    const at = slot * this.#width;
    const hex = (from: number, to: number) => {
      let text = "";
      for (let i = from; i < to; i++) text += HEX[this.#bytes[at + i]];
      return text;
    };
    const origin = this.#renamed.get(key)?.origin;
    return { sha256: hex(0, 32), blob: hex(32, this.#width), ...(origin ? { origin } : {}) };
  }
}

/**
 * The local side as a sync record has it (sync_record.ts, `whole`): every file it names, placed
 * by its folder, and the ids of `others`; undefined when a file is not in a folder of `kinds`
 * or an entry is bad (undefined). `index`: held as a LocalIndex, its `files` left empty (a pull's);
 * `keep`: only the files it takes are held (a push's: push.ts).
 */
export async function recordedSide(
  paths: ProjectPaths,
  kinds: Kind[],
  files: AsyncIterable<RecordedFile | undefined> | Iterable<RecordedFile | undefined>,
  others: string,
  index?: LocalIndex,
  keep?: (file: LocalFile) => boolean,
): Promise<LocalSide | undefined> {
  const side: LocalSide = {
    files: [],
    ids: { session: new Set(), checkpoint: new Set(), handoff: new Set() },
    read: 0,
    ...(index ? { index } : {}),
  };
  const where = new Map(
    kinds.flatMap((kind) => syncFolders(paths, kind).map((f) => [f.dir, { kind, ...f }] as const)),
  );
  for await (const entry of files) {
    if (entry === undefined) return undefined;
    const { file, look, identity } = entry;
    const folder = where.get(dirname(file));
    const id = basename(file).match(/^(.+)\.json$/)?.[1];
    if (folder === undefined || id === undefined || !KINDS[folder.kind].isId(id)) return undefined;
    // Held as `index` wants it: a pull asks only of these ids (a rename that meets another
    // file's id finds it taken when it writes: pull.ts importAll).
    if (index?.wanted?.has(`${folder.kind}\0${id}`) !== false) side.ids[folder.kind].add(id);
    if (index) {
      if (!index.add(folder.kind, id, identity)) return undefined;
    } else {
      const local = { ...identity, kind: folder.kind, id, file, pushable: folder.pushable, look };
      if (keep?.(local) !== false) side.files.push(local);
    }
  }
  for (const line of others.split("\n")) {
    const [kind, id] = line.split("\t") as [Kind, string];
    if (kinds.includes(kind) && id !== undefined && KINDS[kind].isId(id)) side.ids[kind].add(id);
  }
  return side;
}

/** `items` cut into runs of at most `limit` bytes by `size`; a larger item makes a run alone. */
export function inBatches<T>(items: readonly T[], size: (item: T) => number, limit: number): T[][] {
  const batches: T[][] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (batches.length === 0 || bytes + n > limit) {
      batches.push([]);
      bytes = 0;
    }
    batches[batches.length - 1].push(item);
    bytes += n;
  }
  return batches;
}

/** A snapshot's session and the Claude session it names, which pick the vault copies it takes. */
function sessionsOf(raw: unknown): { session?: string; claudeSession?: string } {
  const r = raw as { session_id?: unknown; mpm?: { key?: unknown; claude_session_id?: unknown } };
  const key = r?.mpm?.key;
  const session = typeof key === "string" && key !== "" ? key : String(r?.session_id);
  const claude = r?.mpm?.claude_session_id;
  return { session, ...(typeof claude === "string" ? { claudeSession: claude } : {}) };
}

async function readOne(
  paths: ProjectPaths,
  { spec, id, file, pushable, look }: Pending,
  key: string | null,
  format: ObjectFormat,
  reader: FileReader,
): Promise<LocalFile> {
  const [bytes, checksum] = await Promise.all([reader(file), reader(`${file}.sha256`)]);
  const base = { kind: spec.kind, id, file, pushable, look, name: null, blob: "" };
  if (bytes === undefined) {
    const problem = new MpmError(`${id} disappeared while mpm read it.`);
    return { ...base, sha256: "", problem };
  }
  const sha256 = await fileSha256(bytes);
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
    blob: blobId(format, bytes),
    ...(origin ? { origin } : {}),
    name: typeof name === "string" ? name : null,
    ...(spec.kind === "session" && raw !== undefined ? sessionsOf(raw) : {}),
  };
  if (!pushable) return local;
  try {
    verifyFile(spec, id, bytes, checksum, displayPath(paths, file), paths.root, sha256);
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
  if (holdsSecretDeep(raw)) local.problem = secretProblem(id);
  if (spec.kind === "handoff" && key !== null) {
    const seal = (raw as { seal?: unknown } | null | undefined)?.seal;
    if (!await jsonSealVerifiesAsync(text, seal, key)) local.foreign = true;
  }
  return local;
}

const secretProblem = (id: string) =>
  new MpmError(`${id} holds text that looks like a secret, so it is not pushed.`);

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

/** A record to import: its bytes (or text), parsed JSON and decoded record under the id it lands as. */
export interface Incoming {
  spec: KindSpec;
  id: string;
  data: string | Uint8Array;
  /** What knownWritten needs of its JSON (aboutOf). */
  about: About;
  record: unknown;
  /** The sha256 of `data` when already known. */
  sha256?: string;
  /** git's blob id of `data` when already known (the remote's blob, written as it was). */
  blob?: string;
}

/**
 * The files an incoming record is written as, in the order they are put in place: its checksum
 * first — creating it exclusively claims the id, as pause does — then the record (also only
 * where none is), then its renderings, which are never read back and so not fsynced.
 */
export function incomingFiles(
  paths: ProjectPaths,
  { spec, id, data, record, sha256 }: Incoming,
): BatchFile[] {
  const folder = importFolder(paths, spec.kind);
  const json = join(folder, `${id}.json`);
  // checksumLine's format, from the digest verification already took when the text is the same.
  const checksum = sha256 === undefined
    ? checksumLine(data, `${id}.json`)
    : `${sha256}  ${id}.json\n`;
  return [
    { path: `${json}.sha256`, data: checksum, exclusive: true },
    { path: json, data, exclusive: true },
    ...Object.entries(spec.render(record)).map(([ext, body]) => ({
      path: join(folder, `${id}.${ext}`),
      data: body,
      durable: false,
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
