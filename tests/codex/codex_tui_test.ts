/**
 * The real Codex CLI's TUI (`codex --no-daemon`) in tmux, as a person uses it: mpm's hooks
 * installed with `mpm hooks install --agent codex` run trusted, mpm's context is in what the model
 * is sent, and leaving (`/quit`) pauses: one snapshot more. Skipped with one line where
 * tmux or the client cannot be had.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, sessionFiles, withRepo, writeMpmProgram } from "../helpers.ts";
import { sessionEndDone } from "../claude_code/wait.ts";
import { codexOrSkip } from "./install.ts";
import { requestText, startMockApi } from "./mock_api.ts";
import { codexConfig } from "./run.ts";
import { startCodexTui, tmuxRuns } from "./tui.ts";

const codex = await tmuxRuns() ? await codexOrSkip() : undefined;
if (!(await tmuxRuns())) console.log("Skipping the Codex TUI test: tmux does not run here.");

Deno.test({
  name: "codex TUI: install, mpm's context in the request, exit pauses",
  ignore: !codex,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "Noted the ledger." }]);
    const codexHome = join(repo.home, ".codex");
    await Deno.mkdir(codexHome, { recursive: true });
    await Deno.writeTextFile(join(codexHome, "config.toml"), codexConfig(api, repo.path));
    const bin = join(repo.home, "bin");
    await Deno.mkdir(bin, { recursive: true });
    await writeMpmProgram(join(bin, "mpm"));
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
    await ok(repo, "hooks", "install", "--agent", "codex");
    const snapshots = (await sessionFiles(repo.path)).length;
    await repo.write("ledger.ts", "export const route = 1;\n");

    await using tui = await startCodexTui({ codex: codex!, cwd: repo.path, home: repo.home, env });
    await tui.waitScreen(/›|>_|Ask Codex|context left/i, "its prompt");
    await tui.type("hi");
    await tui.waitScreen(/› hi/, "the typed word");
    // Enter until the prompt is sent: the TUI takes keys before its start has finished.
    await tui.press("Enter");
    await tui.waitScreen(/Noted the ledger\.|• |Working/, "the prompt sent").catch(async () => {
      await tui.press("Enter");
    });
    await tui.waitScreen(/Noted the ledger\./, "the model's answer");
    const sent = requestText(api.requests[0]);
    assertStringIncludes(sent, "Ledger API half done");
    assertStringIncludes(sent, "Wire the ledger route");
    await tui.type("/quit");
    await tui.waitScreen(/› \/quit/, "the typed /quit");
    await tui.press("Enter");
    const code = await tui.waitExit().catch(async (error) => {
      throw new Error(`${error.message}\nThe screen:\n${await tui.screen()}`);
    });
    assertEquals(code, 0);
    // SessionEnd ran at exit (no daemon), in the background: the work since the pause is a
    // snapshot once its last write, the summary, is there.
    await sessionEndDone(repo.path);
    assertEquals((await sessionFiles(repo.path)).length, snapshots + 1);
  },
});
