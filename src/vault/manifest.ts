/**
 * The vault's record of one Claude Code session: `.claude-mpm/vault/<claude session id>.json`
 * (docs/format.md, "The transcript vault"). It names the compressed files that hold the session's
 * transcript and its subagents' transcripts, redacted, each as a list of gzip members
 * ("segments") with their sha256, and how far into each source transcript the copy goes, so a
 * transcript that only grew is appended to, never rewritten. Pure: the schema, the file names,
 * and what the record says of itself.
 */
import * as z from "../kernel/zod.ts";
import { IntegrityError } from "../kernel/errors.ts";

export const MANIFEST_VERSION = 1;

/** How much of a source transcript's start and of its copied end are fingerprinted. */
export const FINGERPRINT_BYTES = 64 * 1024;

function buildSchemas() {
  const Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/));
  const Count = z.int().check(z.minimum(0));
  const SegmentSchema = z.object({
    /** The gzip member's length in the data file. */
    bytes: z.int().check(z.minimum(1)),
    /** Its length once decompressed. */
    raw_bytes: Count,
    /** sha256 of the member's bytes. */
    sha256: Hex,
  });
  const StreamSchema = z.object({ data: z.string(), segments: z.array(SegmentSchema) });
  const VaultFileSchema = z.object({
    /** Relative to the main transcript's folder: `<id>.jsonl`, `<id>/subagents/agent-….jsonl`. */
    source: z.string().check(z.minLength(1)),
    data: z.string(),
    segments: z.array(SegmentSchema),
    /** The source's bytes copied so far: always up to a line end. */
    source_bytes: Count,
    source_mtime: z.nullable(z.string()),
    /** sha256 of the source's first FINGERPRINT_BYTES (or fewer) bytes, as copied. */
    head_sha256: z.nullable(Hex),
    /** sha256 of the FINGERPRINT_BYTES (or fewer) ending at `source_bytes`. */
    tail_sha256: z.nullable(Hex),
    lines: Count,
    /** Bytes after the last line end when it was last copied (a line still being written). */
    partial_bytes: Count,
    /** Lines too long to copy, left out. */
    skipped_lines: Count,
    /** Why the copy stops short of the source's end (a read that failed), or null. */
    cut: z.nullable(z.string()),
  });
  const DroppedSchema = z.object({
    at: z.string(),
    /** `prune` (`mpm vault prune`) or `limit` (the vault's size limit). */
    reason: z.enum(["prune", "limit"]),
    /** The main transcript's size then: it is copied again only once it grows past this. */
    source_bytes: Count,
  });
  const ManifestSchema = z.looseObject({
    schema_version: z.int().check(z.minimum(1)),
    claude_session_id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/)),
    /** The mpm sessions (`threads/<key>/`) that saw it. */
    keys: z.array(z.string()),
    /** Where Claude Code kept the main transcript (redacted), or null. */
    transcript: z.nullable(z.string()),
    generation: z.int().check(z.minimum(1)),
    first_vaulted: z.string(),
    last_vaulted: z.string(),
    /** The first and last timestamps of its entries. */
    first_entry: z.nullable(z.string()),
    last_entry: z.nullable(z.string()),
    files: z.array(VaultFileSchema),
    index: z.object({ talk: StreamSchema, tools: StreamSchema }),
    dropped: z.nullable(DroppedSchema),
    /** Set on a copy `mpm sync pull` imported: the remote it came from, and when. */
    imported: z.optional(z.nullable(z.object({ from: z.string(), at: z.string() }))),
  });
  return { ManifestSchema, SegmentSchema, StreamSchema, VaultFileSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
export const manifestSchemas: () => Schemas = z.builtOnce(buildSchemas);

export type Manifest = z.infer<Schemas["ManifestSchema"]>;
export type Segment = z.infer<Schemas["SegmentSchema"]>;
export type Stream = z.infer<Schemas["StreamSchema"]>;
export type VaultFile = z.infer<Schemas["VaultFileSchema"]>;

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

/**
 * A manifest's text as a record, or IntegrityError saying what is wrong: not JSON, not the
 * schema, a newer schema, another session inside, or a data file name that is not one of its own.
 */
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
  const parsed = manifestSchemas().ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new IntegrityError(`${shown} is not a vault record (${where}${issue.message}).`);
  }
  const manifest = parsed.data;
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
  return manifest;
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
