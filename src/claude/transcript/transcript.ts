/**
 * Reads Claude Code transcripts from the end: a usage check costs the last entries, not the file.
 */
import {
  type ContextUsage,
  scanTail,
  type TailScan,
  type UsageOptions,
} from "../session/context_usage.ts";

export interface TranscriptTail {
  /** Whole lines only: a line cut by the window's start is left out. */
  lines: string[];
  /** Byte offset of the window's start in the file. */
  start: number;
  /** The file's size when it was read. */
  size: number;
}

const decoder = new TextDecoder();

/** Not a regular file: a FIFO would block forever, a device or link lead anywhere. */
export class NotATranscriptError extends Error {}

/** The complete lines within the last `maxBytes` bytes of the file. */
export async function readTranscriptTail(path: string, maxBytes: number): Promise<TranscriptTail> {
  // lstat, not stat: a link is refused too, so nothing it points at (a FIFO) is ever opened.
  if (!(await Deno.lstat(path)).isFile) {
    throw new NotATranscriptError(`${path} is not a regular file.`);
  }
  using file = await Deno.open(path, { read: true });
  const { size } = await file.stat();
  const start = Math.max(0, size - Math.max(0, Math.floor(maxBytes)));
  // One byte before the window says whether the window starts a line or cuts one.
  const from = start > 0 ? start - 1 : 0;
  const buffer = new Uint8Array(size - from);
  await file.seek(from, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < buffer.length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  let text = decoder.decode(buffer.subarray(0, filled));
  if (start > 0) {
    const newline = text.indexOf("\n");
    text = newline === -1 ? "" : text.slice(newline + 1);
  }
  const lines = text.split("\n").map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
  return { lines, start, size };
}

export interface TranscriptUsageOptions extends UsageOptions {
  /** The first window read from the end; doubled until an answer or `maxBytes`. */
  initialBytes?: number;
  /** The most ever read. An assistant entry further back than this is not looked for. */
  maxBytes?: number;
}

export interface TranscriptScan {
  scan: TailScan;
  /** Bytes read in all, over every window tried (a measure of the cost). */
  bytesRead: number;
}

export const INITIAL_TAIL_BYTES = 64 * 1024;
export const MAX_TAIL_BYTES = 16 * 1024 * 1024;

/** Scans the tail, growing it until it holds an assistant entry or a compact boundary. */
export async function scanTranscript(
  path: string,
  options: TranscriptUsageOptions = {},
): Promise<TranscriptScan> {
  const cap = options.maxBytes ?? MAX_TAIL_BYTES;
  let window = Math.min(options.initialBytes ?? INITIAL_TAIL_BYTES, cap);
  let bytesRead = 0;
  for (;;) {
    let tail: TranscriptTail;
    try {
      tail = await readTranscriptTail(path, window);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof NotATranscriptError) {
        return { scan: { found: "nothing" }, bytesRead };
      }
      throw error;
    }
    bytesRead += tail.size - tail.start;
    const scan = scanTail(tail.lines, options);
    if (scan.found !== "nothing" || tail.start === 0 || window >= cap) return { scan, bytesRead };
    window = Math.min(window * 2, cap);
  }
}

/** The session's context usage, or null when the transcript does not show one. */
export async function contextUsageFromTranscript(
  path: string,
  options: TranscriptUsageOptions = {},
): Promise<ContextUsage | null> {
  const { scan } = await scanTranscript(path, options);
  return scan.found === "usage" ? scan.usage : null;
}
