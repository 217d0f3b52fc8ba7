/** One transcript file copied into the vault from where its copy ended, within the budget. */
import { basename, join } from "../../kernel/path.ts";
import { sha256HexAsync } from "../../kernel/hashing/checksum.ts";
import { byteSize } from "../../kernel/format/numbers.ts";
import { appendAt } from "../../disk/files/append.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import {
  type FileFacts,
  type LinesRead,
  readRange,
  wholeLines,
} from "../../claude/transcript/transcript_files.ts";
import { DEFAULT_MAX_LINE_BYTES } from "../../claude/transcript/transcript_reader.ts";
import {
  FINGERPRINT_BYTES,
  type Manifest,
  type Stream,
  streamLength,
  type VaultFile,
} from "../records/manifest.ts";
import { fingerprintRanges } from "./plan.ts";
import { buildSegmentBytes, segmentSinks } from "./segment_bytes.ts";
import { gzip } from "../records/gzip.ts";
import { writeManifest } from "../records/store.ts";
import { agentOf } from "../../kernel/agent_name.ts";
import { type Budget, MIN_CHUNK_BYTES, SEGMENT_BYTES, type VaultRun } from "./vault_run.ts";

export async function fingerprint(
  path: string,
  [from, to]: [number, number],
): Promise<string | null> {
  if (to <= from) return null;
  return await sha256HexAsync(await readRange(path, from, to - from));
}

/** Copies `path`'s whole lines from `from`; returns bytes copied and left. */
export async function copyFile(
  paths: ProjectPaths,
  run: VaultRun,
  manifest: Manifest,
  file: VaultFile,
  path: string,
  facts: FileFacts,
  budget: Budget,
): Promise<{ copied: number; pending: number; cut: string | null }> {
  const fileNo = manifest.files.indexOf(file);
  const read: LinesRead = { partial: 0, skippedLines: 0, error: null };
  // Reads no larger than the budget left, so a run stops near its budget, not a segment past it.
  const chunkBytes = Math.min(SEGMENT_BYTES, Math.max(MIN_CHUNK_BYTES, budget.left));
  const options = { chunkBytes, maxLineBytes: DEFAULT_MAX_LINE_BYTES };
  const mtime = facts.mtime?.toISOString() ?? null;
  const sinks = segmentSinks();
  let copied = 0;
  let stopped = false;
  for await (const chunk of wholeLines(path, file.source_bytes, options, read)) {
    if (budget.left <= 0) {
      stopped = true;
      break;
    }
    const built = buildSegmentBytes(
      chunk.bytes,
      fileNo,
      manifest.last_entry,
      agentOf(manifest.agent),
      sinks,
    );
    // One member at a time: a segment's redacted bytes and a member held, never its text.
    const rawGz = built.raw.length ? await gzip(built.raw) : null;
    const talkGz = built.talk.length ? await gzip(built.talk) : null;
    const toolsGz = built.tools.length ? await gzip(built.tools) : null;
    // No bytes: only lines over the limit ended here (wholeLines), read past without a segment.
    if (rawGz) await appendMember(paths, file, rawGz, built.raw.length);
    if (talkGz) await appendMember(paths, manifest.index.talk, talkGz, built.talk.length);
    if (toolsGz) await appendMember(paths, manifest.index.tools, toolsGz, built.tools.length);
    const end = chunk.end;
    const { head, tail } = fingerprintRanges(end, FINGERPRINT_BYTES);
    const headKnown = file.source_bytes >= FINGERPRINT_BYTES && file.head_sha256 !== null;
    const [h, t] = await Promise.all([
      headKnown ? file.head_sha256 : fingerprint(path, head),
      fingerprint(path, tail),
    ]);
    const gained = end - file.source_bytes;
    copied += gained;
    budget.left -= gained;
    Object.assign(file, {
      head_sha256: h,
      tail_sha256: t,
      source_bytes: end,
      source_mtime: mtime,
      lines: file.lines + built.lines,
      partial_bytes: 0,
    });
    if (built.first && (manifest.first_entry === null || built.first < manifest.first_entry)) {
      manifest.first_entry = built.first;
    }
    if (built.last && (manifest.last_entry === null || built.last > manifest.last_entry)) {
      manifest.last_entry = built.last;
    }
    manifest.last_vaulted = run.now.toISOString();
    // The record moves on only once the members it names are on disk.
    await writeManifest(paths, manifest);
  }
  file.skipped_lines += read.skippedLines;
  if (!stopped) {
    // Only a read that reached the end says what is left after the last line end.
    file.partial_bytes = read.partial;
    file.cut = read.error;
    file.source_mtime = read.error === null ? mtime : null;
  }
  const pending = stopped ? Math.max(0, facts.size - file.source_bytes) : 0;
  const cut = read.error ??
    (read.skippedLines > 0
      ? `${read.skippedLines} line(s) of ${basename(path)} were longer than mpm copies ` +
        `(${byteSize(DEFAULT_MAX_LINE_BYTES)}) and were left out.`
      : !stopped && read.partial > 0
      ? `${basename(path)} ends with ${byteSize(read.partial)} that are not a whole line (a line ` +
        "being written, or a cut file): copied up to its last whole line; the rest follows once " +
        "the line ends."
      : null);
  return { copied, pending, cut };
}

/** Appends one gzip member to a stream's data file, then records it (in memory: the caller writes the record). */
export async function appendMember(
  paths: ProjectPaths,
  stream: Stream | VaultFile,
  member: Uint8Array,
  rawLength: number,
): Promise<void> {
  const at = streamLength(stream);
  await appendAt(join(paths.vault, stream.data), at, [member], { root: paths.base });
  stream.segments.push({
    bytes: member.length,
    raw_bytes: rawLength,
    sha256: await sha256HexAsync(member),
  });
}
