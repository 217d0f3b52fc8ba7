/**
 * The transcript vault in `mpm sync`: a copy (src/vault/) travels with the snapshots whose
 * sessions saw its Claude session, so a teammate can replay and search them. In the ref's tree
 * a copy is `vault/<claude session id>.json` — its record, with the search indexes left out
 * (they are rebuilt on import) — and the compressed transcript files that record names.
 *
 * A copy grows while its Claude session goes on, so unlike a snapshot it may travel again: the
 * side whose copy holds more of the transcript sends it, and the other replaces its own. What a
 * pull imports is trusted no more than a snapshot: its size is checked from the tree listing
 * before anything is read, what it declares it decompresses to against the vault's bounds (per
 * copy, and per pull: MAX_PULL_RAW_BYTES), each gzip member against its sha256 and its recorded
 * size (no member may decompress to more than it says), and every line is redacted again as it
 * is written. Only copies this machine sealed leave it with a push (vault/records/store.ts).
 */
import { join } from "../../kernel/path.ts";
import { sha256HexAsync } from "../../kernel/hashing/checksum.ts";
import { errorText, IntegrityError, MpmError } from "../../kernel/errors.ts";
import { readSpan } from "../../disk/read/read.ts";
import {
  dropScratchDir,
  makeScratchDir,
  writeScratchFile,
} from "../../disk/files/confine/scratch.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  decodeManifest,
  encodeManifest,
  idOfName,
  type Manifest,
  manifestName,
  SIZE_BOUNDS,
  sizeProblem,
  type Stream,
  streamLength,
} from "../../vault/records/manifest.ts";
import { verifyStream } from "../../vault/records/store.ts";
import { SEGMENT_BYTES } from "../../vault/copy/vault_run.ts";
import { gunzipLines, ShortMemberError } from "../../vault/records/gzip.ts";
import { importCopy, OtherTranscriptError } from "../../vault/copy/import.ts";
import { copyOrigin } from "../../vault/restore/restore.ts";
import { readBlobs, type TreeEntry, writeBlobs } from "./refs.ts";
import {
  copiesWith,
  type CopySummary,
  emptyTranscriptsReport,
  type KeptCopy,
  localCopies,
  planCopies,
  type SnapshotSessions,
  summaryOf,
  type TranscriptsReport,
} from "../plan/copy_plan.ts";
import { lastSender } from "../../git/history/sender.ts";
import { pushAll } from "../../kernel/lists.ts";
import { streamGit } from "../../git/run/run.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";

export const VAULT_TREE = "vault";

/** A record is kilobytes; one larger than this is refused unread. */
export const MAX_IMPORTED_MANIFEST_BYTES = 1024 * 1024;
/** The most one copy's files may hold in the tree (compressed); a larger one is refused unread. */
export const MAX_IMPORTED_COPY_BYTES = 256 * 1024 * 1024;
/**
 * The most one segment may hold once decompressed: mpm cuts a transcript into segments of at most
 * SEGMENT_BYTES (src/vault/copy/copy.ts) before redaction; a larger one is not mpm's, and an import
 * holds one segment's text at a time. The bounds of a whole copy: vault/records/manifest.ts
 * `sizeProblem`.
 */
export const MAX_IMPORTED_SEGMENT_RAW_BYTES = Math.min(4 * SEGMENT_BYTES, SIZE_BOUNDS.segmentRaw);
/**
 * The most one pull decompresses, all the copies it takes together: each copy is redacted and
 * indexed again as it lands, which costs time in proportion. Past it, the rest wait for the next
 * pull (each refused in one sentence this time).
 */
export const MAX_PULL_RAW_BYTES = 2 * SIZE_BOUNDS.copyRaw;

/**
 * The text an import redacts and indexes at once (whole lines: a longer line goes whole): small
 * enough that none of what it makes of it is a large object for the runtime, so what a pull lets
 * go is freed as it goes, whatever the size of a segment it takes.
 */
const IMPORT_PIECE_CHARS = 32 * 1024;

/**
 * A remote copy as the plan needs it: what it holds, and the blobs to read it from. Its record
 * is read, checked and let go (a remote of many large records must not fill memory); an import
 * reads it again.
 */
export interface RemoteCopy {
  summary: CopySummary;
  /** The record's blob. */
  record: string;
  /** Each transcript's blob, by file number. */
  blobs: string[];
  /** What its transcripts declare they decompress to (bounded by `sizeProblem`). */
  raw: number;
}

export interface RemoteCopies {
  copies: Map<string, RemoteCopy>;
  refused: { id: string; reason: string }[];
}

/** The record the tree holds: the copy without its search indexes (rebuilt where it lands). */
function treeManifest(m: Manifest): Manifest {
  // The seal is this machine's alone: it proves nothing anywhere else.
  const { seal: _, ...record } = m;
  return {
    ...record,
    index: {
      talk: { data: m.index.talk.data, segments: [] },
      tools: { data: m.index.tools.data, segments: [] },
    },
  };
}

/** A remote record's blob, decoded and checked (decodeManifest). */
async function readRemoteRecord(
  root: string,
  sha: string,
  id: string,
  shown: string,
): Promise<Manifest> {
  const bytes = (await readBlobs(root, [sha])).get(sha);
  if (bytes === undefined) throw new IntegrityError(`${shown} is missing from the fetched commit.`);
  return decodeManifest(new TextDecoder().decode(bytes), id, shown);
}

/** The remote's copies, each record read and checked against the tree listing's sizes. */
export async function readRemoteCopies(
  root: string,
  entries: readonly TreeEntry[],
  name: string,
): Promise<RemoteCopies> {
  const side: RemoteCopies = { copies: new Map(), refused: [] };
  const files = new Map<string, TreeEntry>();
  for (const e of entries) {
    if (e.type === "blob" && e.path.startsWith(`${VAULT_TREE}/`) && !e.path.includes("/", 6)) {
      files.set(e.path.slice(VAULT_TREE.length + 1), e);
    }
  }
  const records = [...files].filter(([n]) => {
    const id = idOfName(n);
    return id !== undefined && n === manifestName(id);
  });
  const refuse = (id: string, reason: string) => side.refused.push({ id, reason });
  const small = records.filter(([n, e]) => {
    if ((e.size ?? 0) <= MAX_IMPORTED_MANIFEST_BYTES) return true;
    refuse(
      idOfName(n)!,
      `${name}:${VAULT_TREE}/${n} is ${e.size} bytes, more than any vault record; it was not read.`,
    );
    return false;
  });
  // One record at a time: read, checked, summed up, let go.
  for (const [n, e] of small) {
    const id = idOfName(n)!;
    const shown = `${name}:${VAULT_TREE}/${n}`;
    try {
      const manifest = await readRemoteRecord(root, e.sha, id, shown);
      if (manifest.dropped || manifest.files.length === 0) continue;
      const tooLarge = sizeProblem(manifest);
      if (tooLarge !== null) throw new IntegrityError(`${shown} was not read: ${tooLarge}.`);
      let total = 0;
      let raw = 0;
      const data: string[] = [];
      for (const file of manifest.files) {
        const blob = files.get(file.data);
        const length = streamLength(file);
        if (blob === undefined) {
          throw new IntegrityError(`${shown} names ${file.data}, which is not in the tree.`);
        }
        if (blob.size !== length) {
          throw new IntegrityError(
            `${name}:${VAULT_TREE}/${file.data} holds ${blob.size} bytes, not the ${length} its record names.`,
          );
        }
        total += length;
        raw += file.segments.reduce((x, s) => x + s.raw_bytes, 0);
        if (file.segments.some((s) => s.raw_bytes > MAX_IMPORTED_SEGMENT_RAW_BYTES)) {
          throw new IntegrityError(
            `${shown} declares a segment larger than any mpm writes; it was not read.`,
          );
        }
        data.push(blob.sha);
      }
      if (total > MAX_IMPORTED_COPY_BYTES) {
        throw new IntegrityError(
          `${shown} is larger than a copy mpm imports (${total} bytes); it was not read.`,
        );
      }
      side.copies.set(id, { summary: summaryOf(manifest), record: e.sha, blobs: data, raw });
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      refuse(id, error.message);
    }
  }
  return side;
}

/**
 * A transcript file's blob, streamed from git and cut into the gzip members its record names,
 * one at a time; a blob shorter or longer than they add up to is refused.
 */
async function* membersOf(
  root: string,
  blob: string,
  file: Stream,
  shown: string,
): AsyncGenerator<{ member: Uint8Array; segment: Stream["segments"][number] }> {
  const chunks = streamGit(root, ["cat-file", "blob", blob]);
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  const short = () => new IntegrityError(`${shown} is shorter than its record names.`);
  for (const segment of file.segments) {
    while (heldBytes < segment.bytes) {
      const next = await chunks.next();
      if (next.done) throw short();
      held.push(next.value);
      heldBytes += next.value.length;
    }
    const all = held.length === 1 ? held[0] : concatBytes(held);
    const member = all.slice(0, segment.bytes);
    const rest = all.subarray(segment.bytes);
    held = rest.length ? [rest] : [];
    heldBytes = rest.length;
    yield { member, segment };
  }
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    heldBytes += next.value.length;
  }
  if (heldBytes > 0) throw new IntegrityError(`${shown} is longer than its record names.`);
}

/**
 * Checks every member of a copy's blobs against its checksum and recorded sizes, then imports it
 * (src/vault/copy/import.ts). Throws IntegrityError, having written nothing the vault would read,
 * when anything is off.
 */
export async function importRemoteCopy(
  root: string,
  paths: ProjectPaths,
  copy: RemoteCopy,
  name: string,
  options: { now: Date; localKeys: ReadonlySet<string>; commit: string },
): Promise<void> {
  const id = copy.summary.id;
  const manifest = await readRemoteRecord(
    root,
    copy.record,
    id,
    `${name}:${VAULT_TREE}/${manifestName(id)}`,
  );
  // Every member checked against its checksum first, streamed from git a member at a time (a
  // copy's files are never held whole), so a bad one is refused before anything is written.
  for (const [n, file] of manifest.files.entries()) {
    const shown = `${name}:${VAULT_TREE}/${file.data}`;
    for await (const { member, segment } of membersOf(root, copy.blobs[n], file, shown)) {
      if (await sha256HexAsync(member) !== segment.sha256) {
        throw new IntegrityError(`${shown} does not match its checksums.`);
      }
    }
  }
  // Then read again, each member decompressed a few KB at a time and handed on in pieces of whole
  // lines: the import holds a member and a piece (IMPORT_PIECE_CHARS and the line it ends in),
  // never a segment's text, and writes a member of about a megabyte at a time
  // (vault/copy/import.ts). A member that differs from the one checked is refused.
  const texts = async function* (n: number): AsyncGenerator<string> {
    const file = manifest.files[n];
    const shown = `${name}:${VAULT_TREE}/${file.data}`;
    for await (const { member, segment } of membersOf(root, copy.blobs[n], file, shown)) {
      if (await sha256HexAsync(member) !== segment.sha256) {
        throw new IntegrityError(`${shown} does not match its checksums.`);
      }
      try {
        yield* gunzipLines(member, segment.raw_bytes, IMPORT_PIECE_CHARS);
      } catch (error) {
        if (error instanceof MpmError) throw error;
        throw new IntegrityError(
          error instanceof ShortMemberError
            ? `${shown} holds a segment of another size than recorded.`
            : `${shown} holds a segment that does not decompress as recorded (${
              errorText(error)
            }).`,
        );
      }
    }
  };
  // Who sent the copy taken: the author of the newest commit, in what was fetched, that changed it.
  const sender = await lastSender(root, options.commit, `${VAULT_TREE}/${manifestName(id)}`);
  await importCopy(paths, { manifest, texts }, name, { ...options, sender });
}

/**
 * The blobs of the copies a push sends: each record without its indexes, and each transcript
 * file's bytes as far as the record names them (a file a stopped copy left longer is cut).
 */
export async function copyBlobs(
  root: string,
  paths: ProjectPaths,
  manifests: readonly Manifest[],
): Promise<{ path: string; sha: string }[]> {
  if (manifests.length === 0) return [];
  const temp = await makeScratchDir("mpm-sync-vault-");
  try {
    const files: string[] = [];
    const names: string[] = [];
    for (const m of manifests) {
      const record = join(temp, manifestName(m.claude_session_id));
      await writeScratchFile(record, encodeManifest(treeManifest(m)));
      files.push(record);
      names.push(manifestName(m.claude_session_id));
      for (const file of m.files) {
        files.push(await exactBytes(paths, file, temp));
        names.push(file.data);
      }
    }
    const shas = await writeBlobs(root, files);
    return names.map((n, i) => ({ path: `${VAULT_TREE}/${n}`, sha: shas[i] }));
  } finally {
    await dropScratchDir(temp);
  }
}

async function exactBytes(paths: ProjectPaths, stream: Stream, temp: string): Promise<string> {
  const path = join(paths.vault, stream.data);
  const length = streamLength(stream);
  const size = (await Deno.stat(path)).size;
  if (size === length) return path;
  const bytes = await readSpan(path, 0, length);
  if (bytes === undefined || bytes.length < length) {
    throw new IntegrityError(`${path} is shorter than its record; run \`mpm doctor\`.`);
  }
  const copy = join(temp, stream.data);
  await writeScratchFile(copy, bytes);
  return copy;
}

/** The tree's entries without those of the copies about to be replaced. */
export function withoutCopies(
  entries: readonly TreeEntry[],
  ids: ReadonlySet<string>,
): TreeEntry[] {
  return entries.filter((e) => {
    if (!e.path.startsWith(`${VAULT_TREE}/`)) return true;
    const id = idOfName(e.path.slice(VAULT_TREE.length + 1));
    return id === undefined || !ids.has(id);
  });
}

/** Each side's copies summed up for the plan; a copy the remote failed to check counts as absent. */
function summaries(copies: Iterable<Manifest>): CopySummary[] {
  return [...copies].map(summaryOf);
}

/**
 * The copies here, the remote's, and which go which way with the snapshots `records` names;
 * `alone`: every copy here that holds more than the remote's goes with them.
 */
async function planWith(
  root: string,
  paths: ProjectPaths,
  records: readonly SnapshotSessions[],
  entries: readonly TreeEntry[],
  name: string,
) {
  const [copies, remote] = await Promise.all([
    localCopies(paths),
    readRemoteCopies(root, entries, name),
  ]);
  const here = summaries(copies.values());
  const there = [...remote.copies.values()].map((c) => c.summary);
  const plan = planCopies(here, there, copiesWith(copies, records));
  const any = planCopies(here, there, new Set(copies.keys())).send;
  return { copies, remote, plan, alone: any.every((id) => plan.send.includes(id)) };
}

/**
 * Whether every copy here that holds more than the remote's goes with the snapshots `records`
 * names: a push of those snapshots sends all a push of any would (push_sources.ts pausedSources).
 */
export async function copiesAlone(
  root: string,
  paths: ProjectPaths,
  records: readonly SnapshotSessions[],
  entries: readonly TreeEntry[],
  name: string,
): Promise<boolean> {
  return (await planWith(root, paths, records, entries, name)).alone;
}

/**
 * What a push sends of the vault: the copies that go with the snapshots it may send (`records`,
 * their JSON), where the remote holds less of them. Returns the blobs and the copies they replace.
 */
export async function outgoingCopies(
  root: string,
  paths: ProjectPaths,
  records: readonly SnapshotSessions[],
  entries: readonly TreeEntry[],
  name: string,
  dryRun: boolean,
): Promise<{
  send: string[];
  additions: { path: string; sha: string }[];
  refused: { id: string; reason: string }[];
  held: KeptCopy[];
}> {
  const { copies, plan } = await planWith(root, paths, records, entries, name);
  const { ours, held } = await teammatesHeld(root, copies, plan.send);
  // Only a copy whose files match their checksums leaves this machine.
  const send: string[] = [];
  const refused: { id: string; reason: string }[] = [];
  for (const id of ours) {
    const m = copies.get(id)!;
    let problem: string | null = null;
    for (const file of m.files) {
      problem ??= await verifyStream(paths, id, { data: file.data, segments: file.segments });
    }
    if (problem === null) send.push(id);
    else refused.push({ id, reason: problem });
  }
  const additions = dryRun ? [] : await copyBlobs(root, paths, send.map((id) => copies.get(id)!));
  return { send, additions, refused, held };
}

/**
 * The copies a push would send, less those that came from a teammate (`mpm sync pull`, another
 * git email than this checkout's) and went on here: the remote keeps the copy its sender sent,
 * and a continuation of it stays on this machine. One the person pushed from another machine is
 * theirs, continued or not, and goes. One this machine did not seal (a clone's committed copy)
 * never goes: pushed, it would come back to the person's other machines as theirs.
 */
async function teammatesHeld(
  root: string,
  copies: ReadonlyMap<string, Manifest>,
  ids: readonly string[],
): Promise<{ ours: string[]; held: KeptCopy[] }> {
  const ours: string[] = [];
  const held: KeptCopy[] = [];
  for (const id of ids) {
    const m = copies.get(id)!;
    const origin = await copyOrigin(root, m);
    if (origin.origin === "elsewhere") {
      held.push({
        id,
        reason: "this machine's mpm did not write that copy (it came with the repository); " +
          "it stays here until the transcript is copied again.",
      });
    } else if (origin.origin !== "teammate") ours.push(id);
    else {
      held.push({
        id,
        reason: `it continues a conversation ${
          origin.sender ?? "a teammate"
        } sent; the remote keeps theirs, and this one stays here.`,
      });
    }
  }
  return { ours, held };
}

/**
 * What a pull takes of the vault: the remote's copies this project lacks or holds less of (as
 * planCopies allows), each checked and imported (unless `dryRun`); one that fails its checks is
 * refused, the others go on. The remote's `keys` never name a session of this machine's
 * (`localKeys`): a teammate's record cannot attach a transcript to the user's own work.
 */
export async function pullCopies(
  root: string,
  paths: ProjectPaths,
  entries: readonly TreeEntry[],
  name: string,
  options: { dryRun: boolean; now: Date; localKeys: ReadonlySet<string>; commit: string },
): Promise<TranscriptsReport> {
  const report = emptyTranscriptsReport();
  const [copies, remote] = await Promise.all([
    localCopies(paths),
    readRemoteCopies(root, entries, name),
  ]);
  pushAll(report.refused, remote.refused);
  const { take, kept } = planCopies(
    summaries(copies.values()),
    [...remote.copies.values()].map((c) => c.summary),
    new Set(),
  );
  pushAll(report.kept, kept);
  let inflated = 0;
  for (const id of take) {
    const copy = remote.copies.get(id)!;
    if (inflated + copy.raw > MAX_PULL_RAW_BYTES) {
      report.refused.push({
        id,
        reason: `${name}:${VAULT_TREE}/${manifestName(id)} would take this pull past ` +
          `${MAX_PULL_RAW_BYTES} bytes decompressed; the next pull takes it.`,
      });
      continue;
    }
    inflated += copy.raw;
    if (options.dryRun) {
      report.moved.push(id);
      continue;
    }
    try {
      await importRemoteCopy(root, paths, copy, name, options);
      report.moved.push(id);
    } catch (error) {
      if (error instanceof OtherTranscriptError) report.kept.push({ id, reason: error.message });
      else if (error instanceof IntegrityError) report.refused.push({ id, reason: error.message });
      else throw error;
    }
  }
  return report;
}

/** `mpm sync status`: the copies a push would send and a pull would take. */
export async function compareCopies(
  root: string,
  paths: ProjectPaths,
  records: readonly SnapshotSessions[],
  entries: readonly TreeEntry[],
  name: string,
): Promise<TranscriptsReport> {
  const { copies, remote, plan } = await planWith(root, paths, records, entries, name);
  const { ours, held } = await teammatesHeld(root, copies, plan.send);
  return {
    moved: ours,
    incoming: plan.take,
    refused: remote.refused,
    kept: [...plan.kept, ...held],
  };
}
