/**
 * The context SessionStart hooks gave a conversation, from the attachment lines in its transcript's
 * tail.
 */
import { dirname, join } from "../../kernel/path.ts";
import { lookAtTranscript } from "./transcript_kind.ts";
import { pushAll } from "../../kernel/lists.ts";

/** How much of a transcript's end is searched for hook contexts. */
export const TAIL_BYTES = 32 * 1024 * 1024;

/** Attachment lines looked at, newest first. */
const MAX_ENTRIES = 20;

const MARK = '"hook_additional_context"';

/** The texts hooks injected into the conversation of `path`, newest first; [] when none. */
export async function hookContexts(path: string, tailBytes = TAIL_BYTES): Promise<string[]> {
  return await tailTexts(path, MARK, contentsOf, tailBytes);
}

/** The texts `textsOf` finds in the last MAX_ENTRIES lines holding `mark`, newest first. */
export async function tailTexts(
  path: string,
  mark: string,
  textsOf: (line: string) => string[],
  tailBytes: number,
): Promise<string[]> {
  const text = await readTail(path, tailBytes);
  if (text === null) return [];
  const found: string[] = [];
  let end = text.length;
  for (let entries = 0; entries < MAX_ENTRIES;) {
    const at = text.lastIndexOf(mark, end);
    if (at < 0) break;
    const start = text.lastIndexOf("\n", at) + 1;
    const stop = text.indexOf("\n", at);
    const line = text.slice(start, stop < 0 ? text.length : stop);
    end = start - 1;
    entries++;
    pushAll(found, textsOf(line));
    if (end < 0) break;
  }
  return found;
}

/** The strings of one attachment line's `content`; none when it is not such a line. */
function contentsOf(line: string): string[] {
  try {
    const entry = JSON.parse(line) as { attachment?: { type?: unknown; content?: unknown } };
    const attachment = entry.attachment;
    if (attachment?.type !== "hook_additional_context") return [];
    const content = attachment.content;
    if (typeof content === "string") return [content];
    return Array.isArray(content) ? content.filter((c): c is string => typeof c === "string") : [];
  } catch {
    // A line cut by the tail's start, or half written: not one to read.
    return [];
  }
}

/** How far a transcript's last answer may be from the time a fork names and still be its source. */
const FORK_MATCH_MS = 5_000;

/** Transcripts looked at, most recently changed first, for a fork's source. */
const FORK_CANDIDATES = 8;

/** A fork's source: the transcript whose last answer fits `seconds_since_last_response`. */
export async function forkSource(
  transcript: string,
  secondsSinceLastResponse: number,
  now: Date,
): Promise<string | null> {
  const folder = dirname(transcript);
  const answeredAt = now.getTime() - secondsSinceLastResponse * 1000;
  const files: { path: string; mtime: number }[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (!entry.isFile || !entry.name.endsWith(".jsonl")) continue;
      const path = join(folder, entry.name);
      if (path === transcript) continue;
      const info = await Deno.stat(path).catch(() => null);
      if (info?.mtime) files.push({ path, mtime: info.mtime.getTime() });
    }
  } catch {
    return null;
  }
  files.sort((a, b) => b.mtime - a.mtime);
  const fits: string[] = [];
  for (const file of files.slice(0, FORK_CANDIDATES)) {
    const last = lastAnswerAt(await readTail(file.path, 1024 * 1024) ?? "");
    if (last !== null && Math.abs(last - answeredAt) <= FORK_MATCH_MS) fits.push(file.path);
  }
  return fits.length === 1 ? fits[0] : null;
}

/** When the last assistant entry of a transcript's text was written (ms), or null. */
function lastAnswerAt(text: string): number | null {
  let end = text.length;
  for (;;) {
    const at = text.lastIndexOf('"type":"assistant"', end);
    if (at < 0) return null;
    const start = text.lastIndexOf("\n", at) + 1;
    const stop = text.indexOf("\n", at);
    end = start - 1;
    try {
      const entry = JSON.parse(text.slice(start, stop < 0 ? text.length : stop));
      const time = entry?.type === "assistant" ? Date.parse(entry.timestamp) : NaN;
      if (!Number.isNaN(time)) return time;
    } catch {
      // Not a whole entry: look further back.
    }
    if (end < 0) return null;
  }
}

/** The last `tailBytes` of a regular file's text; null for anything else or what cannot be read. */
export async function readTail(path: string, tailBytes: number): Promise<string | null> {
  try {
    const look = await lookAtTranscript(path);
    if (look.kind !== "file") return null;
    const info = look.info;
    using file = await Deno.open(path, { read: true });
    const size = info.size;
    const from = Math.max(0, size - tailBytes);
    if (from > 0) await file.seek(from, Deno.SeekMode.Start);
    const buffer = new Uint8Array(size - from);
    let read = 0;
    while (read < buffer.length) {
      const n = await file.read(buffer.subarray(read));
      if (n === null) break;
      read += n;
    }
    return new TextDecoder().decode(buffer.subarray(0, read));
  } catch {
    return null;
  }
}
