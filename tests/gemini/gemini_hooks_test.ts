/**
 * mpm's hooks in the real Gemini CLI (0.61.0) against the mock Gemini API: `mpm hooks install
 * --agent gemini` adds them and mpm's MCP server to the person's ~/.gemini/settings.json beside a
 * hook of their own; `gemini -p` runs them, mpm's context reaches the model marked as mpm's,
 * the end pauses once (a snapshot), a second SessionEnd of the same conversation (the TUI's
 * `/quit` sends two) records nothing more; `uninstall` puts settings.json back byte for byte.
 * One run of the client: its runs are slow (10–15 s). Skipped with one line where it cannot be
 * had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { hooksDone, mpm, ok, sessionFiles, withRepo, writeMpmProgram } from "../helpers.ts";
import { waitFor } from "../claude_code/wait.ts";
import { geminiOrSkip } from "./install.ts";
import { requestText, startMockApi, toolNames } from "./mock_api.ts";
import { runGemini, settingsFile } from "./run.ts";

const gemini = await geminiOrSkip();

/** The person's settings: the API key as the way in, and a SessionStart hook of their own. */
function theirSettings(marker: string): string {
  const command = `echo ran >> '${marker}'`;
  return JSON.stringify(
    {
      security: { auth: { selectedType: "gemini-api-key" } },
      hooks: { SessionStart: [{ hooks: [{ type: "command", command, timeout: 30000 }] }] },
    },
    null,
    2,
  ) + "\n";
}

Deno.test({
  name:
    "gemini -p: mpm's hooks run beside the person's, the context reaches the model, the end pauses once, uninstall is byte-exact",
  ignore: !gemini,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "first" }]);
    const marker = join(repo.home, "their-hook-ran");
    const path = settingsFile(repo.home);
    await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
    const settings = theirSettings(marker);
    await Deno.writeTextFile(path, settings);
    const bin = await Deno.makeTempDir({ prefix: "mpm-gemini-bin-" });
    const hooksLog = join(bin, "hooks.log");
    await writeMpmProgram(join(bin, "mpm"), { hooksLog });
    // mpm on PATH, as a person's is: the hooks and the MCP server find it there.
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };

    await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
    const installed = await ok(repo, "hooks", "install", "--agent", "gemini");
    assertStringIncludes(installed.stdout, "mpm's Gemini hooks");
    const parsed = JSON.parse(await Deno.readTextFile(path));
    assertEquals(parsed.hooks.SessionStart.length, 2, "theirs, then mpm's");
    assertEquals(parsed.hooks.SessionEnd[0].hooks[0].timeout, 5000, "milliseconds");
    assert(parsed.mcpServers?.mpm, "mpm mcp registered");
    const snapshots = (await sessionFiles(repo.path)).length;
    // Work since the pause, which the end's automatic pause records.
    await repo.write("ledger.ts", "export const route = 1;\n");

    const run = await runGemini({ gemini: gemini!, api, cwd: repo.path, home: repo.home, env });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "first");
    assertEquals(await Deno.readTextFile(marker), "ran\n", "their hook ran");
    const sent = requestText(api.requests[0]);
    // mpm's context, prepended to the first user message by Gemini, marked as mpm's.
    assert(/<hook_context>[^]*Ledger API half done[^]*<\/hook_context>/.test(sent), sent);
    assertStringIncludes(sent, "Wire the ledger route");
    const tools = toolNames(api.requests[0]);
    assert(tools.some((name) => /team_work/.test(name)), `mpm's MCP tools offered: ${tools}`);
    // The end paused (SessionEnd, in the background once Gemini is gone): one snapshot more.
    await waitFor(() => hooksDone(hooksLog, "session-end", 1), { what: "mpm's SessionEnd" });
    assertEquals((await sessionFiles(repo.path)).length, snapshots + 1);

    // The TUI's /quit sends SessionEnd again, a moment later: nothing more is recorded.
    const chats = join(repo.home, ".gemini", "tmp");
    const chat = (await Array.fromAsync(Deno.readDir(join(chats, "project", "chats"))))[0].name;
    const sessionId = JSON.parse(
      (await Deno.readTextFile(join(chats, "project", "chats", chat))).split("\n")[0],
    ).sessionId;
    await repo.write("ledger.ts", "export const route = 2;\n");
    const again = await mpm(["hook", "session-end", "--agent", "gemini"], {
      cwd: repo.path,
      env: { HOME: repo.home },
      stdin: JSON.stringify({
        session_id: sessionId,
        transcript_path: join(chats, "project", "chats", chat),
        cwd: repo.path,
        hook_event_name: "SessionEnd",
        timestamp: new Date().toISOString(),
        reason: "exit",
      }),
    });
    assertEquals(again.code, 0, again.stderr);
    assertEquals((await sessionFiles(repo.path)).length, snapshots + 1, "one end, one pause");

    await ok(repo, "hooks", "uninstall", "--agent", "gemini");
    assertEquals(await Deno.readTextFile(path), settings);
    await Deno.remove(bin, { recursive: true });
  },
});
