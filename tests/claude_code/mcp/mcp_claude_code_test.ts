/**
 * `mpm mcp` with the real Claude Code in print mode, against the mock API. Claude Code 2.1.330
 * defers MCP tools: the first request lists `mcp__mpm__search` by name in a system message, and
 * the scripted model loads it with ToolSearch (`select:mcp__mpm__search`, answered by a
 * `tool_reference`), then calls it; the tool result in the request after holds the pause's words.
 * Once with the server named by `--mcp-config`, once as `mpm hooks install` registered it (in
 * Claude Code's local scope, `~/.claude.json`).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { type Repo, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { type MessagesRequest, type MockReply, startMockApi, toolResults } from "../mock_api.ts";
import { runClaude, WAIT_FOR_MCP } from "../run.ts";

const claude = await claudeOrSkip();

const WORDS = "Chose the token bucket over the leaky bucket because bursts matter";

/** The model: load the search tool, call it, then answer. */
function searchingModel(request: MessagesRequest, index: number): MockReply {
  if (index === 0) {
    return {
      toolUse: {
        name: "ToolSearch",
        input: { query: "select:mcp__mpm__search", max_results: 5 },
      },
    };
  }
  if (index === 1) {
    return { toolUse: { name: "mcp__mpm__search", input: { query: "token bucket" } } };
  }
  return { text: `Read ${toolResults(request).length} results.` };
}

/** The text of a tool result's content (a string, or text blocks). */
function resultText(block: object): string {
  const content = (block as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((inner) => (typeof inner?.text === "string" ? inner.text : "")).join("\n");
}

async function pausedRepo(): Promise<Repo> {
  const repo = await withRepo();
  const paused = await repo.run("pause", "-s", WORDS, "--next-step", "wire the limiter");
  assertEquals(paused.code, 0, paused.stderr);
  return repo;
}

/** Runs the scripted search in `repo` and checks what reached the model. */
async function searchThroughClaude(repo: Repo, args: string[], env: Record<string, string> = {}) {
  await using api = startMockApi(searchingModel);
  await using run = await runClaude({
    claude: claude!,
    api,
    prompt: "What did we decide about the limiter?",
    cwd: repo.path,
    home: repo.home,
    allowedTools: ["mcp__mpm__search"],
    args,
    // Told to wait for mpm mcp, the first request names its tools however slow the start.
    env: { ...WAIT_FOR_MCP, ...env },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(api.requests.length, 3, run.debugLog.split("\n").slice(-20).join("\n"));
  // The deferred tool is named to the model before it is loaded.
  const first = JSON.stringify(api.requests[0]);
  assertStringIncludes(first, "mcp__mpm__search");
  const [loaded] = toolResults(api.requests[1]);
  assertStringIncludes(JSON.stringify(loaded.content), '"tool_name":"mcp__mpm__search"');
  // Each request carries every message so far: the search's result is the newest.
  const found = toolResults(api.requests[2]).at(-1)!;
  assert(found.is_error !== true, JSON.stringify(found));
  const text = resultText(found);
  assertStringIncludes(
    text,
    "Chose the «token bucket» over the leaky bucket because bursts matter",
  );
  assertStringIncludes(text, "the person's own");
  assertEquals(run.json?.result, "Read 2 results.");
}

Deno.test({
  name: "claude -p with --mcp-config: the model searches mpm and gets the pause's words",
  ignore: !claude,
  fn: async () => {
    await using repo = await pausedRepo();
    const program = await writeMpmProgram(join(repo.home, "mpm"));
    const config = join(repo.home, "mcp.json");
    await Deno.writeTextFile(
      config,
      JSON.stringify({ mcpServers: { mpm: { command: program, args: ["mcp"] } } }),
    );
    await searchThroughClaude(repo, ["--mcp-config", config]);
  },
});

Deno.test({
  name:
    "claude -p after `mpm hooks install`: the registered server is offered unasked, and answers",
  ignore: !claude,
  fn: async () => {
    await using repo = await pausedRepo();
    const program = await writeMpmProgram(join(repo.home, "mpm"));
    const installed = await repo.run("hooks", "install");
    assertEquals(installed.code, 0, installed.stderr);
    assertStringIncludes(
      installed.stdout,
      'MCP server: "mpm" (`mpm mcp`) registered in ~/.claude.json',
    );
    // Claude Code's local scope: no approval by name, nothing in the project.
    const settings = JSON.parse(await repo.read(".claude/settings.local.json"));
    assertEquals(settings.enabledMcpjsonServers, undefined);
    assert(!(await Deno.stat(join(repo.path, ".mcp.json")).then(() => true, () => false)));
    // The hooks and the server find mpm the same way: here, through MPM_BIN.
    await searchThroughClaude(repo, [], { MPM_BIN: program });

    const removed = await repo.run("hooks", "uninstall");
    assertEquals(removed.code, 0, removed.stderr);
    assertStringIncludes(removed.stdout, 'MCP server: "mpm" removed from ~/.claude.json');
  },
});
