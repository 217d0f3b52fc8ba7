/**
 * The sync record's lines and parts (sync_record.ts keeps them in `cache/sync-files/<n>.json`):
 * a file as its line and back, how a record's lines are cut into parts, so that a sync rewrites
 * only the parts whose files changed and a pull's imports fill the last part, and what names a
 * part spans, so that a pull of a few files reads only the parts that may name them. Pure.
 */
import { relative, sep } from "../../kernel/path.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import type { Identity, LocalFile, Look, RecordedFile } from "./local.ts";

/**
 * How the record's lines are laid out and worked out from a file (fileLine, parseLine): one more
 * whenever that changes, so that another mpm's record is taken only when it says what this one's
 * would.
 */
export const LINE_LAYOUT = 1;

const enc = (text: string | undefined) => text === undefined ? "" : encodeURIComponent(text);
const dec = (text: string) => text === "" ? undefined : decodeURIComponent(text);
export const HEX = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** One line of the record: its file (relative, encoded) and look, and the identity it gives. */
export function parseLine(
  line: string,
): { path: string; look: Look; identity: Identity } | undefined {
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

/** A file's path as its line names it: relative to `.claude-mpm/`, encoded. */
export function linePath(paths: ProjectPaths, file: string): string {
  return enc(relative(paths.base, file));
}

/** A record line as the file it names, its look and identity; undefined for a bad line. */
export function entryOf(paths: ProjectPaths, line: string): RecordedFile | undefined {
  const parsed = parseLine(line);
  const path = parsed && dec(parsed.path);
  return parsed === undefined || path === undefined
    ? undefined
    // Joined as text: a path that climbs out names no folder a sync reads (local.ts recordedSide).
    : { file: `${paths.base}${sep}${path}`, look: parsed.look, identity: parsed.identity };
}

/** The record's line of a file read without a problem; null for one that must be read again. */
export function fileLine(paths: ProjectPaths, f: LocalFile): string | null {
  if (f.problem !== undefined || f.look === null || f.blob === "") return null;
  return [
    linePath(paths, f.file),
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
 * The most files a part holds: about 90 KB of lines, read, seal-checked and parsed on its own,
 * so a sync never holds the text of a whole large store at once (a store of 60,000 has 200),
 * and no part's text is large enough to wait for a full collection to be let go.
 */
export const PART_LINES = 300;

/**
 * How many parts may start before the part before them ends, besides one in eight, before the
 * lines are cut again: a record in path order has one such part per folder after the first.
 */
const OUT_OF_ORDER = 4;

/** The file a record line names (its first field, encoded). */
export const pathOf = (line: string): string => line.slice(0, line.indexOf("\t"));

/**
 * The parts of a record of `lines` (a file a line), made from the parts `before`: each part keeps
 * its files in its order with their new lines (a file gone is dropped), and the files no part held
 * fill the last part and then new ones. `changed`: the parts whose text is not as before, the only
 * ones to write, their tags left for the writer to take (by Web Crypto). When dropped files have
 * left more parts than twice what the lines need (and a few), or the parts are out of path order
 * (cut in a folder's order by an older mpm, or pulls' imports among older files: a pull then
 * reads every part whose span may name its files), the lines are cut into full parts again.
 */
export function nextParts(
  before: readonly { tag: string; files: string }[],
  lines: readonly string[],
): { parts: { tag: string; files: string }[]; changed: number[] } {
  const byPath = new Map(lines.map((line) => [pathOf(line), line]));
  const parts: { tag: string; files: string }[] = [];
  const changed: number[] = [];
  const fill: string[][] = [];
  // The parts whose least path is before the greatest of the part before them.
  let [crossed, previous] = [0, ""];
  for (const part of before) {
    const kept: string[] = [];
    let same = true;
    let [least, most]: [string | undefined, string] = [undefined, ""];
    for (const line of part.files === "" ? [] : part.files.split("\n")) {
      const path = pathOf(line);
      if (least === undefined || path < least) least = path;
      if (path > most) most = path;
      const now = byPath.get(path);
      if (now === undefined) {
        same = false;
        continue;
      }
      byPath.delete(path);
      if (now !== line) same = false;
      kept.push(now);
    }
    if (least !== undefined && least < previous) crossed++;
    previous = most;
    fill.push(kept);
    parts.push(same ? part : { tag: "", files: "" });
    if (!same) changed.push(parts.length - 1);
  }
  const added = [...byPath.values()];
  if (
    before.length > 2 * Math.ceil(lines.length / PART_LINES) + 4 ||
    crossed > OUT_OF_ORDER + before.length / 8
  ) {
    return nextParts([], [...fill.flat(), ...added]);
  }
  return addLines(parts, fill, changed, added);
}

/**
 * nextParts of the parts `before` and their lines with `added` after them (new files' lines, a
 * pull's imports), without making or comparing the lines before again: only the last part is
 * read, to be filled.
 */
export function appendParts(before: readonly { tag: string; files: string }[], added: string[]) {
  const last = before.length - 1;
  const fill = before.map((p, i) => i === last && p.files !== "" ? p.files.split("\n") : []);
  return addLines([...before], fill, [], added);
}

/**
 * `added` into the last part of `fill` while it has room, then into new parts, sorted by path
 * (a tab sorts before any character of one): each part then names a narrow span of names, and a
 * pull of a few new files reads the parts whose span may name them, not all (sync_record.ts).
 */
function addLines(
  parts: { tag: string; files: string }[],
  fill: string[][],
  changed: number[],
  unsorted: string[],
): { parts: { tag: string; files: string }[]; changed: number[] } {
  const added = unsorted.toSorted();
  let at = 0;
  const last = fill.length - 1;
  if (last >= 0 && fill[last].length < PART_LINES && added.length > 0) {
    at = PART_LINES - fill[last].length;
    fill[last].push(...added.slice(0, at));
    if (!changed.includes(last)) changed.push(last);
  }
  for (; at < added.length; at += PART_LINES) {
    fill.push(added.slice(at, at + PART_LINES));
    parts.push({ tag: "", files: "" });
    changed.push(parts.length - 1);
  }
  for (const n of changed) parts[n] = { tag: "", files: fill[n].join("\n") };
  return { parts, changed };
}

/**
 * Whether a sync record's part (its lines, sync_record.ts) may name a file of `wanted`
 * (`kind\0id`), or one renamed on arrival (a line ending in its origin's sha256): a pull of what
 * changed parses only those parts, the others looked through without a string a line.
 */
export function partMayName(files: string, wanted: ReadonlySet<string>): boolean {
  if (/\t[0-9a-f]{64}\t1?$/m.test(files)) return true;
  const names = namesOf(wanted);
  for (const name of partNames(files)) if (names.has(name)) return true;
  return false;
}

const namesOf = (wanted: ReadonlySet<string>) =>
  new Set([...wanted].map((key) => `${encodeURIComponent(key.split("\0")[1])}.json`));

/** The file names (encoded) a part's lines name, without a string a line. */
function* partNames(files: string): Generator<string> {
  for (let at = 0; at < files.length;) {
    const end = files.indexOf("\n", at);
    const tab = files.indexOf("\t", at);
    const slash = files.lastIndexOf("%2F", tab);
    if (tab >= 0 && slash >= at) yield files.slice(slash + 3, tab);
    at = end < 0 ? files.length : end + 1;
  }
}

/**
 * A part's span, kept in the record's head: the least and the greatest file name it names, and
 * whether a line is of a file renamed on arrival (`least\tgreatest\t1?`).
 */
export function partSpan(files: string): string {
  let [least, most] = ["", ""];
  for (const name of partNames(files)) {
    if (least === "" || name < least) least = name;
    if (name > most) most = name;
  }
  return `${least}\t${most}\t${/\t[0-9a-f]{64}\t1?$/m.test(files) ? "1" : ""}`;
}

/**
 * partMayName told from a part's span, without reading the part: no name of `wanted` falls
 * between its least and greatest, and none was renamed. An empty or bad span may name any.
 */
export function spanMayName(span: string | undefined, wanted: ReadonlySet<string>): boolean {
  const [least, most, renamed, ...rest] = span?.split("\t") ?? [];
  if (most === undefined || rest.length > 0 || renamed !== "" || least === "") return true;
  for (const name of namesOf(wanted)) if (least <= name && name <= most) return true;
  return false;
}
