/**
 * Streams a Claude Code transcript line by line into typed entries; a line over `maxLineBytes` is
 * skipped and counted, so a 1 GB line costs time, not memory.
 */
import { MpmError } from "../../kernel/errors.ts";
import { concatBytes } from "../../kernel/hashing/bytes.ts";
import {
  emptyStats,
  type ParseOptions,
  type TranscriptEntry,
  type TranscriptStats,
} from "./transcript_entries.ts";
import { lookAtTranscript } from "./transcript_kind.ts";

export type { TranscriptEntry, TranscriptStats };

/** Turns one agent's transcript lines into entries. */
export interface LineParser {
  readonly stats: TranscriptStats;
  push(line: string): TranscriptEntry[];
  end(): TranscriptEntry[];
  skipOversized(): void;
}

/** A transcript that cannot be read: missing, not a regular file, unreadable. */
export class TranscriptError extends MpmError {}

export interface ReadOptions extends ParseOptions {
  /** Lines longer than this are skipped and counted (`oversized`). */
  maxLineBytes?: number;
  /** Bytes asked of the file per read. */
  chunkBytes?: number;
  /** Read only the file's last this-many bytes (from the first whole line). */
  tailBytes?: number;
}

/** 16 MiB keeps every line worth replaying while bounding one line's cost. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 10;

/** Refuses what is no transcript (transcript_kind.ts) before anything opens it. */
export async function checkTranscriptFile(path: string): Promise<void> {
  const look = await lookAtTranscript(path);
  if (look.kind === "absent") {
    throw new TranscriptError(`The transcript ${path} does not exist (any more).`);
  }
  if (look.kind === "unknown") {
    throw new TranscriptError(`The transcript ${path} cannot be read (${look.why}).`);
  }
  if (look.kind === "other") {
    throw new TranscriptError(
      `The transcript ${path} is not a regular file (${look.what}); it was not read.`,
    );
  }
}

/** readLines a read's worth at a time: an await per line would cost more than reading. */
export async function* readLineBatches(
  path: string,
  options: ReadOptions = {},
  onOversized: () => void = () => {},
): AsyncGenerator<string[]> {
  await checkTranscriptFile(path);
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunkSize = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const decoder = new TextDecoder();
  using file = await Deno.open(path, { read: true });
  // The file may have been swapped for a pipe between the check and the open.
  if (!(await file.stat()).isFile) {
    throw new TranscriptError(`The transcript ${path} is not a regular file; it was not read.`);
  }
  let parts: Uint8Array[] = [];
  let held = 0;
  let skipping = false;
  if (options.tailBytes !== undefined) {
    const { size } = await file.stat();
    if (size > options.tailBytes) {
      // One byte early: a window that starts right after a newline keeps its first line.
      await file.seek(size - options.tailBytes - 1, Deno.SeekMode.Start);
      skipping = true;
    }
  }
  const line = (tail: Uint8Array): string => {
    const bytes = parts.length === 0 ? tail : concatBytes([...parts, tail]);
    parts = [];
    held = 0;
    const text = decoder.decode(bytes);
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  let buffer = new Uint8Array(chunkSize);
  for (;;) {
    const read = await readOrExplain(file, buffer, path);
    if (read === null) break;
    const chunk = buffer.subarray(0, read);
    const batch: string[] = [];
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (skipping) skipping = false;
      else if (held + end - start > maxLine) {
        parts = [];
        held = 0;
        onOversized();
      } else batch.push(line(chunk.subarray(start, end)));
      start = end + 1;
    }
    if (batch.length > 0) yield batch;
    if (start < chunk.length && !skipping) {
      const rest = chunk.subarray(start);
      if (held + rest.length > maxLine) {
        parts = [];
        held = 0;
        skipping = true;
        onOversized();
      } else {
        parts.push(rest);
        held += rest.length;
        // The piece is kept without copying, so the next read needs a buffer of its own.
        buffer = new Uint8Array(chunkSize);
      }
    }
  }
  // The last line may have no newline (a transcript being written, or cut short).
  if (!skipping && held > 0) yield [line(new Uint8Array(0))];
}

/** The file's entries as `parser` reads them, in batches of the entries each read completed. */
export function readEntryBatches(
  path: string,
  parser: LineParser,
  options: ReadOptions = {},
  stats: TranscriptStats = emptyStats(),
): AsyncGenerator<TranscriptEntry[]> {
  const batches = readLineBatches(path, options, () => parser.skipOversized());
  return parseLineBatches(batches, parser, stats);
}

export async function* parseLineBatches(
  batches: AsyncIterable<string[]>,
  parser: LineParser,
  stats: TranscriptStats,
): AsyncGenerator<TranscriptEntry[]> {
  const sync = () => Object.assign(stats, parser.stats);
  try {
    for await (const lines of batches) {
      const entries: TranscriptEntry[] = [];
      for (const line of lines) {
        for (const entry of parser.push(line)) entries.push(entry);
      }
      sync();
      if (entries.length > 0) yield entries;
    }
    const rest = parser.end();
    sync();
    if (rest.length > 0) yield rest;
  } finally {
    sync();
  }
}

/** One read; an I/O error is a TranscriptError, reported as a note. */
async function readOrExplain(
  file: Deno.FsFile,
  buffer: Uint8Array,
  path: string,
): Promise<number | null> {
  try {
    return await file.read(buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TranscriptError(`The transcript ${path} could not be read (${reason}).`);
  }
}
