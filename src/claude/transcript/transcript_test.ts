import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { contextUsageFromTranscript, readTranscriptTail, scanTranscript } from "./transcript.ts";

const TRANSCRIPTS = fileURLToPath(
  new URL("../../../tests/fixtures/claude-code/transcripts/", import.meta.url),
);
const MODEL = "claude-sonnet-4-5-20250929";

Deno.test("context usage of the recorded transcripts", async () => {
  // Sonnet 4.5's window is the documented 200,000 tokens (claude/session/model_windows.ts).
  assertEquals(await contextUsageFromTranscript(join(TRANSCRIPTS, "transcript-72pct.jsonl")), {
    tokens: 144000,
    window: 200000,
    percent: 72,
    model: MODEL,
    window_source: "model",
  });
  const told = { windowOverride: 200000 };
  assertEquals(
    await contextUsageFromTranscript(join(TRANSCRIPTS, "transcript-30pct.jsonl"), told),
    { tokens: 60000, window: 200000, percent: 30, model: MODEL, window_source: "override" },
  );
  assertEquals(await contextUsageFromTranscript(join(TRANSCRIPTS, "transcript-1m-60pct.jsonl")), {
    tokens: 600000,
    window: 1000000,
    percent: 60,
    model: `${MODEL}[1m]`,
    window_source: "model",
  });
  // The real 2.1.330 transcript names its default model, whose documented window is 1,000,000.
  const real = await contextUsageFromTranscript(
    join(TRANSCRIPTS, "real-2.1.330-bash-failure.jsonl"),
  );
  assertEquals([real?.window, real?.window_source, real?.model], [
    1_000_000,
    "model",
    "claude-opus-5-5",
  ]);
});

Deno.test("a transcript path that is a FIFO or a link is not opened", async () => {
  await using dir = await tempDir();
  const fifo = join(dir.path, "t.fifo");
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output().catch(() => null);
  if (made?.success) assertEquals((await scanTranscript(fifo)).scan, { found: "nothing" });
  const link = join(dir.path, "link.jsonl");
  await Deno.symlink(join(TRANSCRIPTS, "transcript-72pct.jsonl"), link);
  assertEquals((await scanTranscript(link)).scan, { found: "nothing" });
});

Deno.test("MPM_CONTEXT_WINDOW's value replaces the model's window", async () => {
  const usage = await contextUsageFromTranscript(join(TRANSCRIPTS, "transcript-72pct.jsonl"), {
    windowOverride: 160000,
  });
  assertEquals(usage?.percent, 90);
});

Deno.test("a window too small for the last entry grows until it holds it", async () => {
  const path = join(TRANSCRIPTS, "transcript-72pct.jsonl");
  const { scan, bytesRead } = await scanTranscript(path, { initialBytes: 64 });
  assertEquals(scan.found === "usage" ? scan.usage.tokens : -1, 144000);
  assert(bytesRead > 64);
});

Deno.test("a missing or empty transcript has no usage", async () => {
  await using dir = await tempDir();
  assertEquals(await contextUsageFromTranscript(join(dir.path, "none.jsonl")), null);
  await Deno.writeTextFile(join(dir.path, "empty.jsonl"), "");
  assertEquals(await contextUsageFromTranscript(join(dir.path, "empty.jsonl")), null);
});

Deno.test("readTranscriptTail keeps a line the window starts exactly on, drops a cut one", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "t.jsonl");
  await Deno.writeTextFile(path, "first line\r\nsecond\nthird\n");
  assertEquals((await readTranscriptTail(path, 13)).lines, ["second", "third", ""]);
  assertEquals((await readTranscriptTail(path, 12)).lines, ["third", ""]);
  assertEquals((await readTranscriptTail(path, 1000)).lines, ["first line", "second", "third", ""]);
});

function entry(kind: "user" | "assistant", tokens: number, sidechain = false, text = "x"): string {
  if (kind === "user") {
    return JSON.stringify({
      type: "user",
      isSidechain: sidechain,
      message: { role: "user", content: [{ type: "tool_result", content: text }] },
    });
  }
  return JSON.stringify({
    type: "assistant",
    isSidechain: sidechain,
    message: {
      model: MODEL,
      content: [{ type: "text", text }],
      usage: {
        input_tokens: 1000,
        cache_creation_input_tokens: 2000,
        cache_read_input_tokens: tokens - 3000,
        output_tokens: 10,
      },
    },
  });
}

Deno.test("a 50 MB transcript is measured from its tail", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "big.jsonl");
  const file = await Deno.open(path, { write: true, create: true });
  const encoder = new TextEncoder();
  // About 1 MB of ordinary turns before compaction, repeated: numbers that must not count.
  const turn = entry("user", 0, false, "r".repeat(2000)) + "\n" + entry("assistant", 190000) + "\n";
  const chunk = encoder.encode(turn.repeat(Math.ceil(1_000_000 / turn.length)));
  for (let written = 0; written < 50_000_000; written += chunk.length) await file.write(chunk);
  const boundary = JSON.stringify({
    type: "system",
    subtype: "compact_boundary",
    isSidechain: false,
  });
  const after = [
    boundary,
    entry("user", 0),
    entry("assistant", 120000),
    entry("user", 0),
    entry("assistant", 150000, false, "the last main-thread answer"),
    // A subagent ran after it, and a large tool result sits at the end: neither counts, and
    // the result is bigger than the first window, so the window has to grow.
    entry("user", 0, true),
    entry("assistant", 185000, true),
    entry("user", 0, false, "o".repeat(300_000)),
  ];
  await file.write(encoder.encode(after.join("\n") + "\n"));
  file.close();

  const { size } = await Deno.stat(path);
  assert(size > 50_000_000);
  const { scan, bytesRead } = await scanTranscript(path, { windowOverride: 200000 });
  assertEquals(scan, {
    found: "usage",
    usage: { tokens: 150000, window: 200000, percent: 75, model: MODEL, window_source: "override" },
    // The tool result at the end has no answer in the transcript yet.
    behind: true,
  });
  // 64 KiB, 128 KiB, 256 KiB, 512 KiB: the cost is set by the tail, not by the 50 MB.
  assert(bytesRead < 1_048_576, `read ${bytesRead} bytes`);
});

Deno.test("a compaction after the last answer means usage is not known yet", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "t.jsonl");
  const boundary = JSON.stringify({
    type: "system",
    subtype: "compact_boundary",
    isSidechain: false,
  });
  await Deno.writeTextFile(
    path,
    [entry("assistant", 190000), boundary, entry("user", 0)].join("\n"),
  );
  assertEquals((await scanTranscript(path)).scan, { found: "boundary", behind: true });
  assertEquals(await contextUsageFromTranscript(path), null);
});

Deno.test("the window stops growing at maxBytes", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "t.jsonl");
  await Deno.writeTextFile(
    path,
    entry("assistant", 50000) + "\n" + entry("user", 0, false, "z".repeat(100_000)),
  );
  const capped = await scanTranscript(path, { initialBytes: 1024, maxBytes: 8192 });
  assertEquals(capped.scan, { found: "nothing" });
  assert(capped.bytesRead <= 1024 + 2048 + 4096 + 8192);
  assertEquals((await scanTranscript(path)).scan.found, "usage");
});
