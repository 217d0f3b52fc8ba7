/** A segment's streams as bytes, a piece at a time into reused buffers. Pure. */
import type { AgentName } from "../../kernel/agent_name.ts";
import { buildSegment } from "./segment.ts";

/** Under the runtime's large-object size, so a piece's strings die young. */
export const PIECE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const encoder = new TextEncoder();

/** Text appended as UTF-8 to one buffer, which grows as it must and is emptied to be used again. */
export class GrowingBytes {
  #buffer = new Uint8Array(0);
  #length = 0;

  append(text: string): void {
    if (text === "") return;
    // UTF-8 takes at most three bytes for each UTF-16 code unit.
    const room = this.#length + text.length * 3;
    if (room > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(room, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#length += encoder.encodeInto(text, this.#buffer.subarray(this.#length)).written;
  }

  /** What was appended since the last clear; valid until the next append or clear. */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  clear(): void {
    this.#length = 0;
  }
}

/** The buffers a file's segments are built into, one after another. */
export interface SegmentSinks {
  raw: GrowingBytes;
  talk: GrowingBytes;
  tools: GrowingBytes;
}

export function segmentSinks(): SegmentSinks {
  return { raw: new GrowingBytes(), talk: new GrowingBytes(), tools: new GrowingBytes() };
}

export interface SegmentBytes {
  /** The redacted lines, and the two indexes' lines: views into the sinks, valid until their next use. */
  raw: Uint8Array;
  talk: Uint8Array;
  tools: Uint8Array;
  lines: number;
  first: string | null;
  last: string | null;
}

/** buildSegment of `bytes` into `sinks` (emptied first). */
export function buildSegmentBytes(
  bytes: Uint8Array,
  file: number,
  time: string | null,
  agent: AgentName,
  sinks: SegmentSinks,
  pieceBytes = PIECE_BYTES,
): SegmentBytes {
  sinks.raw.clear();
  sinks.talk.clear();
  sinks.tools.clear();
  // One decoder for the segment: a byte-order mark is dropped at its start only.
  const decoder = new TextDecoder();
  let lines = 0;
  let first: string | null = null;
  let last: string | null = null;
  let now = time;
  for (let at = 0; at < bytes.length;) {
    const newline = bytes.indexOf(NEWLINE, Math.min(bytes.length, at + pieceBytes) - 1);
    const end = newline === -1 ? bytes.length : newline + 1;
    const text = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
    const built = buildSegment(text, file, now, agent);
    sinks.raw.append(built.raw);
    sinks.talk.append(built.talk);
    sinks.tools.append(built.tools);
    lines += built.lines;
    if (built.first !== null && (first === null || built.first < first)) first = built.first;
    if (built.last !== null && (last === null || built.last > last)) last = built.last;
    now = built.time;
    at = end;
  }
  return {
    raw: sinks.raw.bytes(),
    talk: sinks.talk.bytes(),
    tools: sinks.tools.bytes(),
    lines,
    first,
    last,
  };
}
