/**
 * The end-to-end harness proves itself: the real Claude Code runs against the mock API, calls a
 * tool that fails, gets the failure back, answers, and leaves a transcript; a project's
 * SessionStart hook reaches the model; an invalid settings entry shows in the debug log.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { withRepo } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { requestText, SCRIPT_EXHAUSTED, startMockApi, toolResults } from "../mock_api.ts";
import { readTranscript, runClaude, runTranscriptPath, settingsErrors } from "../run.ts";

const claude = await claudeOrSkip();

Deno.test({
  name:
    "claude -p: a failing Bash call reaches the model as an error, then the text answer ends the run",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([
      {
        toolUse: {
          name: "Bash",
          input: { command: "ls /nonexistent-dir-xyz", description: "List it" },
        },
      },
      { text: "That folder does not exist." },
    ]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "List the folder",
      cwd: repo.path,
      home: repo.home,
    });

    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.json?.result, "That folder does not exist.");
    assertEquals(run.json?.is_error, false);
    assertEquals(settingsErrors(run.debugLog), []);
    assertEquals(api.others, []);
    assertEquals(api.requests.length, 2);
    assert(api.requests[0].tools?.some((tool) => tool.name === "Bash"), "Bash is offered");
    assertStringIncludes(requestText(api.requests[0]), "List the folder");

    const [result] = toolResults(api.requests[1]);
    assertEquals(result.is_error, true);
    assertStringIncludes(String(result.content), "nonexistent-dir-xyz");

    const transcript = await readTranscript(runTranscriptPath(run, repo.path));
    const failure = transcript.find((entry) => typeof entry.toolUseResult === "string");
    assertStringIncludes(String(failure?.toolUseResult), "Error: Exit code");
  },
});

Deno.test({
  name:
    "claude -p: a SessionStart hook's additionalContext arrives in a system message; bad settings are logged",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const output = {
      hookSpecificOutput: { hookEventName: "SessionStart", additionalContext: "MARKER-123" },
    };
    await repo.write(
      ".claude/settings.json",
      JSON.stringify({
        hooks: {
          SessionStart: [{
            hooks: [{ type: "command", command: `echo '${JSON.stringify(output)}'` }],
          }],
        },
      }),
    );
    // A hook without its command: Claude Code still runs, and says so only in the debug log.
    await repo.write(
      ".claude/settings.local.json",
      JSON.stringify({
        hooks: { Stop: [{ hooks: [{ type: "command" }] }] },
      }),
    );
    await using api = startMockApi([{ text: "ok" }]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "hello",
      cwd: repo.path,
      home: repo.home,
    });

    assertEquals(run.code, 0, run.stderr);
    const [request] = api.requests;
    assertEquals(JSON.stringify(request.system).includes("MARKER-123"), false);
    const carrier = request.messages.find((message) =>
      JSON.stringify(message).includes("MARKER-123")
    );
    assertEquals(carrier?.role, "system");
    assertStringIncludes(requestText(request), "SessionStart hook additional context: MARKER-123");

    const errors = settingsErrors(run.debugLog);
    assertEquals(errors.length, 1, errors.join("\n"));
    assertStringIncludes(
      errors[0],
      `${join(repo.path, ".claude", "settings.local.json")}: hooks.Stop.0.hooks.0`,
    );

    const transcript = await readTranscript(runTranscriptPath(run, repo.path));
    const context = transcript.find((entry) =>
      (entry.attachment as { type?: string } | undefined)?.type === "hook_additional_context"
    );
    assertEquals((context?.attachment as { content: string[] }).content, ["MARKER-123"]);
  },
});

Deno.test("the mock API streams the scripted answers as SSE, or sends one JSON message", async () => {
  await using api = startMockApi([
    { text: "Let me look.", toolUse: { name: "Bash", input: { command: "true" }, id: "toolu_1" } },
    { text: "done", usage: { input_tokens: 150_000 } },
  ]);
  const ask = (stream: boolean) =>
    fetch(`${api.url}/v1/messages?beta=true`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: "hi" }] }),
    });
  const sse = await (await ask(true)).text();
  const events = [...sse.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
  assertEquals(events, [
    "message_start",
    "ping",
    ...["content_block_start", "content_block_delta", "content_block_stop"],
    ...["content_block_start", "content_block_delta", "content_block_stop"],
    "message_delta",
    "message_stop",
  ]);
  assertStringIncludes(
    sse,
    `"partial_json":${JSON.stringify(JSON.stringify({ command: "true" }))}`,
  );
  assertStringIncludes(sse, `"stop_reason":"tool_use"`);
  const message = await (await ask(false)).json();
  assertEquals(message.content, [{ type: "text", text: "done" }]);
  assertEquals(message.usage.input_tokens, 150_000);
  assertEquals(api.requests.map((request) => request.stream), [true, false]);
  assertEquals((await (await ask(false)).json()).content[0].text, SCRIPT_EXHAUSTED);
  await (await fetch(`${api.url}/v1/other`)).body?.cancel();
  assertEquals(api.others, ["GET /v1/other"]);
});
