import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { emptyStats, type TranscriptEntry } from "../../claude/transcript/transcript_entries.ts";
import { isTypedPrompt, RolloutParser } from "./rollout_entries.ts";
import { rolloutParser } from "./rollout_reader.ts";
import { readEntryBatches } from "../../claude/transcript/transcript_reader.ts";
import {
  codexHome,
  findRollout,
  idOfRolloutName,
  rolloutNameProblem,
  rolloutRelPath,
} from "./rollout_files.ts";

const FIXTURES = fileURLToPath(new URL("../../../tests/fixtures/codex/", import.meta.url));
const ID = "01a2181d-6d6a-7f22-b3fb-9513c5c721d6";
const NAME = `rollout-2026-11-26T13-48-31-${ID}.jsonl`;
/** A real Codex CLI 0.169.0 `codex exec` rollout: one prompt, one exec_command call, one answer. */
const REAL = join(FIXTURES, NAME);

async function entriesOf(path: string, stats = emptyStats()): Promise<TranscriptEntry[]> {
  return (await Array.fromAsync(readEntryBatches(path, rolloutParser(), {}, stats))).flat();
}

Deno.test("the real Codex 0.169.0 rollout reads as a prompt, a tool call with its output, an answer", async () => {
  const stats = emptyStats();
  const entries = await entriesOf(REAL, stats);
  assertEquals(entries.map((e) => e.kind === "tool" ? `tool:${e.name}` : e.kind), [
    "prompt",
    "tool:exec_command",
    "text",
  ]);
  // Every line type Codex wrote is known; nothing is bad or orphaned.
  assertEquals({ ...stats, lines: 0 }, { ...emptyStats(), entries: 3 });
  assertEquals(stats.lines, 19);
  const [prompt, tool, answer] = entries;
  assert(prompt.kind === "prompt");
  // The person's words, not the environment block or the developer instructions before them.
  assertEquals(prompt.text, "hi, run echo");
  assertEquals(prompt.sessionId, ID);
  assertEquals(prompt.cwd, "/home/person/project");
  assertEquals(prompt.time, "2026-11-26T13:48:31.914Z");
  assert(tool.kind === "tool");
  assertEquals(tool.id, "call_1");
  assertEquals(tool.input, { cmd: "echo hello-from-tool" });
  assert(tool.result !== null);
  assert(tool.result.text.includes("hello-from-tool"));
  assertEquals(tool.result.isError, false);
  assert(answer.kind === "text");
  assertEquals(answer.text, "Hello! The tool said hello-from-tool.");
});

Deno.test("a rollout's compaction, reasoning summary, failed call and unknown line types", () => {
  const parser = new RolloutParser();
  const line = (type: string, payload: unknown) =>
    JSON.stringify({ timestamp: "2026-01-01T00:00:00Z", type, payload });
  const out = [
    line("session_meta", { id: "abc", cwd: "/p" }),
    line("response_item", { type: "reasoning", summary: [{ type: "summary_text", text: "why" }] }),
    line("response_item", { type: "function_call", name: "shell", arguments: "{", call_id: "c" }),
    line("response_item", {
      type: "function_call_output",
      call_id: "c",
      output: { content: "boom", success: false },
    }),
    line("response_item", { type: "function_call_output", call_id: "gone", output: "x" }),
    line("compacted", { message: "what happened so far" }),
    line("response_item", {
      type: "message",
      role: "user",
      content: [{ type: "input_text", text: "# AGENTS.md instructions for /p\n..." }],
    }),
    line("some_future_type", {}),
    "not json",
  ].flatMap((l) => parser.push(l));
  out.push(...parser.end());
  assertEquals(out.map((e) => e.kind), ["thinking", "tool", "compact", "compact-summary"]);
  const tool = out[1];
  assert(tool.kind === "tool" && tool.result !== null);
  assertEquals(tool.input, { arguments: "{" });
  assertEquals(tool.result, { time: "2026-01-01T00:00:00Z", text: "boom", cut: 0, isError: true });
  assertEquals(parser.stats.unknown, 1);
  assertEquals(parser.stats.bad, 1);
  assertEquals(parser.stats.orphanResults, 1);
  assertEquals(isTypedPrompt("<environment_context>\n</environment_context>"), false);
  assertEquals(isTypedPrompt("fix the bug"), true);
});

Deno.test("rollout names: the path below sessions/, its checks, CODEX_HOME", async () => {
  assertEquals(idOfRolloutName(NAME), ID);
  assertEquals(idOfRolloutName("config.toml"), null);
  assertEquals(rolloutRelPath(`/h/.codex/sessions/2026/11/26/${NAME}`, ID), `2026/11/26/${NAME}`);
  assertEquals(rolloutRelPath(`/h/${NAME}`, "other"), null);
  assertEquals(rolloutNameProblem(ID, `2026/11/26/${NAME}`), null);
  assert(rolloutNameProblem(ID, `2026/11/27/${NAME}`) !== null);
  assert(rolloutNameProblem(ID, `../../auth.json`) !== null);
  assert(rolloutNameProblem(ID, `2026/11/26/../${NAME}`) !== null);
  assertEquals(codexHome("/h", {}), "/h/.codex");
  assertEquals(codexHome("/h", { CODEX_HOME: "/c" }), "/c");
  await using dir = await tempDir();
  const day = join(dir.path, "sessions", "2026", "11", "26");
  await Deno.mkdir(day, { recursive: true });
  await Deno.copyFile(REAL, join(day, NAME));
  assertEquals(await findRollout(dir.path, ID), join(day, NAME));
  assertEquals(await findRollout(dir.path, "01a2181d-0000-0000-0000-000000000000"), null);
});
