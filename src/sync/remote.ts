/**
 * The remote's side of `mpm sync`: the files in a commit of `refs/mpm/sessions`, each verified
 * (checksum, schema, id) before it counts. A file byte-identical to the local one of the same id
 * is not read at all: its blob id says so; a file larger than any record mpm writes is refused
 * from the tree listing's size, before it is read.
 */
import { MpmError } from "../kernel/errors.ts";
import { KINDS, verifyFile } from "./kinds.ts";
import { type Kind, parseTreePath, type SyncItem, treePath } from "./plan.ts";
import { blobId, listTree, readBlobs, type TreeEntry } from "./refs.ts";
import type { LocalSide } from "./local.ts";

export interface RemoteFile extends SyncItem {
  kind: Kind;
  /** The verified text and decoded record; empty for a file identical to the local one. */
  text: string;
  record: unknown;
  /**
   * Whether `text` is exactly the bytes `sha256` was taken of, so it need not be hashed again
   * (false when decoding dropped a byte-order mark).
   */
  exact?: boolean;
}

export interface RemoteSide {
  /** Names the remote's files in messages. */
  name: string;
  entries: TreeEntry[];
  /** Files that passed every check. */
  files: RemoteFile[];
  refused: { kind: Kind; id: string; reason: string }[];
  /** Every id with some file in the tree, verified or not. */
  ids: Record<Kind, Set<string>>;
}

interface Pair {
  kind: Kind;
  id: string;
  json?: string;
  sha256?: string;
  /** The `.json` blob's size, as the tree listing gives it. */
  size?: number;
}

/**
 * The largest record a pull imports. A pause takes at most 1 MiB of text per input (sessions/
 * input.ts); four times that leaves room for every field, and bounds what a forged file can
 * make a pull write (the record and its two renderings).
 */
export const MAX_IMPORTED_RECORD_BYTES = 4 * 1024 * 1024;

export async function readRemote(
  root: string,
  commit: string | null,
  local: LocalSide,
  kinds: Kind[],
  name = "remote",
): Promise<RemoteSide> {
  const side: RemoteSide = {
    name,
    entries: [],
    files: [],
    refused: [],
    ids: { session: new Set(), checkpoint: new Set() },
  };
  if (commit === null) return side;
  side.entries = await listTree(root, commit);
  const pairs = new Map<string, Pair>();
  for (const entry of side.entries) {
    const file = parseTreePath(entry.path);
    if (!file || entry.type !== "blob" || !kinds.includes(file.kind)) continue;
    if (!KINDS[file.kind].isId(file.id)) continue;
    side.ids[file.kind].add(file.id);
    const key = `${file.kind}/${file.id}`;
    const pair = pairs.get(key) ?? { kind: file.kind, id: file.id };
    pair[file.part] = entry.sha;
    if (file.part === "json") pair.size = entry.size;
    pairs.set(key, pair);
  }
  const mine = new Map(
    local.files.filter((f) => f.problem === undefined || !f.pushable)
      .map((f) => [`${f.kind}/${f.id}`, f]),
  );
  const unread: Pair[] = [];
  for (const [key, pair] of pairs) {
    if (pair.json === undefined) continue;
    const same = mine.get(key);
    if (same && blobId(same.bytes, pair.json.length) === pair.json) {
      const { kind, id, sha256, origin } = same;
      side.files.push({ kind, id, sha256, ...(origin ? { origin } : {}), text: "", record: null });
    } else if (pair.size !== undefined && pair.size > MAX_IMPORTED_RECORD_BYTES) {
      side.refused.push({
        kind: pair.kind,
        id: pair.id,
        reason: `${name}:${treePath(pair.kind, pair.id, "json")} is ${pair.size} bytes, more ` +
          `than any record mpm writes (at most ${MAX_IMPORTED_RECORD_BYTES}); it was not read.`,
      });
    } else unread.push(pair);
  }
  const blobs = await readBlobs(root, unread.flatMap((p) => [p.json!, p.sha256 ?? []].flat()));
  for (const { kind, id, json, sha256 } of unread) {
    const shown = `${name}:${treePath(kind, id, "json")}`;
    try {
      const bytes = blobs.get(json!);
      if (bytes === undefined) throw new MpmError(`${shown} is missing from the fetched commit.`);
      const checksum = sha256 === undefined ? undefined : blobs.get(sha256);
      const ok = verifyFile(KINDS[kind], id, bytes, checksum, shown, root);
      const { text, record, origin } = ok;
      const exact = !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
      side.files.push({
        kind,
        id,
        sha256: ok.sha256,
        ...(origin ? { origin } : {}),
        text,
        record,
        exact,
      });
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      side.refused.push({ kind, id, reason: error.message });
    }
  }
  return side;
}
