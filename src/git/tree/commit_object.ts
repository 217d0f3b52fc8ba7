/**
 * HEAD's tree and subject read from git's object store without a git process (loose, or packed,
 * maybe as a delta). A replaced commit, another encoding or another store layout is left to
 * `git log`.
 */
import { join } from "../../kernel/path.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import { hexBytes } from "../../kernel/hashing/sha256_stream.ts";
import { exists, findGitDirs, readText } from "../run/root.ts";
import { gitVars } from "../run/run.ts";
import { unzlib } from "./inflate.ts";

export interface CommitFacts {
  tree: string;
  /** The subject as `git log --format=%s` gives it. */
  subject: string;
}

/** A commit object is a few hundred bytes; a larger file is left to git. */
const MAX_OBJECT_BYTES = 1024 * 1024;

/** How many deltas deep a packed object is followed (git's own default stops at 50). */
const MAX_DELTA_DEPTH = 50;

/** The tree and subject of `commit`, read from the object store; undefined where git must say. */
export async function commitObjectFacts(
  root: string,
  commit: string,
): Promise<CommitFacts | undefined> {
  const vars = gitVars();
  if (vars.GIT_OBJECT_DIRECTORY || vars.GIT_REPLACE_REF_BASE) return undefined;
  const dirs = await findGitDirs(root);
  if (!dirs || mayReplace(dirs.commonDir)) return undefined;
  const objects = join(dirs.commonDir, "objects");
  try {
    const loose = looseObject(objects, commit);
    if (loose) return commitFacts(inflate(loose));
    const packed = packedObject(objects, commit);
    return packed?.type === 1 ? commitFacts(withHeader(packed.bytes)) : undefined;
  } catch {
    return undefined;
  }
}

function inflate(deflated: Uint8Array): Uint8Array<ArrayBuffer> {
  return unzlib(deflated, MAX_OBJECT_BYTES);
}

/** A loose object's deflated bytes (header and all); undefined when there is none. */
function looseObject(objects: string, id: string): Uint8Array<ArrayBuffer> | undefined {
  const file = join(objects, id.slice(0, 2), id.slice(2));
  try {
    if (Deno.statSync(file).size > MAX_OBJECT_BYTES) return undefined;
    return Deno.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** An object of a pack: its type (1 a commit) and its bytes, deltas applied. */
interface Packed {
  type: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/** The object `id` from whichever pack's index holds it; undefined when none does, or unread. */
function packedObject(objects: string, id: string): Packed | undefined {
  let names: string[];
  try {
    names = [...Deno.readDirSync(join(objects, "pack"))].map((entry) => entry.name);
  } catch {
    return undefined;
  }
  const want = hexBytes(id);
  for (const name of names.filter((n) => n.endsWith(".idx"))) {
    const base = join(objects, "pack", name.slice(0, -4));
    const offset = findInIndex(`${base}.idx`, want);
    if (offset === "unreadable") return undefined;
    if (offset === undefined) continue;
    using pack = Deno.openSync(`${base}.pack`);
    const packEnd = pack.statSync().size - want.length; // the closing checksum
    return readPacked(pack, offset, packEnd, 0);
  }
  return undefined;
}

/** An object's offset in its pack by a v2 index; undefined if absent; "unreadable" if unread. */
function findInIndex(file: string, want: Uint8Array): number | "unreadable" | undefined {
  using index = Deno.openSync(file);
  const read = (at: number, length: number) => new DataView(readAt(index, at, length).buffer);
  const head = read(0, 8 + 256 * 4);
  if (head.getUint32(0) !== 0xff744f63 || head.getUint32(4) !== 2) return "unreadable";
  const count = head.getUint32(8 + 255 * 4);
  const hashes = 8 + 256 * 4;
  // Names, CRCs and offsets of `count` objects: an index shorter than that is not git's.
  if (index.statSync().size < hashes + count * (want.length + 8)) return "unreadable";
  let low = want[0] === 0 ? 0 : head.getUint32(8 + (want[0] - 1) * 4);
  let high = head.getUint32(8 + want[0] * 4);
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compare(readAt(index, hashes + mid * want.length, want.length), want);
    if (order < 0) low = mid + 1;
    else if (order > 0) high = mid;
    else {
      // After the names, CRCs, then offsets (a set top bit: a large offset, not read here).
      const offset = read(hashes + count * (want.length + 4) + mid * 4, 4).getUint32(0);
      return offset >= 0x80000000 ? "unreadable" : offset;
    }
  }
  return undefined;
}

/** How many bytes past its header a deflated object of `size` bytes is read as (enough). */
function deflatedBound(size: number): number {
  return 2 * size + 64;
}

/** The object at `offset` of a pack, following deltas on offsets in the same pack. */
function readPacked(
  pack: Deno.FsFile,
  offset: number,
  packEnd: number,
  depth: number,
): Packed | undefined {
  if (offset <= 0 || offset >= packEnd || depth > MAX_DELTA_DEPTH) return undefined;
  // The entry's header: its type in bits 4–6 of the first byte, then its inflated size, 4 bits
  // of the first byte and 7 of each next one (at most 10 bytes), and for a delta on an earlier
  // object the distance back to it (at most 10 more).
  const head = readAt(pack, offset, Math.min(20, packEnd - offset));
  const type = (head[0] >> 4) & 7;
  let size = head[0] & 0x0f;
  let i = 0;
  for (let shift = 4; head[i] & 0x80; shift += 7) {
    if (++i >= head.length) return undefined;
    size += (head[i] & 0x7f) * 2 ** shift;
  }
  i++;
  if (size > MAX_OBJECT_BYTES) return undefined;
  let back = 0;
  if (type === 6) {
    // A delta on an object earlier in the pack, named by how far back it starts.
    back = head[i] & 0x7f;
    while (head[i++] & 0x80) {
      if (i >= head.length) return undefined;
      back = ((back + 1) * 128) + (head[i] & 0x7f);
    }
  } else if (type < 1 || type > 4) return undefined;
  const start = offset + i;
  const deflated = readAt(pack, start, Math.min(deflatedBound(size), packEnd - start));
  const bytes = inflate(deflated);
  if (bytes.length !== size) return undefined;
  if (type !== 6) return { type, bytes };
  const base = readPacked(pack, offset - back, packEnd, depth + 1);
  const applied = base && applyDelta(base.bytes, bytes);
  return applied && { type: base.type, bytes: applied };
}

/** git's delta applied to `base`: copies from it and inserted bytes. Pure. */
export function applyDelta(
  base: Uint8Array,
  delta: Uint8Array,
): Uint8Array<ArrayBuffer> | undefined {
  let i = 0;
  const size = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = delta[i++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (size() !== base.length) return undefined;
  const out = new Uint8Array(size());
  let at = 0;
  while (i < delta.length) {
    const op = delta[i++];
    if (op & 0x80) {
      let from = 0;
      let length = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) from += delta[i++] * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) {
        if (op & (16 << bit)) length += delta[i++] * 2 ** (8 * bit);
      }
      if (length === 0) length = 0x10000;
      if (from + length > base.length || at + length > out.length) return undefined;
      out.set(base.subarray(from, from + length), at);
      at += length;
    } else if (op !== 0) {
      if (at + op > out.length || i + op > delta.length) return undefined;
      out.set(delta.subarray(i, i + op), at);
      at += op;
      i += op;
    } else return undefined;
  }
  return at === out.length ? out : undefined;
}

/** `length` bytes of an open file from `at`. */
function readAt(file: Deno.FsFile, at: number, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  file.seekSync(at, Deno.SeekMode.Start);
  let done = 0;
  while (done < length) {
    const n = file.readSync(bytes.subarray(done));
    if (n === null) throw new Error("short read");
    done += n;
  }
  return bytes;
}

/** A packed commit's bytes as a loose object holds them: `commit <size>\0` first. */
function withHeader(commit: Uint8Array): Uint8Array {
  return concatBytes([new TextEncoder().encode(`commit ${commit.length}\0`), commit]);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Whether `git replace` may stand another commit in for one (then log shows that one). */
function mayReplace(commonDir: string): boolean {
  // A folder of replacements, or packed ones listed in packed-refs.
  return exists(join(commonDir, "refs", "replace")) ||
    (readText(join(commonDir, "packed-refs"))?.includes(" refs/replace/") ?? false);
}

/** git's blank: only spaces, tabs and line ends (its isspace). */
const BLANK = /^[ \t\r\n]*$/;

/** The facts of a loose commit object's bytes (`commit <size>\0` and the commit). Pure. */
export function commitFacts(object: Uint8Array): CommitFacts | undefined {
  const nul = object.indexOf(0);
  const header = new TextDecoder().decode(object.subarray(0, nul));
  const size = header.match(/^commit (\d+)$/)?.[1];
  if (nul < 0 || size === undefined || Number(size) !== object.length - nul - 1) return undefined;
  const text = new TextDecoder().decode(object.subarray(nul + 1));
  const end = text.indexOf("\n\n");
  const headers = (end < 0 ? text : text.slice(0, end)).split("\n");
  const tree = headers[0].match(/^tree ([0-9a-f]{40}|[0-9a-f]{64})$/)?.[1];
  if (tree === undefined) return undefined;
  // log re-encodes a message written in another encoding; that is git's to do.
  const encoding = headers.find((line) => line.startsWith("encoding "));
  if (encoding && !/^encoding utf-?8$/i.test(encoding)) return undefined;
  return { tree, subject: end < 0 ? "" : subjectOf(text.slice(end + 2)) };
}

/** A commit message's subject as git's `%s` gives it (the first paragraph on one line). Pure. */
export function subjectOf(message: string): string {
  const lines = message.split("\n");
  let i = 0;
  while (i < lines.length && BLANK.test(lines[i])) i++;
  const subject: string[] = [];
  for (; i < lines.length && !BLANK.test(lines[i]); i++) {
    subject.push(lines[i].replace(/[ \t\r]+$/, ""));
  }
  return subject.join(" ");
}
