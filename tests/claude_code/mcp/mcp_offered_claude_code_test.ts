/**
 * The real Claude Code in print mode, with mpm as `mpm hooks install` leaves it, on a busy
 * machine: two CPU-bound processes run beside it (started and killed here). mpm's front answers
 * `initialize` before the SDK and the tools load (src/mcp/front.ts), and its tools are offered to
 * the model. The client is told to wait for the server (WAIT_FOR_MCP): left to its defaults it
 * asks the model without a server still starting, which a machine busier than this makes a race
 * (how fast `mpm mcp` starts is scripts/bench/agents/bench_mcp.ts's to measure).
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { besideSpinners, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { startMockApi } from "../mock_api.ts";
import { runClaude, WAIT_FOR_MCP } from "../run.ts";

const claude = await claudeOrSkip();

const TOOLS = ["search", "current_work", "show_session", "show_handoff", "list_recent"];

Deno.test({
  name:
    "claude -p with mpm as installed offers mpm's tools, with two CPU-bound processes beside it",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const paused = await repo.run("pause", "-s", "Words to find");
    assertEquals(paused.code, 0, paused.stderr);
    const program = await writeMpmProgram(join(repo.home, "mpm"));
    const installed = await repo.run("hooks", "install");
    assertEquals(installed.code, 0, installed.stderr);
    await besideSpinners(async () => {
      await using api = startMockApi(() => ({ text: "ok" }));
      await using run = await runClaude({
        claude: claude!,
        api,
        prompt: "hello",
        cwd: repo.path,
        home: repo.home,
        env: { MPM_BIN: program, ...WAIT_FOR_MCP },
      });
      assertEquals(run.code, 0, run.stderr);
      // The first request names every deferred tool the client has, mpm's among them.
      const first = JSON.stringify(api.requests[0]);
      for (const tool of TOOLS) {
        assertStringIncludes(
          first,
          `mcp__mpm__${tool}`,
          run.debugLog.split("\n").slice(-30).join("\n"),
        );
      }
    });
  },
});
