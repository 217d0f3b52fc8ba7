/**
 * What this machine knows from its last `mpm sync` (`.claude-mpm/cache/sync.json`), so that a sync
 * with nothing new does little more than git's own fetch:
 * - each local file's identity (sha256, git blob id, origin, name, the sessions it names) with how
 *   it looked on disk when it was read (local.ts `lookOf`): a file that looks the same is not read
 *   again, one that looks otherwise (or is new) is;
 * - the last answer of a push and a pull that moved nothing, with what it was worked out from:
 *   the remote's commit, the local files, sync.json and the vault. A push or pull that finds all
 *   of them as they were gives that answer again without reading the remote's tree.
 *
 * A cache by the store's rule (sessions/store/caches/cache.ts): sealed with this machine's key,
 * made by this mpm, checked when read and never trusted over the files. A record that is missing,
 * damaged, another machine's or another version's is ignored; the sync works everything out from
 * the files and keeps a new one.
 */
import {
  array,
  checkValue,
  int,
  object,
  oneOf,
  optional,
  type Out,
  string,
} from "../kernel/check.ts";
import { sha256Hex } from "../kernel/hashing/checksum.ts";
import { join, relative } from "../kernel/path.ts";
import { cached, type CacheKind, keep } from "../sessions/store/caches/cache.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import type {
  FileReader,
  Identity,
  KnownFiles,
  LocalFile,
  LocalSide,
  Look,
  ReadLocalOptions,
} from "./local.ts";
import { type ObjectFormat, objectFormat } from "../git/objects/work_file.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import type { Kind } from "./plan.ts";

const KIND_NAMES: readonly Kind[] = ["session", "checkpoint", "handoff"];

const quietCheck = object({
  /** "push" or "pull". */
  op: string(),
  remote: string(),
  /** The remote's commit the answer was worked out against. */
  commit: string(),
  /** sync.json's text, hashed ("" when there is none). */
  config: string(),
  /** How the vault looked (vaultLook). */
  vault: string(),
  /** The answer, as JSON: a SyncReport less its remote and commit. */
  report: string(),
}, "strip");
export type Quiet = Out<typeof quietCheck>;

/**
 * `files`: one line a file, `path\tlook\tsha256\tblob\tname\tsession\tclaude\torigin id\t
 * origin sha256\tforeign`, each text percent-encoded (one string, not 60,000 members: read and
 * checked in milliseconds).
 */
export const syncRecordCheck = object({
  root: string(),
  format: string(),
  files: string(),
  quiet: optional(array(quietCheck)),
}, "strip");
export type SyncRecord = Out<typeof syncRecordCheck>;

const SYNC_RECORD: CacheKind<SyncRecord> = {
  file: "sync.json",
  check: syncRecordCheck,
  maxBytes: 64 * 1024 * 1024,
};

/** The record this machine kept for this project, or null (none, or not one to use). */
export async function readSyncRecord(
  paths: ProjectPaths,
  format: ObjectFormat,
): Promise<SyncRecord | null> {
  const record = await cached(paths, SYNC_RECORD, () => true);
  return record !== null && record.root === paths.root && record.format === format ? record : null;
}

const enc = (text: string | undefined) => text === undefined ? "" : encodeURIComponent(text);
const dec = (text: string) => text === "" ? undefined : decodeURIComponent(text);
const HEX = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The files a record knows, by path and look; a line that does not parse is not known. */
export function knownFiles(paths: ProjectPaths, record: SyncRecord | null): KnownFiles & {
  size: number;
} {
  const lines = new Map<string, string>();
  if (record !== null) {
    for (const line of record.files.split("\n")) {
      const tab = line.indexOf("\t");
      if (tab > 0) lines.set(line.slice(0, tab), line);
    }
  }
  return {
    size: lines.size,
    get(file: string, look: Look): Identity | undefined {
      const line = lines.get(enc(relative(paths.base, file)));
      if (line === undefined) return undefined;
      try {
        const [, was, sha256, blob, name, session, claude, originId, originSha, foreign] = line
          .split("\t");
        if (was !== look || !/^[0-9a-f]{64}$/.test(sha256) || !HEX.test(blob)) return undefined;
        if (foreign !== "" && foreign !== "1") return undefined;
        const id = dec(originId);
        const origin = id !== undefined && /^[0-9a-f]{64}$/.test(originSha)
          ? { id, sha256: originSha }
          : undefined;
        return {
          sha256,
          blob,
          name: dec(name) ?? null,
          ...(origin ? { origin } : {}),
          ...(session ? { session: dec(session) } : {}),
          ...(claude ? { claudeSession: dec(claude) } : {}),
          ...(foreign === "1" ? { foreign: true as const } : {}),
        };
      } catch {
        return undefined;
      }
    },
  };
}

/** The files one run read or knew, known again at the same look (a problem is read again). */
export function knownFrom(local: LocalSide): KnownFiles {
  const byPath = new Map(local.files.map((f) => [f.file, f]));
  return {
    get(file: string, look: Look): Identity | undefined {
      const f = byPath.get(file);
      if (f === undefined || f.look !== look || f.problem !== undefined || f.blob === "") {
        return undefined;
      }
      const { sha256, blob, name, origin, session, claudeSession, foreign } = f;
      return {
        sha256,
        blob,
        name,
        ...(origin ? { origin } : {}),
        ...(session !== undefined ? { session } : {}),
        ...(claudeSession !== undefined ? { claudeSession } : {}),
        ...(foreign ? { foreign } : {}),
      };
    },
  };
}

/** The record's line of a file read without a problem; null for one that must be read again. */
function fileLine(paths: ProjectPaths, f: LocalFile): string | null {
  if (f.problem !== undefined || f.look === null || f.blob === "") return null;
  return [
    enc(relative(paths.base, f.file)),
    f.look,
    f.sha256,
    f.blob,
    enc(f.name ?? undefined),
    enc(f.session),
    enc(f.claudeSession),
    enc(f.origin?.id),
    f.origin?.sha256 ?? "",
    f.foreign ? "1" : "",
  ].join("\t");
}

/**
 * Whether the local side is exactly what the record knew: every file known at the same look, none
 * read, none more or fewer (a file gone would be imported again by a pull).
 */
export function sameLocal(local: LocalSide, known: { size: number }): boolean {
  return local.read === 0 && local.files.length === known.size;
}

/** sync.json's text as the record compares it. */
export function configStamp(text: string | undefined): string {
  return text === undefined ? "" : sha256Hex(new TextEncoder().encode(text));
}

/** How the vault's files look (names, sizes, times): a copy made or grown changes it. */
export async function vaultLook(paths: ProjectPaths): Promise<string> {
  const looks: string[] = [];
  try {
    for await (const entry of Deno.readDir(paths.vault)) {
      try {
        const info = Deno.lstatSync(join(paths.vault, entry.name));
        looks.push(`${entry.name}:${info.size}:${info.mtime?.getTime()}:${info.ino}`);
      } catch {
        looks.push(`${entry.name}:-`);
      }
    }
  } catch {
    return "";
  }
  return sha256Hex(new TextEncoder().encode(looks.sort().join("\n")));
}

const listedCheck = array(
  object({ kind: oneOf(KIND_NAMES), id: string(), reason: string() }, "strip"),
);
const copyListCheck = array(object({ id: string(), reason: string() }, "strip"));

/** What a push or pull that moved nothing answered: given again while nothing has changed. */
export const quietReportCheck = object({
  in_both: int("nonnegative"),
  excluded: listedCheck,
  held_back: listedCheck,
  refused: listedCheck,
  transcripts: object({
    moved: array(string()),
    incoming: array(string()),
    refused: copyListCheck,
    kept: copyListCheck,
  }, "strip"),
}, "strip");
export type QuietReport = Out<typeof quietReportCheck>;

/** The answer kept for `want`, when all it was made from is the same; else undefined. */
export function quietAnswer(
  record: SyncRecord | null,
  want: Omit<Quiet, "report">,
): QuietReport | undefined {
  const hit = record?.quiet?.find((q) =>
    q.op === want.op && q.remote === want.remote && q.commit === want.commit &&
    q.config === want.config && q.vault === want.vault
  );
  if (hit === undefined) return undefined;
  try {
    const checked = checkValue(quietReportCheck, JSON.parse(hit.report));
    return checked.ok ? checked.value : undefined;
  } catch {
    return undefined;
  }
}

/** What one sync knows before it looks: the record, and how readLocal is to use it. */
export interface Knowing {
  record: SyncRecord | null;
  known: ReturnType<typeof knownFiles>;
  format: ObjectFormat;
  /** sync.json as the record compares it. */
  config: string;
  /** How readLocal reads: the known files, and the reader (a test's, counting). */
  options: ReadLocalOptions;
}

/** Reads the record (when `fresh` is not asked) and makes readLocal's options of it. */
export async function knowLocal(
  paths: ProjectPaths,
  options: { reader?: FileReader } = {},
): Promise<Knowing> {
  const format = await objectFormat(paths.root);
  const record = await readSyncRecord(paths, format);
  const known = knownFiles(paths, record);
  const config = configStamp(await readTextIfExists(join(paths.base, "sync.json")));
  return {
    record,
    known,
    format,
    config,
    options: { known, format, ...(options.reader ? { reader: options.reader } : {}) },
  };
}

/** What a quiet answer for `op` at `commit` is kept against. */
export async function stampsFor(
  paths: ProjectPaths,
  knowing: Knowing,
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<Omit<Quiet, "report">> {
  return { op, remote, commit, config: knowing.config, vault: await vaultLook(paths) };
}

/**
 * The answer of the last `op` that moved nothing, when the remote's commit, every local file,
 * sync.json and the vault are as they were then; else undefined (the sync works it out).
 */
export async function quietFrom(
  paths: ProjectPaths,
  knowing: Knowing,
  local: LocalSide,
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<QuietReport | undefined> {
  if (knowing.record === null || !sameLocal(local, knowing.known)) return undefined;
  return quietAnswer(knowing.record, await stampsFor(paths, knowing, op, remote, commit));
}

/**
 * Keeps what this sync learned: the identities of `local`'s files and, for a push or pull that
 * moved nothing, its answer (`quiet`) beside the others' (one per operation and remote). Best
 * effort; nothing is written when nothing changed.
 */
export async function keepQuiet(
  paths: ProjectPaths,
  knowing: Knowing,
  local: LocalSide,
  quiet?: { stamps: Omit<Quiet, "report">; report: QuietReport },
): Promise<void> {
  const files = local.files.flatMap((f) => fileLine(paths, f) ?? []).join("\n");
  const previous = knowing.record;
  // Answers about other files are worth nothing: kept only while the files are the same.
  const same = previous !== null && previous.files === files;
  const others = same
    ? (previous.quiet ?? []).filter((q) =>
      quiet === undefined || q.op !== quiet.stamps.op || q.remote !== quiet.stamps.remote
    )
    : [];
  if (same && quiet === undefined) return;
  const answer = quiet && {
    ...quiet.stamps,
    report: JSON.stringify({
      in_both: quiet.report.in_both,
      excluded: quiet.report.excluded,
      held_back: quiet.report.held_back,
      refused: quiet.report.refused,
      transcripts: quiet.report.transcripts,
    }),
  };
  const list = answer === undefined ? others : [...others, answer];
  await keep(paths, SYNC_RECORD, {
    root: paths.root,
    format: knowing.format,
    files,
    quiet: list.slice(-8),
  });
}
