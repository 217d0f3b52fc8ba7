/**
 * The real Gemini CLI's TUI (0.61.0) in tmux, as a person uses it: mpm's hooks installed with
 * `mpm hooks install --agent gemini`, a prompt once the start has answered, mpm's context in
 * what the model is sent, and `/quit`, on which Gemini fires SessionEnd more than once (two or
 * three times in the runs seen; a hook of the person's own counts them): exactly one snapshot
 * more, and the chat in the vault once. One run of the client: its runs are slow
 * (10–15 s). Skipped with one line where tmux or the client cannot be had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import {
  exists,
  hooksDone,
  ok,
  okJson,
  sessionFiles,
  withRepo,
  writeMpmProgram,
} from "../helpers.ts";
import { waitFor } from "../claude_code/wait.ts";
import { geminiOrSkip } from "./install.ts";
import { requestText, startMockApi } from "./mock_api.ts";
import { settingsFile } from "./run.ts";
import { startGeminiTui, tmuxRuns } from "./tui.ts";

const gemini = await tmuxRuns() ? await geminiOrSkip() : undefined;
if (!(await tmuxRuns())) console.log("Skipping the Gemini TUI test: tmux does not run here.");

/** The person's settings: the API key as the way in, and a SessionEnd hook that counts ends. */
function theirSettings(ends: string): string {
  const command = `cat >> '${ends}'; echo >> '${ends}'`;
  return JSON.stringify(
    {
      security: { auth: { selectedType: "gemini-api-key" } },
      hooks: { SessionEnd: [{ hooks: [{ type: "command", command, timeout: 30000 }] }] },
    },
    null,
    2,
  ) + "\n";
}

Deno.test({
  name: "gemini TUI: install, mpm's context in the request, /quit's ends pause once, vault once",
  ignore: !gemini,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "Noted the ledger." }]);
    const ends = join(repo.home, "session-ends");
    await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
    await Deno.writeTextFile(settingsFile(repo.home), theirSettings(ends));
    const bin = join(repo.home, "bin");
    await Deno.mkdir(bin, { recursive: true });
    const hooksLog = join(bin, "hooks.log");
    await writeMpmProgram(join(bin, "mpm"), { hooksLog });
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
    await ok(repo, "hooks", "install", "--agent", "gemini");
    const snapshots = (await sessionFiles(repo.path)).length;
    // Work since the pause, which the end's automatic pause records.
    await repo.write("ledger.ts", "export const route = 1;\n");

    const told = join(repo.path, ".claude-mpm", "cache", "told.json");
    assertEquals(await exists(told), false, "nothing told before Gemini starts");
    await using tui = await startGeminiTui({
      gemini: gemini!,
      api,
      cwd: repo.path,
      home: repo.home,
      env,
    });
    // Gemini takes prompts before its SessionStart hook has answered (it marks itself ready, then
    // fires the hook), and sends one typed that early without the hook's context: a person's
    // first prompt comes later. So the prompt waits for mpm's answer to be made (it notes what it
    // told, cache/told.json) and for Gemini to show no hook still running.
    await waitFor(() => exists(told), { what: "mpm's SessionStart answer" });
    await tui.waitScreen(/^(?![^]*Executing Hook)[^]*MCP server/, "its start done");
    await tui.type("hi");
    await tui.waitScreen(/> hi/, "the typed word");
    await tui.press("Enter");
    await tui.waitScreen(/Noted the ledger\./, "the model's answer");
    const sent = requestText(api.requests[0]);
    assert(/<hook_context>[^]*Ledger API half done[^]*<\/hook_context>/.test(sent), sent);
    assertStringIncludes(sent, "Wire the ledger route");

    await tui.type("/quit");
    await tui.waitScreen(/Exit the cli/, "/quit offered");
    // The first Enter may only take the offered command; Enter until Gemini says goodbye, or is
    // gone (its pane with it): its ends no longer hold it up.
    await waitFor(async () => {
      const shown = await tui.screen();
      if (shown === "" || /powering down/.test(shown)) return true;
      await tui.press("Enter");
      return false;
    }, { what: "Gemini to take /quit", intervalMs: 1000 });
    assertEquals(await tui.waitExit(), 0);
    const fired = (await Deno.readTextFile(ends)).trim().split("\n").filter(Boolean)
      .map((line) => JSON.parse(line));
    assert(fired.length >= 2, `Gemini fired SessionEnd ${fired.length} time(s)`);
    const id = fired[0].session_id;
    assert(fired.every((end) => end.session_id === id && end.reason === "exit"));
    // One end, one pause, however many times Gemini says so (each end's mpm in the background).
    await waitFor(() => hooksDone(hooksLog, "session-end", fired.length), {
      what: "mpm's SessionEnd runs",
    });
    assertEquals((await sessionFiles(repo.path)).length, snapshots + 1);
    // The chat in the vault once, one file, reopened with Gemini's own command.
    const vaulted = await okJson(repo, "vault", "list", "--json");
    assertEquals(vaulted.map((copy: { id: string }) => copy.id), [id]);
    assertEquals(vaulted[0].transcripts, 1);
    assertEquals(vaulted[0].open, `gemini -r ${id}`);
  },
});
