/**
 * The remote's side of `mpm sync`: the files in a commit of `refs/mpm/sessions`, each verified
 * (checksum, schema, id) before it counts. A file byte-identical to the local one of the same id
 * is not read at all: its blob id says so; a file larger than any record mpm writes is refused
 * from the tree listing's size, before it is read.
 */
import { IntegrityError, MpmError } from "../../kernel/errors.ts";
import { fileSha256, KINDS, verifyFile } from "../plan/kinds.ts";
import { type Kind, parseTreePath, type SyncItem, treePath } from "../plan/plan.ts";
import {
  entriesAt,
  linksAt,
  listChanged,
  listFolder,
  readBlobs,
  treeEntries,
  type TreeEntry,
} from "./refs.ts";
import { idOfName } from "../../vault/records/manifest.ts";
import { parseJsonFile } from "../../sessions/store/records/snapshot/json_record.ts";
import { VAULT_TREE } from "./transcripts.ts";
import { inBatches, type LocalSide } from "../local/local.ts";
import { letGo } from "../../disk/read/read.ts";
import { byKind, IdLines, type KindIdLines } from "../plan/id_lines.ts";

export { inBatches };

export interface RemoteFile extends SyncItem {
  kind: Kind;
  /**
   * The verified text and decoded record: empty as readRemote returns the side (a file is read
   * and checked, then let go, so memory holds one batch, never the whole remote), filled by
   * loadRemoteFiles for the batch a pull imports; empty for a file identical to the local one.
   */
  text: string;
  record: unknown;
  /** The blobs of its record and its checksum line, and the record's size, to read it again. */
  blobs?: { json: string; sha256: string | undefined; size: number };
  /**
   * The bytes readRemote verified, kept (a copy of git's output) while the pull's `hold` lasts,
   * and the record they decoded to: loadRemoteFiles takes them instead of reading the blob
   * again, and an import that changes nothing of them decodes nothing again.
   */
  held?: { bytes: Uint8Array; record: unknown };
}

export interface RemoteSide {
  /** Names the remote's files in messages. */
  name: string;
  entries: TreeEntry[];
  /** Files that passed every check. */
  files: RemoteFile[];
  refused: { kind: Kind; id: string; reason: string }[];
  /** Every id with some file in the tree, verified or not. */
  ids: KindIdLines;
  /** Those with a checksum but no record (`kind\tid`), and a listing's kept ones (SeenRemote). */
  lacking: Set<string>;
  /** The files the same as the local ones, counted instead of listed in `files` (`lean`). */
  same: number;
  /** Those files' blob ids by `kind/id` (a push's `lean` reading: pull.ts outgoing). */
  sameAs?: Map<string, string>;
}

interface Pair {
  kind: Kind;
  id: string;
  json?: string;
  sha256?: string;
  /** The `.json` blob's size, as the tree listing gives it. */
  size?: number;
  /** The `.sha256` blob's size, likewise. */
  sha256Size?: number;
}

/**
 * The largest record a pull imports. A pause takes at most 1 MiB of text per input (sessions/
 * input.ts); four times that leaves room for every field, and bounds what a forged file can
 * make a pull write (the record and its two renderings).
 */
export const MAX_IMPORTED_RECORD_BYTES = 4 * 1024 * 1024;
/** A checksum file is one line; anything longer was not written by mpm. */
const MAX_CHECKSUM_BYTES = 1024;
/**
 * What one pull reads at most, in files and in bytes: a remote is someone else's, and a forged
 * one must not take a teammate's memory. What is over is refused by name, for the next pull.
 */
export const MAX_IMPORTED_FILES = 20_000;
export const MAX_IMPORTED_BYTES = 256 * 1024 * 1024;
/**
 * Blobs are read from git at most this many bytes at a time, and a larger file alone: a pull
 * holds one remote file, or a few hundred small ones, never a batch of large ones. Small records
 * still share one `git cat-file` (1,000 snapshots of a few KB take a handful of calls).
 */
export const READ_BATCH_BYTES = 1024 * 1024;

/** The remote's ids by kind, as a pull last saw them whole, and the commit it saw them at. */
export interface SeenRemote {
  commit: string;
  ids: KindIdLines;
  /** Those with no record that passed its checks (`kind\tid`): in neither side's both. */
  lacking: ReadonlySet<string>;
}

/**
 * What readRemote reads instead of the whole tree: the entries of the files a push changed since
 * the commit a pull last took whole (both halves of each pair a change touched, and every file of
 * a vault copy one touched), and the ids the remote holds now.
 */
export interface RemoteListing {
  entries: TreeEntry[];
  ids: KindIdLines;
  /** The ids no change touched with a record: in both sides since the pull that took them. */
  unchanged: number;
  /** The ids no change touched with no record that passed its checks (SeenRemote). */
  lacking: Set<string>;
  /**
   * Every change added a file under an id `seen` lacked: none removed or replaced, no vault copy
   * touched (what a push compared before is then as it was: pull.ts keeps the next push's answer).
   */
  onlyNew: boolean;
}

/**
 * The remote at `commit` as it differs from `seen` (sync_record.ts keeps it): only what changed on
 * the way is listed (refs.ts listChanged), and each changed record's other half is looked up (a
 * push that changed a checksum line alone must still be read as a pair). Undefined when it must
 * be listed whole: nothing seen, or a rewritten remote (`seen` not an ancestor of `commit`).
 * `ancestor`: a commit already known to be one of `commit`'s (the fetch's fast-forward).
 * `seen`'s ids are taken over, changed to the remote's now.
 */
export async function remoteSince(
  root: string,
  seen: SeenRemote | undefined,
  commit: string,
  kinds: Kind[],
  ancestor?: string | null,
): Promise<RemoteListing | undefined> {
  if (seen === undefined) return undefined;
  const changed = await listChanged(root, seen.commit, commit, ancestor);
  if (changed === null) return undefined;
  const ids = seen.ids;
  const lacking = new Set(seen.lacking);
  const pairs = new Set<string>();
  const copies = new Set<string>();
  let onlyNew = changed.removed.length === 0;
  for (const path of [...changed.changed, ...changed.removed]) {
    const file = parseTreePath(path);
    if (file && kinds.includes(file.kind) && KINDS[file.kind].isId(file.id)) {
      if (seen.ids[file.kind].has(file.id)) onlyNew = false;
      // Added back below if either half is still there.
      ids[file.kind].delete(file.id);
      lacking.delete(`${file.kind}\t${file.id}`);
      pairs.add(treePath(file.kind, file.id, "json"));
      pairs.add(treePath(file.kind, file.id, "sha256"));
    } else if (path.startsWith(`${VAULT_TREE}/`)) {
      const id = idOfName(path.slice(VAULT_TREE.length + 1));
      if (id !== undefined) copies.add(id);
      onlyNew = false;
    }
  }
  // A part of the ids kept that did not read: the remote is listed whole.
  if (ids.lines.broken) return undefined;
  // The half of a pair no change touched may be a submodule entry from before.
  const touched = new Set([...changed.changed, ...changed.removed]);
  const found = await entriesAt(root, commit, [...pairs], changed.ids);
  const untouched = found.flatMap((e) => touched.has(e.path) ? [] : [e.path]);
  const links = new Set([...changed.links, ...await linksAt(root, commit, untouched)]);
  const entries = found.filter((e) => !links.has(e.path));
  if (copies.size > 0) {
    for (const entry of await listFolder(root, commit, VAULT_TREE)) {
      const id = idOfName(entry.path.slice(VAULT_TREE.length + 1));
      if (id !== undefined && copies.has(id)) entries.push(entry);
    }
  }
  const unchanged = kinds.reduce((n, kind) => n + ids[kind].size, 0) - lacking.size;
  return { entries, ids, unchanged, lacking, onlyNew };
}

/** The files (`kind\0id`) `listing` names: all a pull of what changed asks the local side of. */
export function askedBy(listing: RemoteListing, kinds: Kind[]): Set<string> {
  return new Set(listing.entries.flatMap((entry) => {
    const file = parseTreePath(entry.path);
    return file && kinds.includes(file.kind) ? [`${file.kind}\0${file.id}`] : [];
  }));
}

/**
 * `asked` and the first ids of `files` renamed elsewhere (a file here may be one of them), or
 * undefined when that adds none.
 */
export function askedWith(asked: Set<string>, files: RemoteFile[]): Set<string> | undefined {
  const more = files.flatMap((f) => f.origin ? [`${f.kind}\0${f.origin.id}`] : [])
    .filter((key) => !asked.has(key));
  return more.length === 0 ? undefined : new Set([...asked, ...more]);
}

/** How readRemote reads. */
export interface RemoteReading {
  /** Only these entries (remoteSince) and the ids it holds, instead of the whole tree. */
  listing?: RemoteListing;
  /**
   * How many bytes of the records verified are kept for an import (the first ones read; the rest
   * are read again by loadRemoteFiles).
   */
  hold?: number;
  /**
   * A pull's: a file the same as the local one is counted in `same`, not listed, and `entries`
   * keeps only what is no record (the vault's copies): a tree of any size is read as git lists
   * it, never held whole. `"push"`: and the blob ids of those counted, in `sameAs`.
   */
  lean?: boolean | "push";
}

/** The remote's side at `commit`: its whole tree, or only a listing's entries. */
export async function readRemote(
  root: string,
  commit: string | null,
  local: LocalSide,
  kinds: Kind[],
  name = "remote",
  { listing, hold = 0, lean = false }: RemoteReading = {},
): Promise<RemoteSide> {
  const side: RemoteSide = {
    name,
    entries: [],
    files: [],
    refused: [],
    ids: byKind(IdLines.empty()),
    lacking: listing?.lacking ?? new Set(),
    same: 0,
  };
  if (commit === null) return side;
  if (listing !== undefined) side.ids = listing.ids;
  if (lean === "push") side.sameAs = new Map();
  const listed = new Map(
    local.files.filter((f) => f.problem === undefined || !f.pushable)
      .map((f) => [`${f.kind}/${f.id}`, f]),
  );
  const pairs = new Map<string, Pair>();
  const same = new Set<string>();
  for await (const entry of listing?.entries ?? treeEntries(root, commit)) {
    const file = parseTreePath(entry.path);
    if (!lean || file === undefined) side.entries.push(entry);
    if (!file || entry.type !== "blob" || !kinds.includes(file.kind)) continue;
    if (!KINDS[file.kind].isId(file.id)) continue;
    side.ids[file.kind].add(file.id);
    const key = `${file.kind}/${file.id}`;
    if (same.has(key) || side.sameAs?.has(key)) continue;
    if (lean && file.part === "json") {
      const held = local.index?.find(file.kind, file.id) ?? listed.get(key);
      if (held?.blob === entry.sha) {
        side.same++;
        // The local side's id, not the listing's: a tree's text is not held by its slices.
        if (side.sameAs) side.sameAs.set(key, held.blob);
        else same.add(key);
        pairs.delete(key);
        continue;
      }
    }
    const pair = pairs.get(key) ?? { kind: file.kind, id: file.id };
    pair[file.part] = entry.sha;
    if (file.part === "json") pair.size = entry.size;
    else pair.sha256Size = entry.size;
    pairs.set(key, pair);
  }
  const unread: Pair[] = [];
  for (const [key, pair] of pairs) {
    if (pair.json === undefined) {
      side.lacking.add(`${pair.kind}\t${pair.id}`);
      continue;
    }
    const { kind, id } = pair;
    const same = local.index?.find(kind, id) ?? listed.get(key);
    if (same && same.blob === pair.json) {
      const { sha256, origin } = same;
      side.files.push({ kind, id, sha256, ...(origin ? { origin } : {}), text: "", record: null });
    } else if (
      pair.size !== undefined &&
      pair.size > (KINDS[pair.kind].maxBytes ?? MAX_IMPORTED_RECORD_BYTES)
    ) {
      const max = KINDS[pair.kind].maxBytes ?? MAX_IMPORTED_RECORD_BYTES;
      side.refused.push({
        kind: pair.kind,
        id: pair.id,
        reason: `${name}:${treePath(pair.kind, pair.id, "json")} is ${pair.size} bytes, more ` +
          `than any record mpm writes (at most ${max}); it was not read.`,
      });
    } else if (pair.sha256Size !== undefined && pair.sha256Size > MAX_CHECKSUM_BYTES) {
      side.refused.push({
        kind: pair.kind,
        id: pair.id,
        reason: `${name}:${treePath(pair.kind, pair.id, "sha256")} is ${pair.sha256Size} bytes, ` +
          "not a checksum line; the record was not read.",
      });
    } else unread.push(pair);
  }
  let taken = 0;
  let takenBytes = 0;
  const read: Pair[] = [];
  for (const pair of unread) {
    const size = pairBytes(pair);
    if (taken >= MAX_IMPORTED_FILES || takenBytes + size > MAX_IMPORTED_BYTES) {
      side.refused.push({
        kind: pair.kind,
        id: pair.id,
        reason: `${name}:${treePath(pair.kind, pair.id, "json")} was not read: one pull reads ` +
          `at most ${MAX_IMPORTED_FILES} files and ${MAX_IMPORTED_BYTES} bytes; pull again.`,
      });
      continue;
    }
    taken++;
    takenBytes += size;
    read.push(pair);
  }
  // What is verified is kept for the import, up to `hold` bytes: the blobs of a pull of a few
  // hundred small records are read from git once, not twice.
  const budget = { left: hold };
  for (const batch of inBatches(read, pairBytes, READ_BATCH_BYTES)) {
    await readBatch(root, name, batch, side, budget);
  }
  return side;
}

/**
 * Reads and verifies one batch of pairs into `side`; each bad file is refused by name. What
 * passes is kept by its blobs, not its text: a pull reads it again when it imports it.
 */
/** What reading a pair takes, as the tree listing gives it (a size it lacks counts as the most). */
function pairBytes(pair: Pair): number {
  return (pair.size ?? MAX_IMPORTED_RECORD_BYTES) + (pair.sha256Size ?? 0);
}

async function readBatch(
  root: string,
  name: string,
  batch: Pair[],
  side: RemoteSide,
  budget: { left: number },
) {
  const checked = await verifyBatch(root, name, batch, side.refused, budget);
  for (const file of checked) side.files.push({ ...file, text: "", record: null });
}

/** A remote file read again to be imported: the bytes readRemote verified, as text and parsed. */
export interface Loaded {
  bytes: Uint8Array;
  text: string;
  raw: Record<string, unknown>;
  /** What `raw` decodes to, as readRemote's check decoded it, where it was held. */
  record?: unknown;
}

/**
 * The files of `files` (as readRemote listed them) read again by their blob ids: the bytes it
 * verified, whose sha256 is checked again (by Web Crypto) and nothing else, decoded and parsed
 * once for the import to use. A file that no longer reads so is refused into `refused`.
 */
export async function loadRemoteFiles(
  root: string,
  name: string,
  files: readonly RemoteFile[],
  refused: RemoteSide["refused"],
): Promise<Map<RemoteFile, Loaded>> {
  const out = new Map<RemoteFile, Loaded>();
  const wanted = files.filter((f) => f.blobs !== undefined);
  if (wanted.length === 0) return out;
  const unheld = wanted.filter((f) => f.held === undefined).map((f) => f.blobs!.json);
  const blobs = await readBlobs(root, unheld);
  for (const file of wanted) {
    const { kind, id } = file;
    const shown = `${name}:${treePath(kind, id, "json")}`;
    try {
      // Held: the very bytes readRemote hashed and checked, not read again.
      const bytes = file.held?.bytes ?? blobs.get(file.blobs!.json);
      if (bytes === undefined) throw new MpmError(`${shown} is missing from the fetched commit.`);
      if (file.held === undefined && await fileSha256(bytes) !== file.sha256) {
        throw new MpmError(`${shown} changed after it was checked; it was not imported.`);
      }
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      const raw = parseJsonFile(text, shown) as Record<string, unknown>;
      out.set(file, {
        bytes,
        text,
        raw,
        ...(file.held ? { record: file.held.record } : {}),
      });
    } catch (error) {
      refused.push({ kind, id, reason: refusal(error, shown) });
    }
  }
  return out;
}

/**
 * Frees the output of git that `views` look into, now rather than at a full collection: a 4 MB
 * record's batch would otherwise stay with the allocator. Nothing may read them after.
 */
export function letGoOf(views: Iterable<Uint8Array>): void {
  for (const buffer of new Set([...views].map((v) => v.buffer))) {
    if (buffer instanceof ArrayBuffer) letGo(new Uint8Array(buffer));
  }
}

/** Why a file was refused: a check's own words, or what failed where no check names it. */
function refusal(error: unknown, shown: string): string {
  return error instanceof MpmError
    ? error.message
    : `${shown} could not be read (${error instanceof Error ? error.message : error}).`;
}

async function verifyBatch(
  root: string,
  name: string,
  batch: Pair[],
  refused: RemoteSide["refused"],
  budget: { left: number },
): Promise<RemoteFile[]> {
  const files: RemoteFile[] = [];
  if (batch.length === 0) return files;
  const blobs = await readBlobs(root, batch.flatMap((p) => [p.json!, p.sha256 ?? []].flat()));
  for (const { kind, id, json, sha256 } of batch) {
    const shown = `${name}:${treePath(kind, id, "json")}`;
    try {
      const bytes = blobs.get(json!);
      if (bytes === undefined) throw new MpmError(`${shown} is missing from the fetched commit.`);
      const checksum = sha256 === undefined ? undefined : blobs.get(sha256);
      // mpm writes none: a record beginning with one was made by hand or by a forger, and its
      // text would differ from its bytes, so the import would pass for new work of this machine's.
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        throw new IntegrityError(`${shown} begins with a byte order mark, which mpm never writes.`);
      }
      const ok = verifyFile(KINDS[kind], id, bytes, checksum, shown, root, await fileSha256(bytes));
      const { text, record, origin } = ok;
      const hold = bytes.length <= budget.left;
      if (hold) budget.left -= bytes.length;
      files.push({
        kind,
        id,
        sha256: ok.sha256,
        ...(origin ? { origin } : {}),
        text,
        record,
        blobs: { json: json!, sha256, size: bytes.length },
        ...(hold ? { held: { bytes: bytes.slice(), record } } : {}),
      });
    } catch (error) {
      // A forged file may fail in ways no check names (nested past any parser's depth): it is
      // refused like any other bad file, and the rest imports.
      refused.push({ kind, id, reason: refusal(error, shown) });
    }
  }
  // What was checked is kept as its blob ids, not its bytes.
  letGoOf(blobs.values());
  return files;
}
