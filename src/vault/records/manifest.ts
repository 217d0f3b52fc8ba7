/**
 * The vault's record of one session, `.claude-mpm/vault/<id>.json` (docs/format.md): its redacted,
 * gzipped files as segments with their sha256, and how far into each source the copy goes. Pure.
 */
import {
  array,
  checkValue,
  int,
  nullable,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../../kernel/check.ts";
import { IntegrityError } from "../../kernel/errors.ts";
import { AGENT_NAMES, agentOf } from "../../kernel/agent_name.ts";
import { agentNamed } from "../../agents/agent.ts";

export const MANIFEST_VERSION = 1;

/** How much of a source transcript's start and of its copied end are fingerprinted. */
export const FINGERPRINT_BYTES = 64 * 1024;

const hex = string({ pattern: /^[0-9a-f]{64}$/ });
const count = int({ min: 0 });

const segmentCheck = object({
  /** The gzip member's length in the data file. */
  bytes: int({ min: 1 }),
  /** Its length once decompressed. */
  raw_bytes: count,
  /** sha256 of the member's bytes. */
  sha256: hex,
}, "strip");
export type Segment = Out<typeof segmentCheck>;

const streamCheck = object({
  /** The data file (`<id>.talk.gz`, `<id>.tools.gz`). */
  data: string(),
  /** Its gzip members, in order. */
  segments: array(segmentCheck),
}, "strip");
export type Stream = Out<typeof streamCheck>;

const vaultFileCheck = object({
  /** Relative to the main transcript's folder, checked against the agent's names on every read. */
  source: string({ min: 1 }),
  /** The data file (`<id>.N.jsonl.gz`, `<id>.gG.N.jsonl.gz` for a later generation). */
  data: string(),
  /** Its gzip members, at most 8 MiB of source lines each, checked before anything is served. */
  segments: array(segmentCheck),
  /** The source's bytes copied so far: always up to a line end. */
  source_bytes: count,
  /** The source's modification time when copied. */
  source_mtime: nullable(string()),
  /** sha256 of the source's first FINGERPRINT_BYTES (or fewer) bytes, as copied. */
  head_sha256: nullable(hex),
  /** sha256 of the FINGERPRINT_BYTES (or fewer) ending at `source_bytes`. */
  tail_sha256: nullable(hex),
  /** Lines copied. */
  lines: count,
  /** Bytes after the last line end when it was last copied (a line still being written). */
  partial_bytes: count,
  /** Lines too long to copy, left out. */
  skipped_lines: count,
  /** Why the copy stops short of the source's end (a read that failed), or null. */
  cut: nullable(string()),
}, "strip");
export type VaultFile = Out<typeof vaultFileCheck>;

const droppedCheck = object({
  /** When it was dropped. */
  at: string(),
  /** `prune` (`mpm vault prune`) or `limit` (the vault's size limit). */
  reason: oneOf(["prune", "limit"]),
  /** The main transcript's size then: it is copied again only once it grows past this. */
  source_bytes: count,
}, "strip");

export const manifestCheck = object({
  /** The record's version: 1. */
  schema_version: int({ min: 1 }),
  /** The conversation's id in its agent. */
  claude_session_id: string({ pattern: /^[A-Za-z0-9_-]{1,100}$/ }),
  /**
   * The agent whose conversation it is (`codex`: a rollout below `$CODEX_HOME/sessions`);
   * absent: Claude Code's.
   */
  agent: optional(oneOf(AGENT_NAMES)),
  /** The mpm sessions (`threads/<key>/`) that saw it. */
  keys: array(string()),
  /** Where Claude Code kept the main transcript (redacted), or null. */
  transcript: nullable(string()),
  /** Counts the copies made again from the start (the source was rewritten, or foreign). */
  generation: int({ min: 1 }),
  /** When it was first copied. */
  first_vaulted: string(),
  /** When it was last copied to. */
  last_vaulted: string(),
  /** The first and last timestamps of its entries. */
  first_entry: nullable(string()),
  /** What "oldest" means for the size limit and `--older-than`. */
  last_entry: nullable(string()),
  /** The main transcript first, then its subagents'. */
  files: array(vaultFileCheck),
  /** What `mpm search` reads: prompts and answers (`talk`), tool calls and outputs (`tools`). */
  index: object({
    /** Prompts and Claude's answers, one JSON line each. */
    talk: streamCheck,
    /** Tool calls and their outputs, one JSON line each. */
    tools: streamCheck,
  }, "strip"),
  /** Set when the copy's files were dropped (the size limit, `mpm vault prune`): the record stays. */
  dropped: nullable(droppedCheck),
  /** Set on a copy `mpm sync pull` imported: the remote, when, and the sending commit's email. */
  imported: optional(nullable(object({
    from: string(),
    at: string(),
    sender: optional(nullable(string())),
  }, "strip"))),
  /**
   * When `mpm vault restore` put this imported copy back here. Copied again once gone on with, it
   * keeps `imported`: it began as the sender's.
   */
  restored: optional(nullable(string())),
  /**
   * The imported copy's newest entry time at restore: an entry dated after both this and
   * `restored` was written here, by the person (store.ts `copyOrigin`).
   */
  restored_after: optional(nullable(string())),
  /**
   * This machine's seal over the record's text: only a record whose seal checks out was written
   * here. Absent in what a pull reads from a remote's tree and in what a clone commits.
   */
  seal: optional(string()),
}, "keep");
export type Manifest = Out<typeof manifestCheck>;

export function manifestName(id: string): string {
  return `${id}.json`;
}

/** The data file of a transcript (`n` 0 is the main one, 1… its subagents) or an index. */
export function dataName(id: string, generation: number, part: number | "talk" | "tools"): string {
  const gen = generation === 1 ? "" : `.g${generation}`;
  return typeof part === "number" ? `${id}${gen}.${part}.jsonl.gz` : `${id}${gen}.${part}.gz`;
}

/** Whether `name` is one of the vault's data file names for session `id`. */
export function isDataName(name: string, id: string): boolean {
  if (!name.startsWith(`${id}.`)) return false;
  return /^(?:\.g\d{1,6})?\.(?:\d{1,6}\.jsonl|talk|tools)\.gz$/.test(name.slice(id.length));
}

/** The session id of a vault file name (a manifest or a data file), if it is one. */
export function idOfName(name: string): string | undefined {
  return name.match(
    /^([A-Za-z0-9_-]{1,100})\.(?:json|(?:g\d{1,6}\.)?(?:\d{1,6}\.jsonl|talk|tools)\.gz)$/,
  )
    ?.[1];
}

export function emptyManifest(id: string, now: string, generation = 1): Manifest {
  return {
    schema_version: MANIFEST_VERSION,
    claude_session_id: id,
    keys: [],
    transcript: null,
    generation,
    first_vaulted: now,
    last_vaulted: now,
    first_entry: null,
    last_entry: null,
    files: [],
    index: {
      talk: { data: dataName(id, generation, "talk"), segments: [] },
      tools: { data: dataName(id, generation, "tools"), segments: [] },
    },
    dropped: null,
  };
}

/** A manifest's text as a record, or IntegrityError saying what is wrong. */
export function decodeManifest(text: string, id: string, shown: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new IntegrityError(`${shown} is not valid JSON.`, "Run `mpm doctor` to see the vault.");
  }
  const version = (raw as { schema_version?: unknown } | null)?.schema_version;
  if (typeof version === "number" && version > MANIFEST_VERSION) {
    throw new IntegrityError(
      `${shown} was written by a newer mpm (schema ${version}).`,
      "Upgrade mpm to read it.",
    );
  }
  const checked = checkValue(manifestCheck, raw);
  if (!checked.ok) {
    const { path, message } = checked.problem;
    const where = path.length ? `${path.join(".")}: ` : "";
    throw new IntegrityError(`${shown} is not a vault record (${where}${message}).`);
  }
  const manifest = checked.value;
  if (manifest.claude_session_id !== id) {
    throw new IntegrityError(`${shown} names another Claude session inside.`);
  }
  const names = [
    ...manifest.files.map((f) => f.data),
    manifest.index.talk.data,
    manifest.index.tools.data,
  ];
  const bad = names.find((name) => !isDataName(name, id));
  if (bad !== undefined) {
    throw new IntegrityError(
      `${shown} names a data file that is not its own (${JSON.stringify(bad)}).`,
    );
  }
  // What a restore writes is named by these: each must be a name its agent gives, once.
  const transcripts = agentNamed(agentOf(manifest.agent)).transcripts;
  const sources = new Set<string>();
  for (const [n, file] of manifest.files.entries()) {
    const named = transcripts.sourceProblem(id, file.source, n);
    const problem = named ??
      (sources.has(file.source) ? `it names ${JSON.stringify(file.source)} twice` : null);
    if (problem !== null) {
      throw new IntegrityError(`${shown} is not a vault record mpm wrote: ${problem}.`);
    }
    sources.add(file.source);
  }
  return manifest;
}

/** How far a copy may decompress (8 MB segments, JSON ~10×); more is refused before inflating. */
export const SIZE_BOUNDS = {
  /** One segment once decompressed. */
  segmentRaw: 32 * 1024 * 1024,
  /** One copy's transcripts once decompressed. */
  copyRaw: 1024 * 1024 * 1024,
  /** Decompressed bytes per compressed byte, over a whole copy (past the first MB). */
  ratio: 64,
  ratioFloor: 1024 * 1024,
} as const;

/** Why the copy's declared sizes are past SIZE_BOUNDS, in a clause; null when within them. */
export function sizeProblem(manifest: Manifest): string | null {
  let stored = 0;
  let raw = 0;
  for (const file of manifest.files) {
    for (const s of file.segments) {
      if (s.raw_bytes > SIZE_BOUNDS.segmentRaw) {
        return `it declares a segment larger than any mpm writes (${s.raw_bytes} bytes once decompressed)`;
      }
      stored += s.bytes;
      raw += s.raw_bytes;
    }
  }
  if (raw > SIZE_BOUNDS.copyRaw) {
    return `its transcripts would take ${raw} bytes once decompressed, more than mpm restores or imports (${SIZE_BOUNDS.copyRaw})`;
  }
  if (raw > SIZE_BOUNDS.ratioFloor && raw > stored * SIZE_BOUNDS.ratio) {
    return `its ${stored} compressed bytes would decompress to ${raw}, more than a transcript compresses`;
  }
  return null;
}

export function encodeManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}

/** Every stream the record names: each transcript's, then the two indexes. */
export function streamsOf(manifest: Manifest): Stream[] {
  return [
    ...manifest.files.map((f) => ({ data: f.data, segments: f.segments })),
    manifest.index.talk,
    manifest.index.tools,
  ];
}

/** The bytes the record's data files hold (what counts against the vault's limit). */
export function storedBytes(manifest: Manifest): number {
  let total = 0;
  for (const stream of streamsOf(manifest)) for (const s of stream.segments) total += s.bytes;
  return total;
}

/** The transcripts' bytes once decompressed. */
export function rawBytes(manifest: Manifest): number {
  let total = 0;
  for (const file of manifest.files) for (const s of file.segments) total += s.raw_bytes;
  return total;
}

export function streamLength(stream: Stream): number {
  return stream.segments.reduce((n, s) => n + s.bytes, 0);
}

/** When the transcript was last active, as far as the vault knows: what "oldest" goes by. */
export function lastActivity(manifest: Manifest): string {
  return manifest.last_entry ?? manifest.last_vaulted;
}

/** The mpm session a transcript belongs to: the last one that saw it. */
export function mainKey(manifest: Manifest): string | null {
  return manifest.keys.length ? manifest.keys[manifest.keys.length - 1] : null;
}
