import { assert, assertEquals, assertNotIncludes } from "../../../tests/assert.ts";
import { buildSegment } from "./segment.ts";
import { buildSegmentBytes, GrowingBytes, segmentSinks } from "./segment_bytes.ts";

const TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0".repeat(2).slice(0, 36);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const line = (time: string | null, content: string) =>
  JSON.stringify({
    type: "user",
    ...(time === null ? {} : { timestamp: time }),
    message: { role: "user", content },
  });

/**
 * Lines a piece boundary can fall between: a secret, lines without a time of their own (they take
 * the one before), times out of order, an empty line, one that is no JSON, text beyond ASCII and
 * a byte-order mark that starts a line inside the text.
 */
const text = [
  "\uFEFF" + line("2026-11-23T10:00:05.000Z", "first, after a byte-order mark"),
  line(null, "no time of its own"),
  line("2026-11-23T10:00:01.000Z", `export GITHUB_TOKEN=${TOKEN}`),
  "",
  "not JSON at all",
  line(null, "déjà vu — 日本語 🙂"),
  "\uFEFF" + line("2026-11-23T10:00:09.000Z", "a mark inside"),
  line(null, "the last, timed as the one before"),
].join("\n") + "\n";

Deno.test("buildSegmentBytes in pieces gives the bytes buildSegment gives the text whole", () => {
  const bytes = encoder.encode(text);
  // The segment's text as a copy read it whole: decoded at once, its first mark dropped.
  const whole = buildSegment(decoder.decode(bytes), 2, "2026-11-23T09:00:00.000Z", "claude-code");
  assert(whole.raw.includes("\uFEFF"), "the mark inside the text is kept");
  for (const pieceBytes of [1, 7, 100, 300, bytes.length, 1 << 20]) {
    const built = buildSegmentBytes(
      bytes,
      2,
      "2026-11-23T09:00:00.000Z",
      "claude-code",
      segmentSinks(),
      pieceBytes,
    );
    const got = {
      raw: decoder.decode(built.raw),
      talk: decoder.decode(built.talk),
      tools: decoder.decode(built.tools),
      lines: built.lines,
      first: built.first,
      last: built.last,
    };
    const { time: _, ...want } = whole;
    assertEquals(got, want, `pieces of ${pieceBytes} bytes`);
    assertEquals(built.raw, encoder.encode(whole.raw), `pieces of ${pieceBytes} bytes`);
    assertNotIncludes(got.raw, TOKEN);
  }
});

Deno.test("buildSegmentBytes: a line without a time takes the last line's across a piece's end", () => {
  const lines = [line("2026-11-23T10:00:00.000Z", "timed"), line(null, "untimed")];
  const bytes = encoder.encode(lines.join("\n") + "\n");
  const built = buildSegmentBytes(bytes, 0, null, "claude-code", segmentSinks(), 1);
  const times = decoder.decode(built.talk).trim().split("\n").map((l) => JSON.parse(l).t);
  assertEquals(times, ["2026-11-23T10:00:00.000Z", "2026-11-23T10:00:00.000Z"]);
});

Deno.test("the sinks are emptied for the next segment, and grow past what they held", () => {
  const sinks = segmentSinks();
  const long = line("2026-11-23T10:00:00.000Z", "x".repeat(100_000)) + "\n";
  const first = buildSegmentBytes(encoder.encode(long), 0, null, "claude-code", sinks, 64);
  assertEquals(decoder.decode(first.raw), long);
  const short = line(null, "short") + "\n";
  const second = buildSegmentBytes(encoder.encode(short), 0, null, "claude-code", sinks, 64);
  assertEquals(decoder.decode(second.raw), short);
  const bytes = new GrowingBytes();
  for (let i = 0; i < 1000; i++) bytes.append("ab\u00e9");
  assertEquals(decoder.decode(bytes.bytes()), "ab\u00e9".repeat(1000));
  bytes.clear();
  assertEquals(bytes.bytes().length, 0);
});
