/**
 * Reading the vault, every member checked before it is served. A record is this machine's only when
 * its seal checks out; any other is foreign.
 */
import { join } from "../../kernel/path.ts";
import { sha256HexAsync } from "../../kernel/hashing/checksum.ts";
import { jsonSealVerifiesAsync, sealedText } from "../../kernel/hashing/seal.ts";
import { ensureMachineKey, machineKey } from "../../disk/machine_key.ts";
import { IntegrityError, NothingToDo, UsageError } from "../../kernel/errors.ts";
import { readSpan, readTextIfExists } from "../../disk/read/read.ts";
import { writeAtomic } from "../../disk/files/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  decodeManifest,
  encodeManifest,
  idOfName,
  type Manifest,
  manifestName,
  type Segment,
  type Stream,
  streamsOf,
} from "./manifest.ts";
import { gunzip, gunzipLines } from "./gzip.ts";
import { FROM_REPOSITORY } from "../../kernel/safe_text/whose.ts";
import { isClaudeSessionId } from "../../claude/transcript/transcript_names.ts";

/** A vault record as listed: read, or the reason it could not be. */
export interface VaultEntry {
  id: string;
  manifest?: Manifest;
  error?: IntegrityError;
}

/** A vault record is kilobytes; one far larger was not written by mpm. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function shownName(name: string): string {
  return `.claude-mpm/vault/${name}`;
}

/** The names in the vault folder; none when there is none. */
export async function vaultNames(paths: ProjectPaths): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(paths.vault)))
      .filter((e) => e.isFile).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** The records read whose seal checked out with this machine's key (not their copies). */
const sealed = new WeakSet<Manifest>();

/** Whether this machine wrote `manifest`, as read; one changed in memory since is not. */
export function sealedHere(manifest: Manifest): boolean {
  return sealed.has(manifest);
}

/** What a copy this machine did not write and no pull imported is shown as coming from. */
export { FROM_REPOSITORY };

/** Where a copy's words came from when not the person's (the remote, else FROM_REPOSITORY). */
export function copyOrigin(manifest: Manifest, at?: string | null): string | undefined {
  if (manifest.imported) {
    return at !== undefined && writtenAfterRestore(manifest, at)
      ? undefined
      : manifest.imported.from;
  }
  return sealedHere(manifest) ? undefined : FROM_REPOSITORY;
}

/** Whether a restored copy's entry dated `at` was written here (sealed here, after the restore). */
export function writtenAfterRestore(manifest: Manifest, at: string | null): boolean {
  const { restored, restored_after: after } = manifest;
  if (at === null || typeof restored !== "string" || !sealedHere(manifest)) return false;
  if (after === undefined) return false;
  return at > restored && (after === null || at > after);
}

export async function readManifest(paths: ProjectPaths, id: string): Promise<Manifest | undefined> {
  const name = manifestName(id);
  const text = await readTextIfExists(join(paths.vault, name), MAX_MANIFEST_BYTES);
  if (text === undefined) return undefined;
  const manifest = decodeManifest(text, id, shownName(name));
  if (await jsonSealVerifiesAsync(text, manifest.seal, machineKey())) sealed.add(manifest);
  return manifest;
}

/** Every record in the vault, each read or with its error, by id. */
export async function listVault(paths: ProjectPaths): Promise<VaultEntry[]> {
  const entries: VaultEntry[] = [];
  for (const name of await vaultNames(paths)) {
    const id = idOfName(name);
    if (id === undefined || name !== manifestName(id)) continue;
    try {
      const manifest = await readManifest(paths, id);
      if (manifest !== undefined) entries.push({ id, manifest });
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      entries.push({ id, error });
    }
  }
  return entries;
}

/** Writes a record, sealed unless `own` is false (a foreign record mpm only annotates). */
export async function writeManifest(
  paths: ProjectPaths,
  manifest: Manifest,
  options: { own?: boolean } = {},
): Promise<void> {
  const key = options.own === false ? null : await ensureMachineKey();
  const text = await sealedText(manifest, key, encodeManifest);
  await writeAtomic(join(paths.vault, manifestName(manifest.claude_session_id)), text, {
    root: paths.base,
  });
}

/** Thrown when a data file does not match its record: the copy is not served. */
export class VaultDamageError extends IntegrityError {}

function damaged(id: string, stream: Stream, what: string): VaultDamageError {
  return new VaultDamageError(
    `The vault's copy of Claude session ${id} is damaged: ${shownName(stream.data)} ${what}.`,
    "Run `mpm doctor`; `mpm vault sync` copies it again while Claude Code still has it.",
  );
}

/** Reads `stream`'s members, each checked against its sha256; yields them in order. */
async function* members(
  paths: ProjectPaths,
  id: string,
  stream: Stream,
  from = 0,
): AsyncGenerator<{ segment: Segment; bytes: Uint8Array }> {
  const path = join(paths.vault, stream.data);
  let offset = stream.segments.slice(0, from).reduce((n, s) => n + s.bytes, 0);
  for (const segment of stream.segments.slice(from)) {
    const bytes = await readSpan(path, offset, segment.bytes);
    if (bytes === undefined) throw damaged(id, stream, "is missing");
    if (bytes.length < segment.bytes) throw damaged(id, stream, "is shorter than its record");
    if (await sha256HexAsync(bytes) !== segment.sha256) {
      throw damaged(id, stream, "does not match its checksum");
    }
    yield { segment, bytes };
    offset += segment.bytes;
  }
}

/** Checks every member of `stream` against its checksum; null when all match, else why not. */
export async function verifyStream(
  paths: ProjectPaths,
  id: string,
  stream: Stream,
): Promise<string | null> {
  try {
    for await (const _ of members(paths, id, stream)) {
      // Each member is checked as it is read.
    }
    return null;
  } catch (error) {
    if (error instanceof VaultDamageError) return error.message;
    throw error;
  }
}

/** Every stream of a record checked; the first problem, or null. */
export async function verifyCopy(paths: ProjectPaths, manifest: Manifest): Promise<string | null> {
  for (const stream of streamsOf(manifest)) {
    const problem = await verifyStream(paths, manifest.claude_session_id, stream);
    if (problem !== null) return problem;
  }
  return null;
}

const decoder = new TextDecoder();

/** A stream's text by segment, once every member matched its checksum. */
export async function* streamText(
  paths: ProjectPaths,
  id: string,
  stream: Stream,
  fromSegment = 0,
): AsyncGenerator<string> {
  const problem = await verifyStream(paths, id, stream);
  if (problem !== null) throw new VaultDamageError(problem, "Run `mpm doctor`.");
  for await (const { segment, bytes } of members(paths, id, stream, fromSegment)) {
    const raw = await gunzip(bytes, segment.raw_bytes).catch(() => undefined);
    if (raw === undefined || raw.length !== segment.raw_bytes) {
      throw damaged(id, stream, "holds a segment that does not decompress as recorded");
    }
    yield decoder.decode(raw);
  }
}

/** streamText in pieces ending at a line's end. */
export async function* streamLines(
  paths: ProjectPaths,
  id: string,
  stream: Stream,
): AsyncGenerator<string> {
  const problem = await verifyStream(paths, id, stream);
  if (problem !== null) throw new VaultDamageError(problem, "Run `mpm doctor`.");
  for await (const { segment, bytes } of members(paths, id, stream)) {
    try {
      yield* gunzipLines(bytes, segment.raw_bytes);
    } catch (error) {
      if (error instanceof VaultDamageError) throw error;
      throw damaged(id, stream, "holds a segment that does not decompress as recorded");
    }
  }
}

/** Refuses, as a usage error, what cannot be a Claude session id or the start of one. */
export function checkVaultId(selector: string): void {
  if (!isClaudeSessionId(selector)) {
    throw new UsageError(
      `${JSON.stringify(selector)} is not a Claude session id: give one (letters, digits, - ` +
        "and _) or its first characters, as `mpm vault list` shows them.",
    );
  }
}

/** The record a person named: a Claude session id or a unique start of at least four characters. */
export function pickEntry(entries: readonly VaultEntry[], selector: string): VaultEntry {
  checkVaultId(selector);
  const exact = entries.find((e) => e.id === selector);
  if (exact) return exact;
  const matches = selector.length >= 4 ? entries.filter((e) => e.id.startsWith(selector)) : [];
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new UsageError(
      `${JSON.stringify(selector)} is the start of ${matches.length} vaulted transcripts.`,
      "Give more of the id (`mpm vault list` shows them).",
    );
  }
  throw new NothingToDo(
    `No vaulted transcript has the id ${JSON.stringify(selector)}.`,
    "Run `mpm vault list` to see the ones the vault holds.",
  );
}
