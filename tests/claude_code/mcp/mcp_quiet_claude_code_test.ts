/**
 * mpm's read-only MCP tools answer without a permission prompt, with the real Claude Code 2.1.330
 * in print mode. `mpm hooks install` allows them by name in `.claude/settings.local.json`
 * (`permissions.allow`: `mcp__mpm__search`, …); nothing else is allowed on the command line,
 * so a tool still gated would be denied (print mode has no one to ask) and listed in the
 * result's `permission_denials`. And the off switch the README gives, `/mcp`'s (Claude Code
 * keeps it in `~/.claude.json`, `projects[<project>].disabledMcpServers`), keeps mpm's tools from
 * the model.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { type MessagesRequest, type MockReply, startMockApi, toolResults } from "../mock_api.ts";
import { runClaude, WAIT_FOR_MCP } from "../run.ts";

const claude = await claudeOrSkip();

const WORDS = "Moved the cache eviction to the write path because reads must stay cheap";

/** The model: load the search tool, call it, then answer. */
function searchingModel(request: MessagesRequest, index: number): MockReply {
  if (index === 0) {
    return {
      toolUse: { name: "ToolSearch", input: { query: "select:mcp__mpm__search", max_results: 5 } },
    };
  }
  if (index === 1) {
    return { toolUse: { name: "mcp__mpm__search", input: { query: "cache eviction" } } };
  }
  return { text: `Read ${toolResults(request).length} results.` };
}

Deno.test({
  name: "claude -p after `mpm hooks install`: the read-only search runs without being allowed " +
    "on the command line",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const paused = await repo.run("pause", "-s", WORDS);
    assertEquals(paused.code, 0, paused.stderr);
    const program = await writeMpmProgram(join(repo.home, "mpm"));
    const installed = await repo.run("hooks", "install");
    assertEquals(installed.code, 0, installed.stderr);

    await using api = startMockApi(searchingModel);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "What did we decide about the cache?",
      cwd: repo.path,
      home: repo.home,
      // Only Bash, as every run here: mpm's tool is allowed by the installed settings or not at all.
      allowedTools: ["Bash"],
      env: {
        MPM_BIN: program,
        ...WAIT_FOR_MCP,
      },
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.json?.permission_denials, [], JSON.stringify(run.json));
    assertEquals(api.requests.length, 3, run.debugLog.split("\n").slice(-20).join("\n"));
    const found = toolResults(api.requests[2]).at(-1)!;
    assert(found.is_error !== true, JSON.stringify(found));
    assertStringIncludes(JSON.stringify(found.content), "cache eviction");
  },
});

Deno.test({
  name: "claude -p after `mpm hooks install` and /mcp's off switch: mpm's tools are not offered",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const program = await writeMpmProgram(join(repo.home, "mpm"));
    const installed = await repo.run("hooks", "install");
    assertEquals(installed.code, 0, installed.stderr);
    // What /mcp writes when the person disables the server (Claude Code 2.1.330).
    const file = join(repo.home, ".claude.json");
    const state = JSON.parse(await Deno.readTextFile(file));
    state.projects[await Deno.realPath(repo.path)].disabledMcpServers = ["mpm"];
    await Deno.writeTextFile(file, JSON.stringify(state, null, 2));

    await using api = startMockApi(() => ({ text: "ok" }));
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "hello",
      cwd: repo.path,
      home: repo.home,
      env: {
        MPM_BIN: program,
        ...WAIT_FOR_MCP,
      },
    });
    assertEquals(run.code, 0, run.stderr);
    const first = JSON.stringify(api.requests[0]);
    assertEquals(first.includes("mcp__mpm__"), false);
    // The hooks still run: the server alone is off.
    assertStringIncludes(first, "mpm");
  },
});
