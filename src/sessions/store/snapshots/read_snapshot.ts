/**
 * Reading a snapshot back with its checksum verified, and pointing LATEST-SESSION.txt at the
 * newest that reads. Only records are read: a snapshot whose `.json` is gone is missing, never
 * rebuilt from its `.md` or `.yaml`.
 */
import { basename, dirname } from "../../../kernel/path.ts";
import { parseChecksumLine, sha256HexAsync } from "../../../kernel/hashing/checksum.ts";
import { isMpmRecord, parseJsonFile } from "../records/snapshot/json_record.ts";
import {
  cutStatusLists,
  cutStatusListsOfBytes,
  STATUS_CUT,
  type StatusCut,
  TOLD_PATHS,
} from "../records/snapshot/status_lists.ts";

/** How many paths of each status list a start's reads keep (state_store.ts `sessionReads`). */
export { TOLD_PATHS };
import type { DecodeContext } from "../records/snapshot/decode.ts";
import { IntegrityError, MpmError } from "../../../kernel/errors.ts";
import { printableDeep } from "../../../kernel/format/text.ts";
import { ownSnapshot, type Snapshot, WRITTEN_ELSEWHERE } from "../../../kernel/snapshot.ts";
import { jsonSealVerifiesAsync, jsonSealVerifiesOfBytes } from "../../../kernel/hashing/seal.ts";
import { Sha256 } from "../../../kernel/hashing/sha256_stream.ts";
import { machineKey } from "../../../disk/machine_key.ts";
import { lstatIfExistsSync } from "../../../disk/read/stat.ts";
import { letGo, readBytesIfExistsSync, readTextIfExists } from "../../../disk/read/read.ts";
import { writeAtomic } from "../../../disk/files/atomic.ts";
import { displayPath, type ProjectPaths } from "../../../disk/paths.ts";
import { removeQuietly } from "../../../disk/files/entries.ts";
import { listSnapshots, type SessionEntry } from "../listing/listing.ts";
import { refuseLinkedFolder } from "../listing/store_folders.ts";

export interface SavedFiles {
  json: string;
  md: string;
  yaml: string;
}

/** The bytes of one of a snapshot's files just saved (`mpm pause --export` copies them). */
export async function readSavedFile(
  files: SavedFiles,
  which: keyof SavedFiles,
): Promise<Uint8Array> {
  return await Deno.readFile(files[which]);
}

/**
 * Names the newest snapshot that reads in LATEST-SESSION.txt (see latestText); returns its id.
 * `changed`: called once the file changed (its folder's index is stamped again: pull.ts).
 */
export async function updateLatest(
  paths: ProjectPaths,
  changed?: () => Promise<void>,
): Promise<string | undefined> {
  const { newest, text } = await latestText(paths);
  if (text === null) await removeQuietly(paths.latest);
  else if (text !== undefined) await writeAtomic(paths.latest, text, { root: paths.base });
  if (text !== undefined) await changed?.();
  return newest;
}

/** The newest snapshot's LATEST-SESSION.txt text: null when none reads, undefined if unchanged. */
export async function latestText(
  paths: ProjectPaths,
): Promise<{ newest: string | undefined; text: string | null | undefined }> {
  const newest = await newestReadable(paths);
  if (!newest) return { newest: undefined, text: null };
  const line = `${newest.id}\n`;
  const current = await readTextIfExists(paths.latest);
  return { newest: newest.id, text: current === line ? undefined : line };
}

/** Snapshots read at a time while looking for the newest that reads (usually the first does). */
const LATEST_BATCH = 8;

/** The newest readable snapshot in sessions/ or pause/, a few entries built at a time. */
async function newestReadable(paths: ProjectPaths): Promise<SessionEntry | undefined> {
  const listing = await listSnapshots(paths, { locations: ["sessions", "pause"] });
  for (let at = 0; at < listing.length; at += LATEST_BATCH) {
    for (const entry of listing.slice(at, at + LATEST_BATCH)) {
      if (await reads(paths, entry)) return entry;
    }
  }
  return undefined;
}

/** Whether a snapshot reads: a failure mpm names (MpmError) is no; anything else is thrown. */
async function reads(paths: ProjectPaths, entry: SessionEntry): Promise<boolean> {
  try {
    await loadSnapshot(paths, entry);
    return true;
  } catch (error) {
    if (error instanceof MpmError) return false;
    throw error;
  }
}

/** Reads one snapshot, checksum verified (else IntegrityError), every text made printable. */
export async function loadSnapshot(
  paths: ProjectPaths,
  entry: SessionEntry,
  options: LoadOptions = {},
): Promise<Snapshot> {
  const read = await readRecord(paths, entry, options);
  const snapshot = printableDeep(read.snapshot);
  if (read.cut) (snapshot as { [STATUS_CUT]?: StatusCut })[STATUS_CUT] = read.cut;
  // Only a seal with this machine's key shows the snapshot is its own (kernel/hashing/seal.ts).
  if (!read.sealedHere) (snapshot as { [WRITTEN_ELSEWHERE]?: boolean })[WRITTEN_ELSEWHERE] = true;
  return snapshot;
}

/** How a snapshot is read. */
export interface LoadOptions {
  /** For a read needing no paths: each status list of a large record cut to this many (counted). */
  keepPaths?: number;
  /** With `keepPaths`: mark what each list cut held, for session_history.ts `sameState`. */
  markPaths?: boolean;
  /** The record's bytes, when the caller read them already (through readStoredSync). */
  bytes?: Uint8Array;
}

/** Characters of a record above which `keepPaths` cuts its lists. */
const CUT_ABOVE = 1024 * 1024;

async function readRecord(
  paths: ProjectPaths,
  entry: SessionEntry,
  options: LoadOptions = {},
): Promise<{ snapshot: Snapshot; sealedHere: boolean; cut?: StatusCut }> {
  const shown = displayPath(paths, entry.file);
  // Its folder, as the listing's: never read through a link out of `.claude-mpm/`.
  refuseLinkedFolder(paths, dirname(entry.file));
  if (entry.format === "missing") throw missingRecord(shown);
  // Read synchronously, record and checksum: a few KB, less than a trip through the thread pool.
  const bytes = options.bytes ?? readStoredSync(entry.file, shown);
  if (bytes === undefined) {
    throw new IntegrityError(`${shown} disappeared while mpm was reading it.`);
  }
  try {
    return await readBytes(paths, entry, bytes, options);
  } finally {
    // A large record's bytes read here are freed as soon as it is read (disk/read/read.ts letGo).
    if (options.bytes === undefined && bytes.length > CUT_ABOVE) letGo(bytes);
  }
}

async function readBytes(
  paths: ProjectPaths,
  entry: SessionEntry,
  bytes: Uint8Array,
  options: LoadOptions,
): Promise<{ snapshot: Snapshot; sealedHere: boolean; cut?: StatusCut }> {
  const shown = displayPath(paths, entry.file);
  const context = { file: shown, projectPath: paths.root };
  // A large record read without its paths is scanned as bytes: its whole text is never made.
  const bytesCut = entry.format === "json" && options.keepPaths !== undefined &&
      bytes.length > CUT_ABOVE
    ? cutStatusListsOfBytes(bytes, options.keepPaths, options.markPaths)
    : null;
  if (bytesCut !== null) {
    const raw = parseJsonFile(bytesCut.text, shown);
    await verifyChecksum(entry.file, bytes, shown, isMpmRecord(raw));
    const seal = (raw as { mpm?: { seal?: unknown } } | null)?.mpm?.seal;
    const sealedHere = jsonSealVerifiesOfBytes(bytes, seal, machineKey());
    return { snapshot: await decodeRecord(raw, context), sealedHere, cut: bytesCut.cut };
  }
  const text = new TextDecoder().decode(bytes);
  if (entry.format === "md") {
    if (isMpmMarkdown(text, entry.id)) throw missingRecord(jsonBeside(shown));
    const { decodeMarkdownSnapshot } = await import("../records/snapshot/decode.ts");
    return { snapshot: decodeMarkdownSnapshot(text, context), sealedHere: false };
  }
  if (entry.format === "yaml") {
    // Loaded only here: the YAML parser is heavy (docs/speed.md).
    const { normalizeYamlSession } = await import("../../../legacy/normalize_yaml.ts");
    const { snapshot, legacy } = normalizeYamlSession(text, {
      fileName: shown,
      projectPath: paths.root,
    });
    // "mpm": mpm's own rendering of a record, never read back.
    if (legacy === "mpm") throw missingRecord(jsonBeside(shown));
    return { snapshot, sealedHere: false };
  }
  // Cut before it is parsed; the checksum and the seal are taken over the whole text.
  const cut = options.keepPaths !== undefined && text.length > CUT_ABOVE
    ? cutStatusLists(text, options.keepPaths, options.markPaths)
    : null;
  const raw = parseJsonFile(cut?.text ?? text, shown);
  const [sealedHere] = await Promise.all([
    jsonSealVerifiesAsync(
      text,
      (raw as { mpm?: { seal?: unknown } } | null)?.mpm?.seal,
      machineKey(),
    ),
    verifyChecksum(entry.file, bytes, shown, isMpmRecord(raw)),
  ]);
  return { snapshot: await decodeRecord(raw, context), sealedHere, cut: cut?.cut };
}

/** mpm's record checked here; claude-mpm's layouts by code (and zod) loaded only for them. */
async function decodeRecord(raw: unknown, context: DecodeContext): Promise<Snapshot> {
  if (isMpmRecord(raw)) return ownSnapshot(raw, context.file);
  return (await import("../records/snapshot/decode.ts")).decodeSnapshot(raw, context);
}

/** A snapshot's bytes, or undefined; a symbolic link is refused (a clone's could lead anywhere). */
export function readStoredSync(file: string, shown: string): Uint8Array | undefined {
  if (lstatIfExistsSync(file)?.isSymlink) {
    throw new IntegrityError(
      `${shown} is a symbolic link, and mpm never reads a snapshot through one.`,
      `Remove the link (rm ${file}); the file it points to is kept.`,
    );
  }
  return readBytesIfExistsSync(file);
}

function jsonBeside(shown: string): string {
  return shown.replace(/\.(?:md|yaml)$/, ".json");
}

function missingRecord(shownJson: string): IntegrityError {
  return new IntegrityError(
    `${shownJson} is missing: only its .md/.yaml renderings are left, and mpm does not read ` +
      "renderings back (they are unverified and may have been edited).",
    "Restore the .json from a backup (or `mpm sync pull` it from where it was pushed), or " +
      "remove the leftover files.",
  );
}

/** mpm's own rendering (render_md.ts): its title and its closing `mpm resume <id>` block. */
function isMpmMarkdown(text: string, id: string): boolean {
  return text.startsWith(`# Session ${id}\n`) && text.includes(`\nmpm resume ${id}\n`);
}

async function verifyChecksum(
  file: string,
  bytes: Uint8Array,
  shown: string,
  required: boolean,
): Promise<void> {
  const stored = readStoredSync(`${file}.sha256`, `${shown}.sha256`);
  const recorded = stored === undefined ? undefined : new TextDecoder().decode(stored);
  if (recorded === undefined) {
    if (!required) return; // claude-mpm wrote no checksum files mpm can rely on.
    throw new IntegrityError(
      `${shown} has no checksum file (${basename(file)}.sha256), so mpm cannot trust it.`,
      "If you edited it on purpose, recreate the checksum: sha256sum FILE > FILE.sha256.",
    );
  }
  const parsed = parseChecksumLine(recorded);
  // Web Crypto, but for a large record: it hashes a copy, a second 33 MB for a million paths.
  const hex = bytes.length > CUT_ABOVE
    ? new Sha256().update(bytes).hex()
    : await sha256HexAsync(bytes);
  if (!parsed || parsed.hex !== hex) {
    throw new IntegrityError(
      `${shown} does not match its checksum: it was changed or damaged after mpm wrote it.`,
      "Restore it from a backup or remove it; the other sessions are unaffected.",
    );
  }
}
