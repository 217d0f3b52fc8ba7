/**
 * Claude's handoffs in `.claude-mpm/handoffs/`: `handoff-….json`, its `.sha256` (claiming the id),
 * a `.md` and `given/`. Trusted only when the checksum matches; `own` only when sealed here.
 */
import { join } from "../../../kernel/path.ts";
import { checksumLine, parseChecksumLine, sha256Hex } from "../../../kernel/hashing/checksum.ts";
import { IntegrityError, MpmError } from "../../../kernel/errors.ts";
import { checkedJson, nullable, object, type Out, string } from "../../../kernel/check.ts";
import { createAtomic, writeAtomic } from "../../../disk/files/atomic.ts";
import { fileNames, lstatIfExists } from "../../../disk/read/stat.ts";
import { readBytesIfExists, readTextIfExists } from "../../../disk/read/read.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { removeEntry } from "../../../disk/files/entries.ts";
import {
  type ClaudeHandoff,
  claudeHandoffText,
  type Dated,
  decodeClaudeHandoff,
  handoffIdTime,
  handoffSaidText,
  isHandoffId,
  serializeHandoff,
} from "../records/handoff/claude_record.ts";
import { renderHandoffFile } from "../snapshots/claude_render.ts";
import { HANDOFFS, storeFolder } from "../listing/store_folders.ts";
import { forDisk } from "../../../disk/files/written.ts";
import { ensureMachineKey } from "../../../disk/machine_key.ts";
import { jsonSealVerifiesAsync, sealedText } from "../../../kernel/hashing/seal.ts";

/** `.claude-mpm/handoffs/`, refused when it is a link leading out of `.claude-mpm/`. */
export function handoffsDir(paths: ProjectPaths): string {
  return storeFolder(paths, HANDOFFS);
}

function givenDir(paths: ProjectPaths): string {
  return join(handoffsDir(paths), "given");
}

/** As shown to people: `.claude-mpm/handoffs/<id>.md`. */
export function handoffShown(id: string, ext = "md"): string {
  return `.claude-mpm/handoffs/${id}.${ext}`;
}

/** The ids of the records on disk, newest first by the time they name. */
export async function handoffIds(paths: ProjectPaths): Promise<string[]> {
  const ids = (await fileNames(handoffsDir(paths)))
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .filter(isHandoffId);
  // Fixed width: the ids sort by the moment they name, then by their letters.
  return ids.sort().reverse();
}

/** An id dated this far past its arrival sorts as arrived: a pulled one cannot jump ahead. */
const ARRIVAL_SLACK_MS = 5 * 60 * 1000;

/** One record as read: decoded, or why not. */
export interface StoredHandoff {
  id: string;
  record?: ClaudeHandoff;
  error?: MpmError;
  time: Date;
  /** This machine wrote it: its seal checks out (or no key can be made here to seal any). */
  own: boolean;
}

/** Reads and verifies one record, and whether `key` sealed it; throws IntegrityError. */
export async function readJudged(
  paths: ProjectPaths,
  id: string,
  key: string | null,
): Promise<{ record: ClaudeHandoff; own: boolean }> {
  const file = join(handoffsDir(paths), `${id}.json`);
  const shown = handoffShown(id, "json");
  const info = await lstatIfExists(file);
  if (!info?.isFile) throw new IntegrityError(`${shown} is not a regular file.`);
  const [bytes, checksum] = await Promise.all([
    readBytesIfExists(file),
    readTextIfExists(`${file}.sha256`),
  ]);
  if (bytes === undefined) throw new IntegrityError(`${shown} disappeared while mpm read it.`);
  const line = checksum === undefined ? undefined : parseChecksumLine(checksum);
  if (line === undefined || line.name !== `${id}.json` || line.hex !== sha256Hex(bytes)) {
    throw new IntegrityError(
      `${shown} does not match its checksum: it was changed or damaged after mpm wrote it.`,
      "Restore it or remove it; the other handoffs are unaffected.",
    );
  }
  let raw: unknown;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    raw = JSON.parse(text);
  } catch {
    throw new IntegrityError(`${shown} is not UTF-8 JSON.`);
  }
  const record = decodeClaudeHandoff(raw, id, shown);
  const own = key === null || await jsonSealVerifiesAsync(text, record.seal, key);
  return { record, own };
}

/** The time a record sorts by: its id's, or its arrival's when that is earlier. */
export async function sortTime(paths: ProjectPaths, id: string): Promise<Date> {
  const named = handoffIdTime(id) ?? new Date(0);
  const info = await lstatIfExists(join(handoffsDir(paths), `${id}.json`)).catch(() => undefined);
  const arrived = info?.mtime?.getTime();
  if (arrived === undefined || named.getTime() <= arrived + ARRIVAL_SLACK_MS) return named;
  return new Date(arrived);
}

/** The records, newest first (at most `limit`; 0: all); one that fails keeps its place. */
export async function listHandoffs(paths: ProjectPaths, limit = 0): Promise<StoredHandoff[]> {
  const ids = await handoffIds(paths);
  // Made now where there is none: without one, a clone's handoffs would read as this machine's.
  const key = ids.length === 0 ? null : await ensureMachineKey();
  const read = await Promise.all(ids.map(async (id): Promise<StoredHandoff> => {
    const time = await sortTime(paths, id);
    try {
      return { id, ...await readJudged(paths, id, key), time };
    } catch (error) {
      if (!(error instanceof MpmError)) throw error;
      return { id, error, time, own: false };
    }
  }));
  read.sort((a, b) => b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : -1));
  return limit > 0 ? read.slice(0, limit) : read;
}

/** This machine's records of a listing, as the choosing code takes them. */
export function dated(listed: readonly StoredHandoff[]): Dated[] {
  return listed.flatMap((l) => (l.record && l.own ? [{ record: l.record, time: l.time }] : []));
}

/** What was said, redacted before the record is built and cut (claude_build.ts). */
export function saidForDisk<T extends { words: unknown; focus: string | null }>(
  said: T,
): Promise<T> {
  return forDisk(handoffSaidText, said);
}

/** The record's text, sealed with this machine's key (made now); unsealed where none can be. */
async function handoffText(record: ClaudeHandoff): Promise<string> {
  return await sealedText(record, await ensureMachineKey(), serializeHandoff);
}

/** Tries of a fresh id: two handoffs in one millisecond pick the same letters once in 6,859. */
const MAX_ATTEMPTS = 20;

/** Writes a new record under a fresh id, its checksum claiming the id exclusively first. */
export async function writeHandoff(
  paths: ProjectPaths,
  newId: () => string,
  build: (id: string) => ClaudeHandoff,
): Promise<{ record: ClaudeHandoff; file: string }> {
  const dir = handoffsDir(paths);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const id = newId();
    // The write boundary: the record's free text redacted before a byte of it is written.
    const record = await forDisk(claudeHandoffText, build(id));
    const text = await handoffText(record);
    const json = join(dir, `${id}.json`);
    if (
      !(await createAtomic(`${json}.sha256`, checksumLine(text, `${id}.json`), {
        root: paths.base,
      }))
    ) {
      continue;
    }
    await writeAtomic(json, text, { root: paths.base });
    await writeAtomic(join(dir, `${id}.md`), renderHandoffFile(record), { root: paths.base });
    return { record, file: handoffShown(id) };
  }
  throw new MpmError("No free handoff id was found; nothing was saved.", "Run the command again.");
}

// --- given ---------------------------------------------------------------------------------------

/** Which Claude session a start gave a handoff to. */
const givenCheck = object({
  handoff: string(),
  claude_session: nullable(string()),
  source: nullable(string()),
  given_at: string(),
}, "keep");
export type Given = Out<typeof givenCheck>;

/** The ids of the handoffs already given (their marker exists, whatever it holds). */
export async function givenIds(paths: ProjectPaths): Promise<Set<string>> {
  const names = await fileNames(givenDir(paths));
  return new Set(
    names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)).filter(isHandoffId),
  );
}

/** The marker of a given handoff, or null (none, or one that does not parse). */
export async function readGiven(paths: ProjectPaths, id: string): Promise<Given | null> {
  const text = await readTextIfExists(join(givenDir(paths), `${id}.json`)).catch(() => undefined);
  return checkedJson(givenCheck, text);
}

/** Marks a handoff given, exclusively: false when another start marked it first. */
export async function markGiven(paths: ProjectPaths, given: Given): Promise<boolean> {
  const file = join(givenDir(paths), `${given.handoff}.json`);
  return await createAtomic(file, JSON.stringify(given) + "\n", { root: paths.base });
}

/** `mpm handoff --reuse`: the marker removed, so the next start gives the handoff again. */
export async function forgetGiven(paths: ProjectPaths, id: string): Promise<Given | null> {
  const given = await readGiven(paths, id);
  const file = join(givenDir(paths), `${id}.json`);
  const info = await lstatIfExists(file);
  if (info === undefined) return null;
  if (!info.isFile) {
    throw new MpmError(`${handoffShown(`given/${id}`, "json")} is not a file mpm wrote.`);
  }
  await removeEntry(file);
  return given ?? { handoff: id, claude_session: null, source: null, given_at: "" };
}
