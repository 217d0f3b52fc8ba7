/** What `mpm migrate` finds: claude-mpm's files grouped per id and folder, as Snapshots. Pure. */
import { parseChecksumLine, sha256Hex } from "../kernel/hashing/checksum.ts";
import { jsonErrorReason } from "../sessions/store/records/snapshot/decode.ts";
import { MpmError } from "../kernel/errors.ts";
import { normalizeSnapshot } from "../legacy/normalize.ts";
import { normalizeYamlSession } from "../legacy/normalize_yaml.ts";
import { legacyChecksumTarget, parseLegacyChecksum } from "../legacy/ids.ts";
import type { LegacyLayout } from "../legacy/layouts.ts";
import { parseMarkdownSession } from "../legacy/markdown.ts";
import { attributions, parseTrustyLog, parseTrustySession } from "../legacy/trusty.ts";
import type { Snapshot } from "../kernel/snapshot.ts";
import { pushAll } from "../kernel/lists.ts";

/** This project's sessions/ and pause/, `--from`, or trusty-mpm's folder (read only). */
export type Where = "sessions" | "pause" | "from" | "trusty";

export interface SourceFile {
  where: Where;
  name: string;
  /** Relative to `.claude-mpm/`; absolute for `--from`; to the project for trusty-mpm's. */
  rel: string;
  bytes: Uint8Array;
}

export type DataKind = "json" | "yaml" | "md";
export const DATA_KINDS: readonly DataKind[] = ["json", "yaml", "md"];

export type Checksum = "verified" | "mismatch" | "none";

export interface LegacyRecord {
  where: Where;
  /** The id its file names carry, as claude-mpm wrote it (local time in pause/). */
  nameId: string;
  data: Partial<Record<DataKind, SourceFile>>;
  checksums: SourceFile[];
  /** The file the session is read from: its .json, else its .yaml, else its .md. */
  primary: SourceFile;
  snapshot?: Snapshot;
  layout?: LegacyLayout;
  error?: string;
  /** Whether a checksum file claude-mpm (or a user) left matches the .json. */
  checksum: Checksum;
}

export interface Collected {
  records: LegacyRecord[];
  /** LATEST-SESSION.txt of sessions/ and of pause/. */
  latest: SourceFile[];
  /** Checksum files whose data file is gone. */
  strayChecksums: SourceFile[];
  /** Anything else: pause/'s join sessions/; sessions/' are there to compare them with. */
  others: SourceFile[];
}

// Old `-N` and new `-MMMxyz` ids alike (kernel/ids.ts).
const DATA_NAME = /^(session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?)\.(json|yaml|md)$/;

export type NameKind =
  | { kind: "data"; id: string; ext: DataKind }
  | { kind: "checksum"; id: string; of: string }
  | { kind: "latest" }
  | { kind: "other" };

export function classifyName(name: string): NameKind {
  const data = name.match(DATA_NAME);
  if (data) return { kind: "data", id: data[1], ext: data[2] as DataKind };
  const sum = legacyChecksumTarget(name);
  if (sum) return { kind: "checksum", id: sum.sessionId, of: sum.file };
  return name === "LATEST-SESSION.txt" ? { kind: "latest" } : { kind: "other" };
}

/** Ids mpm wrote: it claims an id with `<id>.json.sha256` first, a name claude-mpm never used. */
export function mpmOwnedIds(names: Iterable<string>): Set<string> {
  const owned = new Set<string>();
  for (const name of names) {
    const m = name.match(/^(session-\d{8}-\d{6}(?:-\d{3}[a-z]{3}|-\d+)?)\.json\.sha256$/);
    if (m) owned.add(m[1]);
  }
  return owned;
}

/** An entry with a session file's name that is never read, only named: a symbolic link, or… */
export interface LinkFile extends Omit<SourceFile, "bytes"> {
  path: string;
  /** …a regular file of `size` bytes, more than mpm reads of one file (`limit`). */
  tooLarge?: { size: number; limit: number };
}

/** How a source file is named to the user and in `mpm.legacy.file`. */
export function shownPath(file: Pick<SourceFile, "where" | "rel">): string {
  return file.where === "from" || file.where === "trusty" ? file.rel : `.claude-mpm/${file.rel}`;
}

/** Whether a record's files are only read, never moved or removed (another tool's, or `--from`). */
export function readOnly(where: Where): boolean {
  return where === "from" || where === "trusty";
}

const TRUSTY_ROOT = ".trusty-mpm/sessions/";

/** trusty-mpm's pauses (`session-*.md` under `.trusty-mpm/sessions/`), with their log's session. */
export function collectTrusty(
  files: readonly SourceFile[],
  log: string | undefined,
  projectRoot: string,
): LegacyRecord[] {
  const owner = attributions(log === undefined ? [] : parseTrustyLog(log).entries);
  return files.map((file) => {
    const logPath = file.rel.slice(TRUSTY_ROOT.length);
    const record: LegacyRecord = {
      where: "trusty",
      nameId: logPath.replace(/\.md$/, ""),
      data: { md: file },
      checksums: [],
      primary: file,
      checksum: "none",
      layout: "trusty-mpm-md",
    };
    try {
      record.snapshot = parseTrustySession(new TextDecoder().decode(file.bytes), {
        fileName: file.rel,
        projectPath: projectRoot,
        logPath,
        logged: owner.get(logPath),
      });
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      record.error = error.message;
    }
    return record;
  });
}

/** Groups files into records and reads each; a `--from` session naming no project gets "". */
export function collectRecords(files: SourceFile[], projectRoot: string): Collected {
  const groups = new Map<string, { data: LegacyRecord["data"]; checksums: SourceFile[] }>();
  const group = (where: Where, id: string) => {
    const key = `${where}\0${id}`;
    let found = groups.get(key);
    if (!found) groups.set(key, found = { data: {}, checksums: [] });
    return found;
  };
  const collected: Collected = { records: [], latest: [], strayChecksums: [], others: [] };
  for (const file of files) {
    const kind = classifyName(file.name);
    if (kind.kind === "data") group(file.where, kind.id).data[kind.ext] = file;
    else if (kind.kind === "checksum") group(file.where, kind.id).checksums.push(file);
    else if (kind.kind === "latest" && file.where !== "from") collected.latest.push(file);
    else if (file.where !== "from") collected.others.push(file);
  }
  for (const [key, { data, checksums }] of groups) {
    const [where, nameId] = key.split("\0") as [Where, string];
    const primary = data.json ?? data.yaml ?? data.md;
    if (!primary) {
      pushAll(collected.strayChecksums, checksums);
      continue;
    }
    const record: LegacyRecord = {
      where,
      nameId,
      data,
      checksums,
      primary,
      checksum: checksumState(data.json, checksums),
    };
    readRecord(record, where === "from" ? "" : projectRoot);
    collected.records.push(record);
  }
  return collected;
}

function checksumState(json: SourceFile | undefined, checksums: SourceFile[]): Checksum {
  if (!json || checksums.length === 0) return "none";
  const hex = sha256Hex(json.bytes);
  const digests = checksums.map((c) => {
    const text = new TextDecoder().decode(c.bytes);
    return (parseLegacyChecksum(text) ?? parseChecksumLine(text))?.hex;
  });
  return digests.includes(hex) ? "verified" : "mismatch";
}

function readRecord(record: LegacyRecord, projectPath: string): void {
  const file = record.primary;
  const context = { fileName: shownPath(file), projectPath };
  const text = new TextDecoder().decode(file.bytes);
  try {
    if (file === record.data.json) {
      const normalized = normalizeSnapshot(JSON.parse(text), context);
      record.snapshot = normalized.snapshot;
      record.layout = normalized.legacy;
    } else if (file === record.data.yaml) {
      const normalized = normalizeYamlSession(text, context);
      record.snapshot = normalized.snapshot;
      record.layout = normalized.legacy;
    } else {
      record.snapshot = parseMarkdownSession(text, context);
      record.layout = "claude-mpm-md";
    }
  } catch (error) {
    if (error instanceof SyntaxError) {
      record.error = `${context.fileName} is not valid JSON (${jsonErrorReason(error)}).`;
    } else if (error instanceof MpmError) record.error = error.message;
    else throw error;
  }
}

/** A snapshot's content, ignoring its id and where it came from, with keys in a fixed order. */
export function contentKey(snapshot: Snapshot): string {
  const { session_id: _id, mpm, ...rest } = snapshot;
  const { legacy: _legacy, ...info } = mpm as Record<string, unknown>;
  return stable({ ...rest, mpm: info });
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byText(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
