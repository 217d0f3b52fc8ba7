/**
 * Where a session's and its subagents' transcripts live, their size and age, and their whole lines.
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { claudeConfigDir } from "../settings/config/config_dir.ts";
import {
  isClaudeSessionId,
  isSubagentTranscriptName,
  MAX_SUBAGENT_FOLDERS,
} from "./transcript_names.ts";
import { lookAtTranscript } from "./transcript_kind.ts";

export { isClaudeSessionId };

/** Where Claude Code keeps a project's transcript: the project path, non-alphanumerics as `-`. */
export function defaultTranscriptPath(
  home: string,
  vars: Readonly<Record<string, string | undefined>>,
  root: string,
  id: string,
): string {
  return join(
    claudeConfigDir(home, vars),
    "projects",
    root.replace(/[^A-Za-z0-9]/g, "-"),
    `${id}.jsonl`,
  );
}

export interface FileFacts {
  size: number;
  mtime: Date | null;
}

/** A transcript's size and mtime; undefined when nothing or no transcript is there. */
export async function transcriptFacts(path: string): Promise<FileFacts | undefined> {
  const look = await lookAtTranscript(path);
  if (look.kind === "unknown") {
    throw new TranscriptFileError(`${path} cannot be looked at (${look.why}).`);
  }
  return look.kind === "file" ? { size: look.info.size, mtime: look.info.mtime } : undefined;
}

/** A transcript that is there but cannot be read as a file. */
export class TranscriptFileError extends Error {}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** The session's subagent transcripts, relative and sorted; only names Claude Code gives. */
export async function subagentTranscripts(mainPath: string, id: string): Promise<string[]> {
  if (!isClaudeSessionId(id)) return [];
  const top = join(dirname(mainPath), id, "subagents");
  const found: string[] = [];
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return; // no folder, or not one we may read: no subagents to copy
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isFile && isSubagentTranscriptName(id, child)) found.push(child);
      else if (entry.isDirectory && depth < MAX_SUBAGENT_FOLDERS) {
        await walk(join(dir, entry.name), child, depth + 1);
      }
    }
  };
  await walk(top, `${id}/subagents`, 0);
  return found.sort();
}

/** The path of a transcript named relative to the main transcript's folder. */
export function transcriptAt(mainPath: string, rel: string): string {
  return rel === basename(mainPath) ? mainPath : join(dirname(mainPath), ...rel.split("/"));
}

/** The bytes `[from, from + length)` of a file (fewer when it is shorter). */
export async function readRange(path: string, from: number, length: number): Promise<Uint8Array> {
  // Checked before the open: opening a FIFO waits for a writer.
  if ((await lookAtTranscript(path)).kind === "other") {
    throw new TranscriptFileError(`${path} is not a regular file.`);
  }
  using file = await Deno.open(path, { read: true });
  if (!(await file.stat()).isFile) throw new TranscriptFileError(`${path} is not a regular file.`);
  await file.seek(from, Deno.SeekMode.Start);
  const buffer = new Uint8Array(Math.max(0, length));
  let filled = 0;
  while (filled < buffer.length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** How a read of whole lines ended, filled in by `wholeLines` as it goes. */
export interface LinesRead {
  /** Bytes after the last line end at the end of the file: a line still being written. */
  partial: number;
  /** Lines longer than the limit, skipped whole once their end was read. */
  skippedLines: number;
  /** The read failed here: one sentence (what came before it was yielded). */
  error: string | null;
}

export interface WholeLinesOptions {
  /** About this many bytes of whole lines per chunk. */
  chunkBytes: number;
  /** A line longer than this (its line end aside) is skipped and counted, never held. */
  maxLineBytes: number;
}

const NEWLINE = 10;

/** Room past a chunk for the start of a line the last read did not end (more when it must). */
const HELD_ROOM = 64 * 1024;

/** Whole lines from byte `from` in chunks of about `chunkBytes` (over-long ones skipped). */
export async function* wholeLines(
  path: string,
  from: number,
  options: WholeLinesOptions,
  read: LinesRead,
): AsyncGenerator<{ bytes: Uint8Array; end: number }> {
  // Looked at before the open, as readRange does: opening a FIFO waits for a writer.
  if ((await lookAtTranscript(path)).kind === "other") {
    read.error = `${path} is not a regular file.`;
    return;
  }
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    read.error = `${path} cannot be read (${describe(error)}).`;
    return;
  }
  const max = options.maxLineBytes;
  try {
    if (!(await file.stat()).isFile) {
      read.error = `${path} is not a regular file.`;
      return;
    }
    await file.seek(from, Deno.SeekMode.Start);
    // One buffer for every read; the unfinished line is moved to its start.
    let buffer = new Uint8Array(options.chunkBytes + HELD_ROOM);
    let held = 0;
    let heldAt = from;
    let skipping = false;
    let skipped = 0;
    for (;;) {
      if (held + options.chunkBytes > buffer.length) {
        const grown = new Uint8Array(2 * held + options.chunkBytes);
        grown.set(buffer.subarray(0, held));
        buffer = grown;
      }
      let got: number | null;
      try {
        got = await file.read(buffer.subarray(held, held + options.chunkBytes));
      } catch (error) {
        read.error = `${path} could not be read past byte ${heldAt} (${describe(error)}).`;
        read.partial = skipping ? skipped : held;
        return;
      }
      if (got === null) break;
      const chunk = buffer.subarray(0, held + got);
      // `run`: where the lines to yield begin; `ended`: past the last line end.
      let start = 0;
      if (skipping) {
        const end = chunk.indexOf(NEWLINE);
        if (end === -1) {
          heldAt += chunk.length;
          skipped += chunk.length;
          held = 0;
          continue;
        }
        read.skippedLines++;
        skipping = false;
        skipped = 0;
        start = end + 1;
      }
      let run = start;
      let ended = start;
      // A line over the limit can only be in a chunk longer than the limit.
      if (chunk.length - start > max) {
        for (
          let end = chunk.indexOf(NEWLINE, start);
          end !== -1;
          end = chunk.indexOf(NEWLINE, ended)
        ) {
          if (end - ended > max) {
            if (ended > run) yield { bytes: chunk.subarray(run, ended), end: heldAt + ended };
            read.skippedLines++;
            run = end + 1;
          }
          ended = end + 1;
        }
      } else ended = chunk.lastIndexOf(NEWLINE) + 1 || start;
      if (ended < start) ended = start;
      // Something ended (whole lines, or skipped ones only): the chunk's end moves past it.
      if (ended > 0) yield { bytes: chunk.subarray(run, ended), end: heldAt + ended };
      const rest = chunk.length - ended;
      heldAt += ended;
      if (rest > max) {
        skipping = true;
        skipped = rest;
        heldAt += rest;
        held = 0;
      } else {
        buffer.copyWithin(0, ended, chunk.length);
        held = rest;
      }
    }
    read.partial = skipping ? skipped : held;
  } finally {
    file.close();
  }
}
