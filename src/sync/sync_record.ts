/**
 * What this machine knows from its last `mpm sync` (`.claude-mpm/cache/sync.json` and
 * `cache/sync-quiet.json`), so that a sync with nothing new does no more than git's own fetch:
 * - each local file's identity (sha256, git blob id, origin, name, the sessions it names) with how
 *   it looked on disk when it was read (local.ts `lookOf`): a file that looks the same is not read
 *   again, one that looks otherwise (or is new) is;
 * - the last answer of a push and a pull that moved nothing (the small `sync-quiet.json`), with
 *   what it was worked out from: the remote's commit, how the folders of the local files looked
 *   (`folderLook`), sync.json and the vault. A push or pull that finds all of them as they were
 *   gives that answer again after the fetch: it reads neither the remote's tree, nor the local
 *   files, nor the list of them. mpm writes every file by replacing it (a rename in its folder),
 *   so a folder that looks the same holds the same files; a file edited in place by hand is
 *   seen by the first sync that reads the files again (any new file, pause or pull).
 *
 * A cache by the store's rule (sessions/store/caches/cache.ts): sealed with this machine's key,
 * made by this mpm, checked when read and never trusted over the files. A record that is missing,
 * damaged, another machine's or another version's is ignored; the sync works everything out from
 * the files and keeps a new one.
 */
import { array, checkValue, int, object, oneOf, type Out, string } from "../kernel/check.ts";
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
import { folderLook, readLocal, recordedSide } from "./local.ts";
import { type ObjectFormat, objectFormat } from "../git/objects/work_file.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import type { Kind } from "./plan.ts";
import { KINDS } from "./kinds.ts";
import type { SeenRemote } from "./remote.ts";

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
  /** How the folders of the synced files looked before they were read (local.ts folderLook). */
  folders: string(),
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
  /**
   * The kinds read and how their folders looked before the files were read (`kinds|look`), when
   * every file of them is in `files` and the look was settled; else "". While the folders look
   * so, the record is the local side: nothing is listed or looked at.
   */
  whole: string(),
  /** The ids with files but no record of their own (a markdown-only session), `kind\tid` a line. */
  others: string(),
  /**
   * The remote commit the last complete pull took whole, as `remote\tkinds\tcommit` ("" when
   * none): the next pull lists only what changed since (remote.ts remoteSince).
   */
  pulled: string(),
  /** The ids the remote's tree held at that commit, `kind\tid` a line. */
  remote_ids: string(),
}, "strip");
export type SyncRecord = Out<typeof syncRecordCheck>;

const SYNC_RECORD: CacheKind<SyncRecord> = {
  file: "sync.json",
  check: syncRecordCheck,
  maxBytes: 64 * 1024 * 1024,
};

/** The answers of the last pushes and pulls that moved nothing: a small file, read on its own. */
const quietFileCheck = object({ root: string(), answers: array(quietCheck) }, "strip");

const SYNC_QUIET: CacheKind<Out<typeof quietFileCheck>> = {
  file: "sync-quiet.json",
  check: quietFileCheck,
  maxBytes: 16 * 1024 * 1024,
};

async function readQuiet(paths: ProjectPaths): Promise<Quiet[]> {
  const kept = await cached(paths, SYNC_QUIET, () => true);
  return kept !== null && kept.root === paths.root ? kept.answers : [];
}

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

/** One line of the record: its file (relative, encoded) and look, and the identity it gives. */
function parseLine(line: string): { path: string; look: Look; identity: Identity } | undefined {
  try {
    const [path, look, sha256, blob, name, session, claude, originId, originSha, foreign] = line
      .split("\t");
    if (!/^[0-9a-f]{64}$/.test(sha256) || !HEX.test(blob)) return undefined;
    if (foreign !== "" && foreign !== "1") return undefined;
    const id = dec(originId);
    const origin = id !== undefined && /^[0-9a-f]{64}$/.test(originSha)
      ? { id, sha256: originSha }
      : undefined;
    return {
      path,
      look,
      identity: {
        sha256,
        blob,
        name: dec(name) ?? null,
        ...(origin ? { origin } : {}),
        ...(session ? { session: dec(session) } : {}),
        ...(claude ? { claudeSession: dec(claude) } : {}),
        ...(foreign === "1" ? { foreign: true as const } : {}),
      },
    };
  } catch {
    return undefined;
  }
}

/** The files a record knows, by path and look; a line that does not parse is not known. */
export function knownFiles(paths: ProjectPaths, record: SyncRecord | null): KnownFiles & {
  size: number;
  /** Every file the record names, with its look and identity; undefined if a line is bad. */
  all(): { file: string; look: Look; identity: Identity }[] | undefined;
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
      const parsed = line === undefined ? undefined : parseLine(line);
      return parsed?.look === look ? parsed.identity : undefined;
    },
    all() {
      const out = [];
      for (const line of lines.values()) {
        const parsed = parseLine(line);
        const path = parsed && dec(parsed.path);
        if (parsed === undefined || path === undefined) return undefined;
        out.push({ file: join(paths.base, path), look: parsed.look, identity: parsed.identity });
      }
      return out;
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
  answers: Quiet[],
  want: Omit<Quiet, "report">,
): QuietReport | undefined {
  const hit = answers.find((q) =>
    q.op === want.op && q.remote === want.remote && q.commit === want.commit &&
    q.config === want.config && q.vault === want.vault && q.folders === want.folders
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
  /**
   * How the local files' folders looked before they were read (local.ts folderLook); null when a
   * folder had just changed: no quiet answer is then kept against it.
   */
  folders: string | null;
  /** How readLocal reads: the known files, and the reader (a test's, counting). */
  options: ReadLocalOptions;
  /** The kinds this sync reads. */
  kinds: Kind[];
  /** The local side as the record has it, when its folders look as they did (`whole`). */
  local?: LocalSide;
}

const pulledStamp = (remote: string, kinds: Kind[]) => `${remote}\t${kinds.join(",")}\t`;

/**
 * The remote as the last complete pull from `remote` of these kinds took it (its commit and ids),
 * or undefined: none kept, another remote's or other kinds', or a line that does not parse.
 */
export function seenRemote(knowing: Knowing, remote: string): SeenRemote | undefined {
  const record = knowing.record;
  const stamp = pulledStamp(remote, knowing.kinds);
  if (record === null || !record.pulled.startsWith(stamp)) return undefined;
  const commit = record.pulled.slice(stamp.length);
  if (!HEX.test(commit)) return undefined;
  const ids: SeenRemote["ids"] = { session: new Set(), checkpoint: new Set(), handoff: new Set() };
  for (const line of record.remote_ids.split("\n")) {
    if (line === "") continue;
    const [kind, id] = line.split("\t") as [Kind, string | undefined];
    if (!knowing.kinds.includes(kind) || id === undefined || !KINDS[kind].isId(id)) {
      return undefined;
    }
    ids[kind].add(id);
  }
  return { commit, ids };
}

/** The record's fields of a pull that took `seen` whole from `remote`. */
function pulledFields(knowing: Knowing, remote: string, seen: SeenRemote) {
  return {
    pulled: `${pulledStamp(remote, knowing.kinds)}${seen.commit}`,
    remote_ids: knowing.kinds.flatMap((kind) => [...seen.ids[kind]].map((id) => `${kind}\t${id}`))
      .join("\n"),
  };
}

async function configNow(paths: ProjectPaths): Promise<string> {
  return configStamp(await readTextIfExists(join(paths.base, "sync.json")));
}

/** Reads the record and makes readLocal's options of it; the folders' look is taken first. */
export async function knowLocal(
  paths: ProjectPaths,
  kinds: Kind[],
  options: { reader?: FileReader } = {},
): Promise<Knowing> {
  const look = folderLook(paths);
  const format = await objectFormat(paths.root);
  const record = await readSyncRecord(paths, format);
  const known = knownFiles(paths, record);
  const whole = look.settled ? `${kinds.join(",")}|${look.look}` : null;
  const local = record !== null && whole !== null && record.whole === whole
    ? recordedSide(paths, kinds, known.all(), record.others)
    : undefined;
  return {
    record,
    known,
    format,
    config: await configNow(paths),
    folders: look.settled ? look.look : null,
    options: { known, format, ...(options.reader ? { reader: options.reader } : {}) },
    kinds,
    ...(local ? { local } : {}),
  };
}

/** The local side: as the record has it (knowLocal), else read from the files. */
export async function localSide(paths: ProjectPaths, knowing: Knowing): Promise<LocalSide> {
  return knowing.local ?? await readLocal(paths, knowing.kinds, knowing.options);
}

/** What a quiet answer for `op` at `commit` is kept against. */
export async function stampsFor(
  paths: ProjectPaths,
  knowing: Knowing,
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<Omit<Quiet, "report">> {
  return {
    op,
    remote,
    commit,
    config: knowing.config,
    vault: await vaultLook(paths),
    folders: knowing.folders ?? "",
  };
}

/**
 * The answer of the last `op` that moved nothing, when the remote's commit, the local files'
 * folders, sync.json and the vault look as they did then; else undefined (the sync works it out).
 * Nothing else is read: not the record of the files, not the files, not their folders' lists.
 */
export async function quietFrom(
  paths: ProjectPaths,
  op: "push" | "pull",
  remote: string,
  commit: string,
): Promise<QuietReport | undefined> {
  const folders = folderLook(paths).look;
  const answers = await readQuiet(paths);
  if (!answers.some((q) => q.op === op && q.remote === remote && q.commit === commit)) {
    return undefined;
  }
  const [config, vault] = await Promise.all([configNow(paths), vaultLook(paths)]);
  return quietAnswer(answers, { op, remote, commit, config, vault, folders });
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
  pulled?: { remote: string; seen: SeenRemote },
): Promise<void> {
  const lines = local.files.map((f) => fileLine(paths, f));
  const files = lines.flatMap((line) => line ?? []).join("\n");
  const known = new Set(local.files.map((f) => `${f.kind}\t${f.id}`));
  const others = knowing.kinds.flatMap((kind) =>
    [...local.ids[kind]].flatMap((id) => known.has(`${kind}\t${id}`) ? [] : [`${kind}\t${id}`])
  ).join("\n");
  // Whole only when every file has its line and the folders' look before the read was settled.
  const whole = knowing.folders !== null && lines.every((line) => line !== null)
    ? `${knowing.kinds.join(",")}|${knowing.folders}`
    : "";
  const previous = knowing.record;
  const same = previous !== null && previous.files === files;
  // A complete pull's commit, else the one kept before (a push, or a pull cut short, keeps it).
  const seen = pulled !== undefined
    ? pulledFields(knowing, pulled.remote, pulled.seen)
    : { pulled: previous?.pulled ?? "", remote_ids: previous?.remote_ids ?? "" };
  if (
    !same || previous.whole !== whole || previous.others !== others ||
    previous.pulled !== seen.pulled || previous.remote_ids !== seen.remote_ids
  ) {
    await keep(paths, SYNC_RECORD, {
      root: paths.root,
      format: knowing.format,
      files,
      whole,
      others,
      ...seen,
    });
  }
  // Answers about other files are worth nothing: kept only while the files are the same.
  const before = await readQuiet(paths);
  const kept = same
    ? before.filter((q) =>
      quiet === undefined || q.op !== quiet.stamps.op || q.remote !== quiet.stamps.remote
    )
    : [];
  // A look taken while a folder was changing cannot vouch for the files: no answer kept against it.
  const answer = quiet !== undefined && knowing.folders !== null
    ? {
      ...quiet.stamps,
      report: JSON.stringify({
        in_both: quiet.report.in_both,
        excluded: quiet.report.excluded,
        held_back: quiet.report.held_back,
        refused: quiet.report.refused,
        transcripts: quiet.report.transcripts,
      }),
    }
    : undefined;
  if (answer === undefined && kept.length === before.length) return;
  const answers = answer === undefined ? kept : [...kept, answer];
  await keep(paths, SYNC_QUIET, { root: paths.root, answers: answers.slice(-8) });
}
