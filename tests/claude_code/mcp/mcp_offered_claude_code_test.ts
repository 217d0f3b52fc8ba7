/**
 * The real Claude Code in print mode, with mpm as `mpm hooks install` leaves it, on a busy
 * machine: two CPU-bound processes run beside it (started and killed here). Claude Code drops a
 * server that is slow to answer `initialize`, without a word; mpm's front answers it before the
 * SDK and the tools load (src/mcp/front.ts), so its tools are still offered to the model.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { besideSpinners, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { startMockApi } from "../mock_api.ts";
import { runClaude } from "../run.ts";

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
        env: { MPM_BIN: program },
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
