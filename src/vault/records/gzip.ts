/**
 * gzip by the runtime's CompressionStream, one member a segment. The runtime's DecompressionStream
 * stops after the first member, so members are read at the offsets the manifest records.
 */
import { concatBytes } from "../../kernel/hashing/bytes.ts";

const encoder = new TextEncoder();

async function through(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** One gzip member, written in one piece (the runtime ends a deflate block at every write). */
export async function gzip(data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const stream = new CompressionStream("gzip");
  const writer = stream.writable.getWriter();
  const out = new Response(stream.readable).arrayBuffer();
  await Promise.all([writer.write(bytes as Uint8Array<ArrayBuffer>), writer.close()]);
  return new Uint8Array(await out);
}

/** How much compressed input gunzipPieces decompresses at once. */
const FEED_BYTES = 4096;

/** Thrown when a member holds more than the caller allows (a file from elsewhere, say). */
export class TooLargeError extends Error {}

/** One member's content in the runtime's pieces; TooLargeError as soon as it passes `limit`. */
export async function* gunzipPieces(
  member: Uint8Array,
  limit = Infinity,
): AsyncGenerator<Uint8Array> {
  // Fed a few KB at a time, else a whole member would come out as one piece.
  let at = 0;
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (at >= member.length) return controller.close();
      controller.enqueue(member.slice(at, at + FEED_BYTES));
      at += FEED_BYTES;
    },
  });
  const reader = source.pipeThrough(new DecompressionStream("gzip")).getReader();
  let total = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) throw new TooLargeError(`more than ${limit} bytes once decompressed`);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Decompressed text in pieces ending at a line's end, each at least `atLeast` characters. */
async function* wholeLines(
  pieces: AsyncIterable<Uint8Array>,
  atLeast = 0,
): AsyncGenerator<string> {
  const text = new TextDecoder();
  let held = "";
  // Where the last held line ends, so a very long line costs its length once.
  let end = 0;
  for await (const piece of pieces) {
    const added = text.decode(piece, { stream: true });
    const newline = added.lastIndexOf("\n");
    held += added;
    if (newline !== -1) end = held.length - added.length + newline + 1;
    if (end > 0 && held.length >= atLeast) {
      yield held.slice(0, end);
      held = held.slice(end);
      end = 0;
    }
  }
  held += text.decode();
  if (held !== "") yield held;
}

/** Thrown when a member holds fewer bytes than recorded. */
export class ShortMemberError extends Error {}

/** One member's text in whole-line pieces, checked against its recorded `size`. */
export async function* gunzipLines(
  member: Uint8Array,
  size: number,
  atLeast = 0,
): AsyncGenerator<string> {
  let total = 0;
  const counted = async function* () {
    for await (const piece of gunzipPieces(member, size)) {
      total += piece.length;
      yield piece;
    }
  };
  yield* wholeLines(counted(), atLeast);
  if (total !== size) throw new ShortMemberError(`${total} bytes once decompressed, not ${size}`);
}

/** One gzip member's content, whole (gunzipPieces' checks). */
export async function gunzip(member: Uint8Array, limit = Infinity): Promise<Uint8Array> {
  if (limit === Infinity) return await through(member, new DecompressionStream("gzip"));
  const parts: Uint8Array[] = [];
  for await (const part of gunzipPieces(member, limit)) parts.push(part);
  return concatBytes(parts);
}
