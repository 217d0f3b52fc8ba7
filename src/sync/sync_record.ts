/**
 * What this machine knows from its last `mpm sync` (`.claude-mpm/cache/sync.json` and
 * `cache/sync-quiet.json`), so that a sync with nothing new does no more than git's own fetch:
 * - each local file's identity (sha256, git blob id, origin, name, the sessions it names) with how
 *   it looked on disk when it was read (local.ts `lookOf`): a file that looks the same is not read
 *   again, one that looks otherwise (or is new) is;
 * - the last answer of a push and a pull that moved nothing (the small `sync-quiet.json`,
 *   quiet/quiet_answer.ts), with what it was worked out from: the remote's commit, how the folders
 *   of the local files looked (`folderLook`), sync.json and the vault. A push or pull that finds
 *   all of them as they were gives that answer again after the fetch: it reads neither the
 *   remote's tree, nor the local files, nor the list of them. mpm writes every file by replacing
 *   it (a rename in its folder), so a folder that looks the same holds the same files; after a
 *   pause, the snapshots folder's index names the new ones (grown.ts). A file edited in place by
 *   hand is seen by the first sync that lists the folders again (after a file mpm did not write).
 *
 * A cache by the store's rule (sessions/store/caches/cache.ts): sealed with this machine's key,
 * made by this mpm, checked when read and never trusted over the files. A record that is missing,
 * damaged or another machine's is ignored, and so is another mpm's but by a pull or push
 * (readHead); the sync works everything out from the files and keeps a new one.
 */
import { array, number, object, type Out, string, withDefault } from "../kernel/check.ts";
import { sha256Hex, sha256HexAsync } from "../kernel/hashing/checksum.ts";
import { join } from "../kernel/path.ts";
import {
  type CacheKind,
  dropCacheParts,
  keep,
  keptBy,
  madeBy,
} from "../sessions/store/caches/cache.ts";
import type { ProjectPaths } from "../disk/paths.ts";
import type {
  FileReader,
  Identity,
  KnownFiles,
  LocalFile,
  LocalSide,
  Look,
  ReadLocalOptions,
  RecordedFile,
} from "./local/local.ts";
import { LocalIndex, readLocal, recordedSide } from "./local/local.ts";
import { configNow, folderLook } from "./quiet/stamps.ts";
import { keepAnswer, type KeptAnswer } from "./quiet/quiet_answer.ts";
import { readGrown, withGrown } from "./local/grown.ts";
import { type ObjectFormat, objectFormat } from "../git/objects/work_file.ts";
import type { Kind } from "./plan/plan.ts";
import { KINDS } from "./plan/kinds.ts";
import type { SeenRemote } from "./remote/remote.ts";
import { byKind, IdLines, type IdPart } from "./plan/id_lines.ts";
import {
  appendParts,
  entryOf,
  fileLine,
  HEX,
  LINE_LAYOUT,
  linePath,
  nextParts,
  parseLine,
  PART_LINES,
  partMayName,
  partSpan,
  pathOf,
  spanMayName,
} from "./local/record_parts.ts";
import { readTextIfExistsSync } from "../disk/read/read.ts";
import { lstatIfExistsSync } from "../disk/read/stat.ts";
import { writeCache } from "../disk/files/atomic.ts";

/**
 * The record's head (`sync.json`). The files it knows are in parts (`sync-files/<n>.json`, one
 * line a file, `path\tlook\tsha256\tblob\tname\tsession\tclaude\torigin id\torigin sha256\t
 * foreign`, each text percent-encoded; at most PART_LINES lines a part: record_parts.ts): a sync
 * rewrites only the parts whose lines changed, and a pull that imports 100 files into a store of
 * 60,000 adds them to the last part, not the whole record again. `parts` names each part's tag (the sha256 of its
 * lines) in order: a part whose tag is not the head's (missing, damaged, written by a sync that
 * stopped before its head) makes the whole record unknown, and the sync lists the files anew.
 */
export const syncRecordCheck = object({
  root: string(),
  format: string(),
  parts: array(string()),
  /**
   * Each part's span (record_parts.ts partSpan: the least and greatest file name it names, and whether
   * one was renamed on arrival): a pull of what changed reads only the parts that may name it.
   */
  spans: array(string()),
  /**
   * The kinds read and how their folders looked before the files were read (`kinds|look`), when
   * every file of them is in the parts and the look was settled; else "". While the folders look
   * so, the record is the local side: nothing is listed or looked at.
   */
  whole: string(),
  /** The ids with files but no record of their own (a markdown-only session), `kind\tid` a line. */
  others: string(),
  /** The seal of the snapshots folder's index the record equals at its look, or "" (grown.ts). */
  index: withDefault(string(), ""),
  /**
   * The remote commit the last complete pull took whole, as `remote\tkinds\tcommit` ("" when
   * none): the next pull lists only what changed since (remote.ts remoteSince).
   */
  pulled: string(),
  /**
   * The ids the remote's tree held at that commit: its parts (`sync-remote/<n>.txt`, `kind\tid`
   * lines, sorted) as `n\tsha256\tfirst line` each (id_lines.ts), and how many of each kind.
   */
  remote_ids: array(string()),
  remote_sizes: array(number),
  /** Those of the ids with no record that passed its checks (a checksum alone), `kind\tid` a line. */
  lacking: string(),
  /** How the parts' lines are laid out (LINE_LAYOUT). */
  layout: number,
  /**
   * The mpm whose checks the files with lines passed (cache.ts madeBy): a pull, which sends
   * nothing, takes an older one's lines for what the files are; a push too, but checks again each
   * file it sends, a newer mpm holding back what an older one let through (push.ts); `status`
   * takes only its own (readHead).
   */
  checked: string(),
}, "strip");
type RecordHead = Out<typeof syncRecordCheck>;
/** The head with its parts' lines, as read. */
export type SyncRecord = Omit<RecordHead, "parts"> & { parts: { tag: string; files: string }[] };

const SYNC_RECORD: CacheKind<RecordHead> = {
  file: "sync.json",
  check: syncRecordCheck,
  maxBytes: 64 * 1024 * 1024,
};

const partCheck = object({ root: string(), tag: string(), files: string() }, "strip");

function partKind(n: number): CacheKind<Out<typeof partCheck>> {
  return { file: `sync-files/${n}.json`, check: partCheck, maxBytes: 16 * 1024 * 1024 };
}

/**
 * The record's head, when it is this project's, in this object format and layout, and its lines
 * passed this mpm's checks; `older`: another mpm's lines too, for what the files are (a pull
 * sends nothing; a push checks again each file it sends: push.ts). A sync after an upgrade then
 * reads no file the record knows.
 */
async function readHead(
  paths: ProjectPaths,
  format: ObjectFormat,
  older: boolean,
): Promise<RecordHead | null> {
  const kept = await keptBy(
    paths,
    SYNC_RECORD,
    (head) => head.root === paths.root && head.format === format && head.layout === LINE_LAYOUT,
  );
  if (kept === null) return null;
  const own = kept.by === madeBy() && kept.value.checked === madeBy();
  return own || older ? kept.value : null;
}

/**
 * The head's parts, one read at a time; null for one that is not the head names (and stops).
 * `skip`: the parts not read, given with no lines.
 */
async function* partsOf(paths: ProjectPaths, head: RecordHead, skip?: (n: number) => boolean) {
  for (const [n, tag] of head.parts.entries()) {
    if (skip?.(n)) {
      yield { tag, files: "" };
      continue;
    }
    // Whichever mpm kept it: the head names its lines by their sha256.
    const kept = await keptBy(paths, partKind(n), (p) => p.tag === tag && p.root === paths.root);
    const part = kept?.value ?? null;
    yield part === null ? null : { tag, files: part.files };
    if (part === null) return;
  }
}

/** The record of `head` with its parts' lines, or null (a part not the one it names). */
async function withParts(paths: ProjectPaths, head: RecordHead): Promise<SyncRecord | null> {
  const parts: SyncRecord["parts"] = [];
  for await (const part of partsOf(paths, head)) {
    if (part === null) return null;
    parts.push(part);
  }
  return { ...head, parts };
}

/** The files a record knows, by path and look; a line that does not parse is not known. */
export function knownFiles(paths: ProjectPaths, record: SyncRecord | null): KnownFiles & {
  size: number;
  /**
   * Every file the record names, with its look and identity, one at a time (a store of 60,000 is
   * never held twice over); undefined for a line that is bad, which spoils the whole.
   */
  all(): Iterable<RecordedFile | undefined>;
} {
  const lines = new Map<string, string>();
  for (const part of record?.parts ?? []) {
    for (const line of part.files.split("\n")) {
      const tab = line.indexOf("\t");
      if (tab > 0) lines.set(line.slice(0, tab), line);
    }
  }
  return {
    size: lines.size,
    get(file: string, look: Look): Identity | undefined {
      const line = lines.get(linePath(paths, file));
      const parsed = line === undefined ? undefined : parseLine(line);
      return parsed?.look === look ? parsed.identity : undefined;
    },
    *all() {
      for (const line of lines.values()) yield entryOf(paths, line);
    },
  };
}

/** The ids with files but no record of their own (`others`), `kind\tid` a line. */
function othersOf(kinds: Kind[], local: LocalSide): string {
  const known = new Set(local.files.map((f) => `${f.kind}\t${f.id}`));
  return kinds.flatMap((kind) =>
    [...local.ids[kind]].flatMap((id) => known.has(`${kind}\t${id}`) ? [] : [`${kind}\t${id}`])
  ).join("\n");
}

/** What one sync knows before it looks: the record, and how readLocal is to use it. */
export interface Knowing {
  paths: ProjectPaths;
  record: SyncRecord | null;
  known: ReturnType<typeof knownFiles>;
  format: ObjectFormat;
  /** sync.json as the record compares it. */
  config: string;
  /**
   * How the local files' folders looked before they were read (quiet/stamps.ts folderLook); null when a
   * folder had just changed: no quiet answer is then kept against it.
   */
  folders: string | null;
  /** How readLocal reads: the known files, and the reader (a test's, counting). */
  options: ReadLocalOptions;
  /** The kinds this sync reads. */
  kinds: Kind[];
  /** The local side as the record has it, when its folders look as they did (`whole`). */
  local?: LocalSide;
  /** A pull's record that is the local side, read by localSide once it knows what it asks of. */
  lean?: RecordHead;
  /** A pull's: the files, when they are read, are held as a LocalIndex and lines (indexedSide). */
  indexed?: true;
  /** The mpm whose checks the record's lines passed; this one's when there is no record. */
  checked: string;
  /** The snapshots the record had no line of, read (grown.ts): their lines are added to it. */
  grown?: LocalFile[];
  /** The seal of the index they were told by: the record with them equals it. */
  sealed?: string;
}

const pulledStamp = (remote: string, kinds: Kind[]) => `${remote}\t${kinds.join(",")}\t`;

/**
 * The remote as the last complete pull from `remote` of these kinds took it (its commit and ids),
 * or undefined: none kept, another remote's or other kinds', or a line that does not parse.
 */
export function seenRemote(
  knowing: Knowing,
  remote: string,
  local?: LocalSide,
): SeenRemote | undefined {
  const record = knowing.record;
  const stamp = pulledStamp(remote, knowing.kinds);
  if (record === null || !record.pulled.startsWith(stamp)) return undefined;
  // A file the record named is gone: what both held then is no longer what they hold.
  if (local !== undefined && lostFrom(knowing.paths, record, local)) return undefined;
  const commit = record.pulled.slice(stamp.length);
  if (!HEX.test(commit)) return undefined;
  const ids = IdLines.kept(
    record.remote_ids,
    record.remote_sizes,
    knowing.kinds,
    (kind, id) => KINDS[kind].isId(id),
    (part) => readIdPart(knowing.paths, part),
  );
  const lacking = new Set(record.lacking.split("\n").filter(Boolean));
  return ids && { commit, ids: byKind(ids), lacking };
}

/** Whether a file `record` names is not among `local`'s and `added` (their lines' paths). */
function lostFrom(
  paths: ProjectPaths,
  record: SyncRecord | null,
  local: LocalSide,
  added: LocalFile[] = [],
): boolean {
  if (record === null) return false;
  const held = new Set([...local.files, ...added].map((f) => linePath(paths, f.file)));
  for (const part of local.parts ?? []) {
    for (const line of part.split("\n")) held.add(pathOf(line));
  }
  return record.parts.some((p) => p.files.split("\n").some((l) => l && !held.has(pathOf(l))));
}

const idPartFile = (paths: ProjectPaths, n: number) =>
  join(paths.base, "cache", "sync-remote", `${n}.txt`);

/** A part of the remote's ids, when its file holds the lines its tag names. */
function readIdPart(paths: ProjectPaths, part: IdPart): string | undefined {
  const file = idPartFile(paths, part.n);
  if (!lstatIfExistsSync(file)?.isFile) return undefined;
  const text = readTextIfExistsSync(file, 1024 * 1024);
  return text !== undefined && sha256Hex(text) === part.tag ? text : undefined;
}

const NOT_PULLED = { pulled: "", remote_ids: [], remote_sizes: [], lacking: "", write: [] };

/**
 * The record's fields of a pull that took `seen` whole from `remote`, and the parts of its ids to
 * write; a part that did not read leaves no commit kept (the next pull lists the remote whole).
 */
function pulledFields(knowing: Knowing, remote: string, seen: SeenRemote) {
  const ids = seen.ids.lines.write();
  if (ids === undefined) return NOT_PULLED;
  return {
    pulled: `${pulledStamp(remote, knowing.kinds)}${seen.commit}`,
    remote_ids: ids.parts,
    remote_sizes: ids.sizes,
    lacking: [...seen.lacking].sort().join("\n"),
    write: ids.changed,
  };
}

/**
 * Reads the record and makes readLocal's options of it; the folders' look is taken first. `lean`
 * (a pull's): a record that is the local side is read a part at a time into a LocalIndex, its
 * parts' text let go but the last one's (which a pull's imports are added to); `"push"`: so too,
 * but files not in the record are read as LocalFiles (push.ts asks recordFiles for its sources).
 * A pull's, or one `older` (a push's), takes another mpm's record (readHead).
 */
export async function knowLocal(
  paths: ProjectPaths,
  kinds: Kind[],
  options: { reader?: FileReader; lean?: boolean | "push"; older?: boolean } = {},
): Promise<Knowing> {
  const look = folderLook(paths);
  const format = await objectFormat(paths.root);
  const whole = look.settled ? `${kinds.join(",")}|${look.look}` : null;
  const leanAsked = options.lean === true || options.lean === "push";
  const head = await readHead(paths, format, leanAsked || options.older === true);
  const reader = options.reader ? { reader: options.reader } : {};
  // Or is, with the snapshots written since, which are read (grown.ts).
  const read = head !== null && whole !== null && head.whole !== whole && head.whole !== ""
    ? await readGrown(paths, head, whole, () => linePaths(paths, head), { format, ...reader })
    : undefined;
  const grown = read?.files;
  // A record that is the local side is read a part at a time, its parts' text let go but the
  // last one's (which a pull's imports are added to); a pull's, once it knows what it asks of.
  const isSide = head !== null && whole !== null && (head.whole === whole || grown !== undefined);
  const lean = isSide && leanAsked ? head : undefined;
  const side = isSide && !lean ? await sideOf(paths, kinds, head!, false, grown) : undefined;
  const record = lean
    ? { ...lean, parts: lean.parts.map((tag) => ({ tag, files: "" })) }
    : side?.record ?? (head === null ? null : await withParts(paths, head));
  const known = knownFiles(paths, side === undefined && !lean ? record : null);
  const local = side?.local;
  return {
    paths,
    record,
    known,
    format,
    config: await configNow(paths),
    folders: look.settled ? look.look : null,
    options: { known, format, ...reader },
    kinds,
    ...(read ? { grown: read.files, sealed: read.seal } : {}),
    checked: head?.checked ?? madeBy(),
    ...(local ? { local } : {}),
    ...(lean ? { lean } : {}),
    ...(options.lean === true ? { indexed: true as const } : {}),
  };
}

/**
 * The record and the side it is, read a part at a time; `lean`: held as a LocalIndex (a pull's),
 * else as a LocalFile each (only those `keep` takes). Undefined when a part or a line of it does
 * not serve.
 */
export async function sideOf(
  paths: ProjectPaths,
  kinds: Kind[],
  head: RecordHead,
  lean: boolean,
  grown?: readonly LocalFile[],
  wanted?: ReadonlySet<string>,
  keep?: (file: LocalFile) => boolean,
) {
  const parts: SyncRecord["parts"] = [];
  let whole = true;
  // A pull's, of what changed: a part whose span names none of it is not read, but the last (its
  // imports are added to it).
  const spans = head.spans.length === head.parts.length ? head.spans : [];
  const skip = (n: number) =>
    wanted !== undefined && n < head.parts.length - 1 && !spanMayName(spans[n], wanted);
  async function* entries() {
    for await (const part of partsOf(paths, head, skip)) {
      if (part === null) {
        whole = false;
        return;
      }
      const last = parts.length === head.parts.length - 1;
      parts.push({ tag: part.tag, files: last ? part.files : "" });
      if (wanted !== undefined && !partMayName(part.files, wanted)) continue;
      for (const line of part.files.split("\n")) {
        if (line.includes("\t")) yield entryOf(paths, line);
      }
    }
  }
  const index = lean ? new LocalIndex(wanted) : undefined;
  const local = await recordedSide(paths, kinds, entries(), head.others, index, keep);
  if (!whole || local === undefined) return undefined;
  return { record: { ...head, parts }, local: withGrown(local, grown ?? []) };
}

/** The paths the record's lines name (their first field), a part at a time; null: one not read. */
async function* linePaths(paths: ProjectPaths, head: RecordHead) {
  for await (const part of partsOf(paths, head)) {
    yield part === null ? null : part.files.split("\n").filter((line) => line !== "").map(pathOf);
  }
}

/**
 * The local side: as the record has it (knowLocal), else read from the files. A pull's (`lean`)
 * holds only the files `wanted` names (`kind\0id`; all when undefined), and may be asked again
 * for more.
 */
export async function localSide(
  paths: ProjectPaths,
  knowing: Knowing,
  wanted?: ReadonlySet<string>,
): Promise<LocalSide> {
  if (knowing.lean) {
    const side = await sideOf(paths, knowing.kinds, knowing.lean, true, knowing.grown, wanted);
    if (side !== undefined) {
      [knowing.record, knowing.local] = [side.record, side.local];
      return side.local;
    }
    // A part that does not serve: the files are listed, known by the parts that do.
    knowing.record = await withParts(paths, knowing.lean);
    knowing.known = knowing.options.known = knownFiles(paths, knowing.record);
    delete knowing.lean;
  }
  if (knowing.local) return knowing.local;
  return knowing.indexed
    ? await indexedSide(paths, knowing)
    : await readLocal(paths, knowing.kinds, knowing.options);
}

/**
 * The local side read from the files (readLocal) as a pull holds it: each file's identity in a
 * LocalIndex and its record line (what keepQuiet writes), never a LocalFile each but those with
 * a problem, which have no line.
 */
async function indexedSide(paths: ProjectPaths, knowing: Knowing): Promise<LocalSide> {
  const index = new LocalIndex();
  const [parts, lines, problems]: [string[], string[], LocalFile[]] = [[], [], []];
  const withFile = knowing.kinds.map(() => new Set<string>());
  const each = (file: LocalFile) => {
    withFile[knowing.kinds.indexOf(file.kind)].add(file.id);
    const line = fileLine(paths, file);
    if (line === null) problems.push(file);
    else if (lines.push(line) === PART_LINES) parts.push(lines.splice(0).join("\n"));
    index.addFile(file);
  };
  const side = await readLocal(paths, knowing.kinds, { ...knowing.options, each });
  if (lines.length > 0) parts.push(lines.join("\n"));
  const others = knowing.kinds.flatMap((kind, n) =>
    [...side.ids[kind]].flatMap((id) => withFile[n].has(id) ? [] : [`${kind}\t${id}`])
  ).join("\n");
  return { ...side, files: problems, index, parts, others };
}

/** `made`'s parts, every one of them to be written. */
const everyPart = (made: ReturnType<typeof appendParts>) => ({
  parts: made.parts,
  changed: [...made.parts.keys()],
});

/** What keepQuiet keeps besides the identities of the local side's files. */
export interface Learned {
  /**
   * A push or pull that moved nothing: its answer, given again while nothing changes; one that
   * moved: the answers of the syncs after it that it knows (push.ts, pull.ts).
   */
  quiet?: KeptAnswer[];
  /** A complete pull: the remote as it took it whole. */
  pulled?: { remote: string; seen: SeenRemote };
  /** The files a pull imported, known from what it wrote. */
  added?: LocalFile[];
  /**
   * The folders' look once a pull's writes were in (quiet/stamps.ts lookAfterWriting), vouched for
   * instead of the one taken before the read; null when none can be.
   */
  after?: string | null;
}

/**
 * Keeps what this sync learned: the identities of `local`'s files and, for a push or pull that
 * moved nothing, its answer beside the others' (one per operation and remote). Best effort;
 * nothing is written when nothing changed. True when the answer was kept (the door may take it).
 */
export async function keepQuiet(
  paths: ProjectPaths,
  knowing: Knowing,
  local: LocalSide,
  { quiet, pulled, added, after }: Learned = {},
): Promise<boolean> {
  const previous = knowing.record;
  // The side the record had whole is the record's lines: a pull's imports are added to its parts,
  // and the store's other files are neither made into lines again nor compared.
  const appended = previous !== null && local === knowing.local
    ? [...knowing.grown ?? [], ...added ?? []].map((f) => fileLine(paths, f))
    : undefined;
  // A side read into parts (indexedSide) with no record to keep parts of: its parts are the
  // record's, a pull's imports added to them; else the lines are made again and compared.
  const cut = appended === undefined && previous === null ? local.parts : undefined;
  const lines = appended ?? [
    ...cut === undefined ? local.parts?.flatMap((part) => part.split("\n")) ?? [] : [],
    ...[...local.files, ...added ?? []].map((f) => fileLine(paths, f)),
  ];
  const others = appended !== undefined
    ? previous!.others
    : local.others ?? othersOf(knowing.kinds, local);
  // Whole only when every file has its line and the folders' look before the read was settled
  // (or, after a pull's writes, the look they left can be vouched for).
  const folders = after === undefined ? knowing.folders : knowing.folders === null ? null : after;
  const whole = folders !== null && lines.every((line) => line !== null)
    ? `${knowing.kinds.join(",")}|${folders}`
    : "";
  const present = lines.flatMap((line) => line ?? []);
  // The index the record equals (grown.ts): the one its new snapshots were told by, or as before
  // when none came; none once a pull's imports or a reading of the files made the lines.
  const index = whole === "" || appended === undefined || added?.length || after !== undefined
    ? ""
    : knowing.sealed ?? (knowing.grown === undefined ? previous!.index : "");
  const next = appended !== undefined
    ? appendParts(previous!.parts, present)
    : cut !== undefined
    ? everyPart(appendParts(cut.map((files) => ({ tag: "", files })), present))
    : nextParts(previous?.parts ?? [], present);
  const same = previous !== null && next.changed.length === 0 &&
    next.parts.length === previous.parts.length;
  // A complete pull's commit, else the one kept before (a push, or a pull cut short, keeps it);
  // none once a file the record named is gone: the next pull lists the remote whole.
  const lost = appended === undefined && lostFrom(paths, previous, local, added);
  const { write, ...seen } = lost
    ? NOT_PULLED
    : pulled !== undefined
    ? pulledFields(knowing, pulled.remote, pulled.seen)
    : {
      pulled: previous?.pulled ?? "",
      remote_ids: previous?.remote_ids ?? [],
      remote_sizes: previous?.remote_sizes ?? [],
      lacking: previous?.lacking ?? "",
      write: [],
    };
  if (
    !same || previous.whole !== whole || previous.others !== others || previous.index !== index ||
    previous.pulled !== seen.pulled || `${previous.remote_ids}` !== `${seen.remote_ids}` ||
    `${previous.remote_sizes}` !== `${seen.remote_sizes}` || previous.lacking !== seen.lacking
  ) {
    // The parts first, then the head that names them: a sync stopped between the two leaves a
    // head whose parts do not match it, which is no record.
    for (const { n, text } of write) {
      await writeCache(idPartFile(paths, n), text, { root: paths.base }).catch(() => {});
    }
    for (const n of next.changed) {
      const part = next.parts[n];
      part.tag = await sha256HexAsync(part.files);
      await keep(paths, partKind(n), { root: paths.root, ...part });
    }
    await keep(paths, SYNC_RECORD, {
      root: paths.root,
      format: knowing.format,
      parts: next.parts.map((p) => p.tag),
      spans: next.parts.map((p, n) =>
        next.changed.includes(n) ? partSpan(p.files) : previous?.spans[n] ?? ""
      ),
      whole,
      others,
      index,
      ...seen,
      layout: LINE_LAYOUT,
      checked: knowing.checked,
    });
    // One racing another may lose a part the other's head names: that head is then no record
    // (listed whole).
    await dropCacheParts(paths, "sync-files", ".json", next.parts.map((_, n) => n));
    const ids = seen.remote_ids.map((line) => Number(line.slice(0, line.indexOf("\t"))));
    await dropCacheParts(paths, "sync-remote", ".txt", ids);
  }
  // A look taken while a folder was changing cannot vouch for the files: no answer kept against it.
  const kept = knowing.folders !== null ? quiet ?? [] : [];
  await keepAnswer(paths, same, kept);
  return kept.length > 0;
}
