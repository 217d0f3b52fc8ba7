import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertRejects } from "../../../tests/assert.ts";
import { tempDir } from "../../../tests/helpers.ts";
import { emptyStats, type TranscriptEntry } from "../../claude/transcript/transcript_entries.ts";
import { readEntryBatches } from "../../claude/transcript/transcript_reader.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { ChatParser, chatTexts, typedPrompt } from "./chat_entries.ts";
import {
  chatNameProblem,
  chatSources,
  chatTarget,
  findChat,
  foldChatFacts,
  geminiFolder,
  moveChatLine,
} from "./chat_files.ts";

const FIXTURES = fileURLToPath(new URL("../../../tests/fixtures/gemini/", import.meta.url));
const ID = "ff5fc221-a6e4-4ef5-904a-80237602b982";
const NAME = "session-2026-11-26T15-23-ff5fc221.jsonl";
/**
 * A real Gemini CLI 0.61.0 chat (`gemini -p`, then `gemini -r latest -p`, mpm's hooks installed,
 * the mock API): the header, Gemini's `<session_context>`, two prompts each after mpm's
 * `<hook_context>`, two answers, `$set` patches (one restating the messages at the resume).
 */
const REAL = join(FIXTURES, NAME);

async function entriesOf(path: string, stats = emptyStats()): Promise<TranscriptEntry[]> {
  const out: TranscriptEntry[] = [];
  for await (const batch of readEntryBatches(path, new ChatParser(), {}, stats)) out.push(...batch);
  return out;
}

Deno.test("the real Gemini 0.61.0 chat reads as two prompts and two answers, each once", async () => {
  const stats = emptyStats();
  const entries = await entriesOf(REAL, stats);
  assertEquals(entries.map((e) => e.kind), ["prompt", "text", "prompt", "text"]);
  assertEquals({ ...stats, lines: 0 }, { ...emptyStats(), entries: 4 });
  assertEquals(stats.lines, 12);
  const [first, answer, second] = entries;
  assert(first.kind === "prompt" && answer.kind === "text" && second.kind === "prompt");
  // The person's words: not mpm's context before them, not Gemini's session context.
  assertEquals(first.text, "where does the ledger route go?");
  assertEquals(second.text, "now wire it please");
  assertEquals(answer.text, "Ledger route: add it in api.ts.");
  assertEquals(first.sessionId, ID);
  assertEquals(first.time, "2026-11-26T15:23:54.030Z");
});

Deno.test("a search finds the person's prompts and Gemini's answers, never mpm's context", async () => {
  const lines = (await Deno.readTextFile(REAL)).split("\n").filter((l) => l !== "");
  const texts = lines.flatMap((l) => chatTexts(JSON.parse(l)));
  assertEquals(texts, [
    { k: "p", x: "where does the ledger route go?" },
    { k: "a", x: "Ledger route: add it in api.ts." },
    { k: "p", x: "now wire it please" },
    { k: "a", x: "Done: second answer." },
  ]);
  assertEquals(typedPrompt("<hook_context>mpm says</hook_context>"), "");
  assertEquals(typedPrompt("<session_context>\nThis is the Gemini CLI."), "");
});

Deno.test("a tool call written again with its result is told once, with the result", () => {
  // As Gemini 0.61.0 records a call (ChatRecordingService.recordToolCalls): the gemini message
  // written again, whole, as the call's status changes.
  const message = (status: string, result?: unknown) =>
    JSON.stringify({
      id: "m1",
      timestamp: "2026-11-26T15:30:00.000Z",
      type: "gemini",
      content: "",
      toolCalls: [{
        id: "c1",
        name: "run_shell_command",
        args: { command: "ls" },
        status,
        ...(result === undefined ? {} : { result, resultDisplay: "README.md" }),
      }],
    });
  const parser = new ChatParser();
  const early = parser.push(message("executing"));
  assertEquals(early, [], "held until its result comes");
  const done = [...parser.push(message("success", [])), ...parser.end()];
  assertEquals(done.length, 1);
  const tool = done[0];
  assert(tool.kind === "tool");
  assertEquals([tool.name, tool.input, tool.result?.text], [
    "run_shell_command",
    { command: "ls" },
    "README.md",
  ]);
  assertEquals(chatTexts(JSON.parse(message("success", []))), [
    { k: "i", x: "run_shell_command: ls" },
    { k: "o", x: "README.md" },
  ]);
});

Deno.test("a chat is named by its file name, checked against Gemini's pattern", () => {
  assertEquals(chatSources(`/h/.gemini/tmp/p/chats/${NAME}`, ID), [NAME]);
  assert(!Array.isArray(chatSources("/h/.gemini/settings.json", ID)));
  assertEquals(chatNameProblem(ID, NAME, 0), null);
  assert(chatNameProblem(ID, "../settings.json", 0) !== null);
  assert(chatNameProblem(ID, `x/${NAME}`, 0) !== null);
  assert(chatNameProblem("aaaaaaaa-other", NAME, 0) !== null, "another session's chat");
  assert(chatNameProblem(ID, NAME, 1) !== null, "one file only");
  assertEquals(geminiFolder("/h", {}), "/h/.gemini");
  assertEquals(geminiFolder("/h", { GEMINI_CLI_HOME: "/g" }), "/g/.gemini");
  assertEquals(geminiFolder(undefined, {}), null);
});

Deno.test("findChat takes the largest chat whose header names the session", async () => {
  await using dir = await tempDir();
  const chats = join(dir.path, ".gemini", "tmp", "ledger", "chats");
  await Deno.mkdir(chats, { recursive: true });
  const real = await Deno.readTextFile(REAL);
  await Deno.writeTextFile(join(chats, NAME), real);
  // A resume leaves a near-empty file of the same session beside it.
  const stub = "session-2026-11-26T15-24-ff5fc221.jsonl";
  await Deno.writeTextFile(join(chats, stub), real.split("\n")[0] + "\n");
  // Same first 8, another session: not taken.
  await Deno.writeTextFile(
    join(chats, "session-2026-11-27T10-00-ff5fc221.jsonl"),
    real.replaceAll(ID, "ff5fc221-0000-0000-0000-000000000000") + "x".repeat(10_000),
  );
  assertEquals(await findChat(join(dir.path, ".gemini"), ID), join(chats, NAME));
  assertEquals(await findChat(join(dir.path, ".gemini"), "0000000000"), null);
});

Deno.test("a chat goes back to the chats folder of the project Gemini named this checkout", async () => {
  await using dir = await tempDir();
  const gemini = join(dir.path, ".gemini");
  await assertRejects(() => chatTarget(gemini, ID, NAME, "/srv/ledger"), /projects\.json/);
  await Deno.mkdir(gemini, { recursive: true });
  await Deno.writeTextFile(
    join(gemini, "projects.json"),
    JSON.stringify({ projects: { "/srv/ledger": "ledger", "/evil": "../x" } }),
  );
  assertEquals(
    await chatTarget(gemini, ID, NAME, "/srv/ledger"),
    join(gemini, "tmp", "ledger", "chats", NAME),
  );
  await assertRejects(() => chatTarget(gemini, ID, NAME, "/evil"), /projects\.json/);
  await assertRejects(() => chatTarget(gemini, ID, "../../settings.json", "/srv/ledger"));

  // Its lines name the folder it ran in; moved, the header's hash is this folder's.
  const lines = (await Deno.readTextFile(REAL)).split("\n").filter((l) => l !== "");
  const facts = { cwd: null as string | null, versions: [] };
  for (const line of lines) foldChatFacts(facts, line);
  assertEquals(facts.cwd, "/home/dev/ledger");
  const move = { from: "/home/dev/ledger", to: "/srv/ledger" };
  const header = JSON.parse(moveChatLine(lines[0], move));
  assertEquals(header.projectHash, sha256Hex("/srv/ledger"));
  assertEquals(header.sessionId, ID);
  assert(moveChatLine(lines[1], move).includes("/srv/ledger/"));
  assertEquals(moveChatLine(lines[3], move), lines[3], "a line without the path, byte for byte");
});
