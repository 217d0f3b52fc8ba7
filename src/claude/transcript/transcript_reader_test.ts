import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import {
  compactSummaryText,
  emptyStats,
  MAX_PENDING,
  promptText,
  type TranscriptEntry,
  TranscriptParser,
} from "./transcript_entries.ts";
import { readEntryBatches, readLineBatches, TranscriptError } from "./transcript_reader.ts";

const TRANSCRIPTS = fileURLToPath(
  new URL("../../../tests/fixtures/claude-code/transcripts/", import.meta.url),
);
const REAL = join(TRANSCRIPTS, "real-2.1.328-edit-bash-compact.jsonl");
const MIXED = join(TRANSCRIPTS, "replay-multiedit-subagent-truncated.jsonl");

async function entriesOf(path: string, stats = emptyStats()): Promise<TranscriptEntry[]> {
  const out: TranscriptEntry[] = [];
  for await (const batch of readEntryBatches(path, new TranscriptParser(), {}, stats)) {
    out.push(...batch);
  }
  return out;
}

function label(entry: TranscriptEntry): string {
  return entry.kind === "tool" ? `tool:${entry.name}` : entry.kind;
}

Deno.test("the real Claude Code 2.1.328 transcript: prompts, edits, a failed Bash, a compaction", async () => {
  const stats = emptyStats();
  const entries = await entriesOf(REAL, stats);
  assertEquals(entries.map(label), [
    "prompt",
    "text",
    "tool:Write",
    "text",
    "tool:Edit",
    "text",
    "tool:Bash",
    "text",
    "tool:Read",
    "text",
    "compact",
    "compact-summary",
    "prompt",
  ]);
  // Bookkeeping lines (attachments, api-request copies, cost-state…) are known, not unknown.
  assertEquals({ ...stats, lines: 0 }, { ...emptyStats(), entries: 13 });
  assertEquals(stats.lines, 62);

  const write = entries[2];
  assert(write.kind === "tool" && write.edit !== null);
  assertEquals(write.edit.operation, "create");
  assertEquals([write.edit.added, write.edit.removed], [4, 0]);
  assertStringIncludes(write.edit.diff, "@@ -0,0 +1,4 @@\n+export function charge");

  const edit = entries[4];
  assert(edit.kind === "tool" && edit.edit !== null);
  // Line numbers come from Claude Code's structuredPatch, so they are the file's.
  assertStringIncludes(edit.edit.diff, "@@ -2,3 +2,7 @@");
  assertStringIncludes(edit.edit.diff, "+export function refund(amount: number): string {");
  assertEquals([edit.edit.added, edit.edit.removed], [4, 0]);

  const bash = entries[6];
  assert(bash.kind === "tool" && bash.result !== null);
  assertEquals(bash.result.isError, true);
  assertStringIncludes(bash.result.text, "No such file or directory");
  assertEquals((bash.input as { command: string }).command, "ls /nonexistent-tests-dir");

  const compact = entries[10];
  assert(compact.kind === "compact");
  assertEquals([compact.trigger, compact.preTokens], ["manual", 1220]);
  const summary = entries[11];
  assert(summary.kind === "compact-summary");
  assertEquals(
    summary.text,
    "Added charge() and refund() in src/pay.ts; the tests folder does not exist yet.",
  );
  const slash = entries[12];
  assert(slash.kind === "prompt");
  assertEquals(slash.text, "/compact");
  assertEquals(entries[0].sessionId, "cadbfc5a-a60b-4b11-b6dd-f1e040faa948");
  assertEquals(entries[0].cwd, "/home/dev/shop");
});

Deno.test("thinking, MultiEdit, a subagent, an orphan result, an unknown type, a cut last line", async () => {
  const stats = emptyStats();
  const entries = await entriesOf(MIXED, stats);
  assertEquals(entries.map(label), [
    "prompt",
    "thinking",
    "text",
    "tool:MultiEdit",
    "tool:Task",
    "prompt",
    "text",
    "tool:Write",
    "tool:Bash",
    "prompt",
    "text",
  ]);
  assertEquals([stats.bad, stats.unknown, stats.orphanResults], [1, 1, 1]);
  assertEquals(entries.filter((e) => e.sidechain).map(label), ["prompt", "text"]);

  const multi = entries[3];
  assert(multi.kind === "tool" && multi.edit !== null);
  assertEquals(multi.edit.operation, "multi-edit");
  assertEquals([multi.edit.added, multi.edit.removed], [5, 0]);
  assertStringIncludes(multi.edit.diff, "+  quantity: number;");
  assertStringIncludes(multi.edit.diff, "+export function total(cart: Cart): number {");

  // A Write over an existing file is diffed against what the result says was there.
  const write = entries[7];
  assert(write.kind === "tool" && write.edit !== null);
  assertEquals(write.edit.operation, "write");
  assertEquals(write.edit.diff, "@@ -1 +1,3 @@\n # shop\n+\n+Cart with totals.\n");
  const task = entries[4];
  assert(task.kind === "tool");
  assertEquals(task.result?.text, "Yes: reduce starts at 0, so an empty cart totals 0.");
  const clear = entries[9];
  assert(clear.kind === "prompt");
  assertEquals(clear.text, "/clear");
});

Deno.test("a tool call whose result never comes is let go, and what follows is not held", () => {
  const parser = new TranscriptParser();
  const call = JSON.stringify({
    type: "assistant",
    timestamp: "2026-01-01T00:00:00.000Z",
    message: { content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "x" } }] },
  });
  assertEquals(parser.push(call), []);
  const text = JSON.stringify({
    type: "assistant",
    message: { content: [{ type: "text", text: "later" }] },
  });
  let out: TranscriptEntry[] = [];
  for (let i = 0; i < MAX_PENDING + 1 && out.length === 0; i++) out = parser.push(text);
  assertEquals(out.map(label).slice(0, 2), ["tool:Bash", "text"]);
  assert(out[0].kind === "tool" && out[0].result === null);
  // Its result, when it does come, is an orphan rather than an error.
  parser.push(JSON.stringify({
    type: "user",
    message: { content: [{ type: "tool_result", tool_use_id: "t1", content: "done" }] },
  }));
  assertEquals(parser.stats.orphanResults, 1);
  // A line without a timestamp takes the previous one.
  assertEquals(out[1].time, "2026-01-01T00:00:00.000Z");
});

Deno.test("long texts are cut to the limit, with the count of what was cut", () => {
  const parser = new TranscriptParser({ maxTextChars: 10 });
  const [entry] = parser.push(JSON.stringify({
    type: "user",
    message: { content: "0123456789abcdef" },
  }));
  assert(entry.kind === "prompt");
  assertEquals([entry.text, entry.cut], ["0123456789", 6]);
});

Deno.test("prompt and compaction texts drop what Claude Code wrote around them", () => {
  assertEquals(promptText("<local-command-stdout>Compacted</local-command-stdout>"), null);
  assertEquals(
    promptText("<command-name>/review</command-name><command-args>pr 12</command-args>"),
    "/review pr 12",
  );
  assertEquals(
    compactSummaryText(
      "This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\n\n<system-reminder>\nx\n</system-reminder>\nDid A.\n\nIf you need specific details from before compaction, read it.",
    ),
    "Did A.",
  );
});

Deno.test("lines are split across reads, CRLF endings dropped, and a last line without newline kept", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "t.jsonl");
  await Deno.writeTextFile(path, "alpha\r\nbeta-is-longer\n\ngamma");
  const lines: string[] = [];
  for await (const batch of readLineBatches(path, { chunkBytes: 3 })) lines.push(...batch);
  assertEquals(lines, ["alpha", "beta-is-longer", "", "gamma"]);
});

Deno.test("a line over the limit is skipped as it streams past and counted, not loaded", async () => {
  // The same path as a 1 GiB line under the default 16 MiB limit (tests/replay/replay_test.ts runs
  // that one through the whole command), at a sixteenth of the reading.
  await using dir = await tempDir();
  const path = join(dir.path, "huge.jsonl");
  const first = JSON.stringify({ type: "user", message: { content: "before" } }) + "\n";
  const last = "\n" + JSON.stringify({ type: "user", message: { content: "after" } }) + "\n";
  const long = 64 * 1024 * 1024;
  {
    // A sparse file: NUL bytes without a newline cost no disk and little time.
    using file = await Deno.open(path, { write: true, create: true });
    await file.write(new TextEncoder().encode(first));
    await file.truncate(first.length + long);
    await file.seek(0, Deno.SeekMode.End);
    await file.write(new TextEncoder().encode(last));
  }
  // In a process of its own: this one runs other test modules in parallel, and their
  // allocations would show in its RSS.
  const entriesModule = JSON.stringify(import.meta.resolve("./transcript_entries.ts"));
  const readerModule = JSON.stringify(import.meta.resolve("./transcript_reader.ts"));
  const script = `
    import { emptyStats } from ${entriesModule};
    import { readEntryBatches } from ${readerModule};
    import { TranscriptParser } from ${entriesModule};
    const before = Deno.memoryUsage().rss;
    const stats = emptyStats();
    const seen = [];
    const options = { maxLineBytes: 1024 * 1024 };
    for await (const batch of readEntryBatches(${
    JSON.stringify(path)
  }, new TranscriptParser(options), options, stats)) {
      for (const entry of batch) seen.push(entry.kind === "prompt" ? entry.text : entry.kind);
    }
    console.log(JSON.stringify({ seen, oversized: stats.oversized, grown: Deno.memoryUsage().rss - before }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const { seen, oversized, grown } = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(seen, ["before", "after"]);
  assertEquals(oversized, 1);
  assert(grown < long / 2, `memory grew by ${grown} bytes while a ${long}-byte line went past`);
});

Deno.test("a missing transcript, a folder and a FIFO are refused with one sentence, never read", async () => {
  await using dir = await tempDir();
  const missing = join(dir.path, "gone.jsonl");
  const error = await assertRejects(() => entriesOf(missing));
  assert(error instanceof TranscriptError);
  assertEquals(error.message, `The transcript ${missing} does not exist (any more).`);
  await assertRejects(() => entriesOf(dir.path), /is not a regular file \(a folder\)/);
  if (Deno.build.os === "windows") return;
  const fifo = join(dir.path, "pipe.jsonl");
  const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert(made.success, "mkfifo failed");
  // Opening a FIFO without a writer would block forever; the check comes first.
  await assertRejects(() => entriesOf(fifo), /is not a regular file \(a named pipe\)/);
});
