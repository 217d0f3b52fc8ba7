/**
 * In-process figures beside the whole-process table of scripts/bench/bench.ts (which runs this
 * file): reading the context usage from the end of a large Claude Code transcript, the part of
 * SessionEnd whose cost grows with the conversation.
 *
 *   deno run --allow-all scripts/bench/transcripts/bench_transcript.ts
 */
import { contextUsageFromTranscript } from "../../../src/claude/transcript/transcript.ts";
import { median, type Row } from "../bench_lib.ts";

/** A transcript of about `megabytes` MB: filler turns, a compaction, then the last answer. */
async function makeTranscript(megabytes: number): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  using file = await Deno.open(path, { write: true });
  const encoder = new TextEncoder();
  const usage = (n: number) => ({
    input_tokens: n,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: 2000,
    output_tokens: 10,
  });
  const assistant = (n: number, sidechain = false) =>
    JSON.stringify({
      type: "assistant",
      isSidechain: sidechain,
      message: { model: "claude-sonnet-4-5", role: "assistant", usage: usage(n) },
    });
  const filler = JSON.stringify({
    type: "user",
    message: { role: "user", content: "x".repeat(4000) },
  });
  const chunk = encoder.encode(
    Array(250).fill(filler).join("\n") + "\n" + assistant(150_000) + "\n",
  );
  for (let written = 0; written < megabytes * 1_000_000; written += chunk.length) {
    await file.write(chunk);
  }
  const tail = [
    JSON.stringify({
      type: "system",
      subtype: "compact_boundary",
      content: "Conversation compacted",
    }),
    assistant(40_000),
    assistant(180_000, true),
  ];
  await file.write(encoder.encode(tail.join("\n") + "\n"));
  return path;
}

async function transcript(megabytes: number): Promise<Row> {
  const path = await makeTranscript(megabytes);
  try {
    const usage = await contextUsageFromTranscript(path);
    if (usage?.tokens !== 43_000) throw new Error(`unexpected usage ${JSON.stringify(usage)}`);
    return {
      name: `context usage, ${megabytes} MB transcript`,
      ms: await median(() => contextUsageFromTranscript(path)),
      budget: "< 20 ms",
    };
  } finally {
    await Deno.remove(path);
  }
}

if (import.meta.main) {
  const row = await transcript(200);
  console.log(`| ${row.name} | ${row.ms.toFixed(1)} ms | budget ${row.budget} |`);
}
