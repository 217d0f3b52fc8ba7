/**
 * The snapshots a sync record lacks, told without listing the store: when, of the folders a sync
 * reads, only the snapshots folder changed since the record was kept whole, and that folder's
 * index (sessions/store/listing) names the state the sync looked at, the index says which of its
 * records the record has no line of. Every mpm writer keeps that index as it writes there
 * (pause, a pull's imports; archive and migrate list the folder again), and a session's record is
 * written once under its id and never replaced (save_snapshot.ts claims it exclusively): a
 * record the sync record names is still the file it read. Anything else (a file put there by
 * hand, a look that does not parse, no index, a small store without one) leaves the index
 * stale or absent, and the sync lists the folders as before.
 *
 * Which records the record lacks is told by matching its lines against the index's ids, a part
 * at a time; or, when the record keeps the seal of the index it last equalled (`index`: its lines'
 * count, width and sha256), by the index's lines alone: an index whose last lines are that one's
 * (it sorts newest first, and a pause's snapshot is the newest) lacks the record only its first.
 */
import { join, sep } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  cacheFile,
  idAt,
  type IndexBytes,
  letterAt,
  readIndexBytes,
} from "../../sessions/store/listing/listing_cache.ts";
import { sha256HexAsync } from "../../kernel/hashing/checksum.ts";
import { linePath } from "./record_parts.ts";
import { type LocalFile, type LocalSide, readLocal, type ReadLocalOptions } from "./local.ts";

/** What the snapshots folder holds, as its index says, when only it changed since the record. */
export interface FolderNow {
  /** The ids with a record (`<id>.json`), as a record line's name has them (percent-encoded). */
  records: Set<string>;
  /** The ids with only a rendering, a claude-mpm file or a claimed checksum. */
  others: string[];
}

/**
 * The snapshots folder's index, when the record's look (`recorded`, the head's `whole`) and the
 * look now (`now`, settled) differ in that folder alone and it names the look now; else undefined.
 */
export async function indexNow(
  paths: ProjectPaths,
  recorded: string,
  now: string,
): Promise<IndexBytes | undefined> {
  const [kinds, look] = splitWhole(now);
  const [kindsBefore, lookBefore] = splitWhole(recorded);
  if (kinds !== kindsBefore || look.length !== lookBefore.length || look.length === 0) {
    return undefined;
  }
  // The snapshots folder comes first in a look (quiet/stamps.ts syncFolders), the rest as before.
  if (look[0] === lookBefore[0] || look.some((piece, i) => i > 0 && piece !== lookBefore[i])) {
    return undefined;
  }
  const [type, mtime, ctime, ino] = look[0].split(":");
  const stamp = { mtime: Number(mtime), ctime: Number(ctime), ino: Number(ino) };
  if (type !== "d" || Object.values(stamp).some((n) => !Number.isSafeInteger(n))) return undefined;
  // Read against the look the sync took: an index of a later state is not this one.
  return await readIndexBytes(cacheFile(paths, "sessions"), paths.sessions, stamp)
    .catch(() => null) ?? undefined;
}

/** The folder as `index` has it: one string an id, no column of the store held beside it. */
export function folderOf(index: IndexBytes): FolderNow {
  const held: FolderNow = { records: new Set(), others: [] };
  for (let i = 0; i < index.count; i++) {
    const id = idAt(index, i);
    if (letterAt(index, i) === "j") held.records.add(encodeURIComponent(id));
    else held.others.push(id);
  }
  return held;
}

/** An index's seal (the record's `index`): how many lines, how wide, and their sha256. */
export async function sealOf(index: IndexBytes): Promise<string> {
  const body = index.bytes.subarray(index.start, index.start + index.count * index.width);
  return `${index.count}\t${index.width}\t${await sha256HexAsync(body)}`;
}

/**
 * The ids of `index`'s records before the lines `seal` names, when its last lines are those (the
 * record equalled them) and each id before them without a record is one of `others` (`kind\tid`
 * lines); undefined otherwise (the record's lines are matched instead).
 */
export async function sealedAhead(
  index: IndexBytes,
  seal: string,
  others: string,
): Promise<string[] | undefined> {
  const [count, width, sha256] = seal.split("\t");
  const then = Number(count);
  if (!Number.isSafeInteger(then) || Number(width) !== index.width || then > index.count) {
    return undefined;
  }
  const ahead = index.count - then;
  const from = index.start + ahead * index.width;
  const below = index.bytes.subarray(from, from + then * index.width);
  if (await sha256HexAsync(below) !== sha256) return undefined;
  const kept = new Set(others.split("\n"));
  const ids: string[] = [];
  for (let i = 0; i < ahead; i++) {
    const id = idAt(index, i);
    if (letterAt(index, i) === "j") ids.push(id);
    else if (!kept.has(`session\t${id}`)) return undefined;
  }
  return ids;
}

const splitWhole = (whole: string): [string, string[]] => {
  const bar = whole.indexOf("|");
  return bar < 0 ? ["", []] : [whole.slice(0, bar), whole.slice(bar + 1).split("/")];
};

/**
 * The ids of the folder's records the record has no line of, given its lines' paths (`named`, a
 * part's at a time; null: a part that does not read) and the ids it keeps as others (`kind\tid`
 * lines); undefined when a part does not read, it names a record that is gone (or twice), or the
 * folder holds an id it knows nothing of (the sync then lists the folders). Only the folder's
 * ids are held, and used up (`folder.records` loses each as it is matched); each part's paths
 * are let go once matched.
 */
export async function unnamed(
  paths: ProjectPaths,
  folder: FolderNow,
  named: AsyncIterable<readonly string[] | null>,
  others: string,
): Promise<string[] | undefined> {
  const kept = new Set(others.split("\n"));
  if (folder.others.some((id) => !kept.has(`session\t${id}`))) return undefined;
  // The folder's own path as a line names it (percent-encoded, as each of its names is).
  const prefix = linePath(paths, join(paths.sessions, "x")).slice(0, -1);
  const below = encodeURIComponent(sep);
  const pending = folder.records;
  for await (const part of named) {
    if (part === null) return undefined;
    for (const path of part) {
      const name = path.startsWith(prefix) ? path.slice(prefix.length) : "";
      // A line of a file in the folder itself (archive/ is a folder of its own in it).
      if (name === "" || name.includes(below)) continue;
      if (!name.endsWith(".json") || !pending.delete(name.slice(0, -".json".length))) {
        return undefined;
      }
    }
  }
  return [...pending].map(decodeURIComponent);
}

/**
 * The records of the snapshots folder the record (its head's `whole`, `others` and `index`, and
 * `named`, its lines' paths, read only when needed) has no line of, read and checked as any sync
 * reads a file, and the seal of the index they were told by (the record equals it once they are
 * added); undefined when the folders must be listed instead (indexNow, unnamed).
 */
export async function readGrown(
  paths: ProjectPaths,
  recorded: { whole: string; others: string; index: string },
  now: string,
  named: () => AsyncIterable<readonly string[] | null>,
  options: ReadLocalOptions,
): Promise<{ files: LocalFile[]; seal: string } | undefined> {
  const index = await indexNow(paths, recorded.whole, now);
  if (index === undefined) return undefined;
  const ids =
    (recorded.index === ""
      ? undefined
      : await sealedAhead(index, recorded.index, recorded.others)) ??
      await unnamed(paths, folderOf(index), named(), recorded.others);
  if (!ids) return undefined;
  const names = ids.map((id) => `${id}.json`);
  const { each: _, known: __, ...reading } = options;
  const read = await readLocal(paths, ["session"], {
    ...reading,
    only: { dir: paths.sessions, names },
  });
  return { files: read.files, seal: await sealOf(index) };
}

/** `side` (the record's) with the files readGrown read, held as the side holds its own. */
export function withGrown(side: LocalSide, grown: readonly LocalFile[]): LocalSide {
  side.read += grown.length;
  for (const file of grown) {
    if (side.index?.wanted?.has(`${file.kind}\0${file.id}`) !== false) {
      side.ids[file.kind].add(file.id);
    }
    if (side.index === undefined) side.files.push(file);
    else {
      // As indexedSide holds them (sync_record.ts): those with a problem have no line.
      if (file.problem) side.files.push(file);
      side.index.addFile(file);
    }
  }
  return side;
}
