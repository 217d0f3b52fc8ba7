/**
 * The daily cycle against the real Claude Code: a person pauses with a summary and a next step,
 * `mpm hooks install` wires mpm in, and `claude -p` runs against the mock API — a Bash call that
 * fails, then a text answer. What must hold: Claude Code accepts the settings, the person's words
 * reach the model, the failure leaves an error record, SessionEnd does not bury the words,
 * `mpm resume` shows them with the new git state, and uninstall gives the settings back byte for
 * byte.
 *
 * The hook scripts find mpm as `$MPM_BIN`, else `mpm` on PATH, else `~/.local/bin/mpm`; here a
 * wrapper named `mpm` on PATH runs this source tree, as an installed binary would be found.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, withRepo, writeMpmProgram } from "../../helpers.ts";
import { claudeOrSkip } from "../install.ts";
import { requestText, startMockApi, toolResults } from "../mock_api.ts";
import { runClaude, settingsErrors } from "../run.ts";
import { sessionEndDone, waitFor } from "../wait.ts";

const claude = await claudeOrSkip();

/** The snapshots in a sessions folder, newest first. */
function snapshots(dir: string) {
  return [...Deno.readDirSync(dir)]
    .filter((entry) => /^session-\d{8}-\d{6}.*\.json$/.test(entry.name))
    .map((entry) => JSON.parse(Deno.readTextFileSync(join(dir, entry.name))))
    .sort((a, b) => b.paused_at.localeCompare(a.paused_at));
}

/** A folder holding an `mpm` that runs this source tree, for the front of PATH. */
async function mpmOnPath(dir: string): Promise<string> {
  const bin = join(dir, "bin");
  await Deno.mkdir(bin, { recursive: true });
  await writeMpmProgram(join(bin, "mpm"));
  return bin;
}

Deno.test({
  name:
    "claude -p with mpm's hooks: the paused words reach the model, survive SessionEnd, and come back",
  ignore: !claude,
  fn: async (t) => {
    await using repo = await withRepo();
    const bin = await mpmOnPath(join(repo.home, ".."));
    const settingsFile = join(repo.path, ".claude", "settings.local.json");
    // The user's own settings, kept out of git as Claude Code keeps them.
    const userSettings = '{\n  "permissions": { "allow": ["Bash(ls:*)"] }\n}\n';
    await repo.write(".claude/settings.local.json", userSettings);
    await Deno.writeTextFile(
      join(repo.path, ".git", "info", "exclude"),
      "\n.claude/settings.local.json\n",
      { append: true },
    );

    await t.step("install the hooks and pause with words", async () => {
      await ok(repo, "hooks", "install");
      await ok(repo, "pause", "-s", "Refunds half done", "-n", "Wire the refund webhook");
    });

    await using api = startMockApi([
      {
        toolUse: {
          name: "Bash",
          input: {
            command: "echo draft > notes.txt && ls /nonexistent-dir-xyz",
            description: "Draft notes, then list the folder",
          },
        },
      },
      { text: "The folder does not exist; notes.txt has the draft." },
    ]);
    await using run = await runClaude({
      claude: claude!,
      api,
      prompt: "Carry on with the refunds",
      cwd: repo.path,
      home: repo.home,
      env: { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` },
    });

    await t.step("Claude Code ran and accepted mpm's settings", () => {
      assertEquals(run.code, 0, run.stderr);
      assertEquals(run.json?.is_error, false);
      assertEquals(settingsErrors(run.debugLog), []);
      assertEquals(api.requests.length, 2);
    });

    await t.step("SessionStart put the paused summary and next step in the model's request", () => {
      const text = requestText(api.requests[0]);
      assertStringIncludes(text, "Refunds half done");
      assertStringIncludes(text, "Wire the refund webhook");
      assertStringIncludes(text, "replaces any earlier mpm context");
    });

    await t.step("the failing Bash call left an error record", async () => {
      const [result] = toolResults(api.requests[1]);
      assertEquals(result.is_error, true);
      const dir = join(repo.path, ".claude-mpm", "errors");
      const names = [...Deno.readDirSync(dir)].map((entry) => entry.name);
      const bash = names.filter((name) => name.endsWith("-Bash.json"));
      assertEquals(bash.length, 1, names.join(", "));
      const record = JSON.parse(await Deno.readTextFile(join(dir, bash[0])));
      assertEquals(record.event, "PostToolUseFailure");
      assertEquals(record.claude_session_id, run.json?.session_id);
      assertStringIncludes(record.error, "nonexistent-dir-xyz");
    });

    await t.step("SessionEnd saved the state without burying the person's words", async () => {
      // At exit SessionEnd runs in the background (`async`): Claude Code has already exited, and
      // the pause lands a moment later.
      const records = await waitFor(() => {
        const found = snapshots(join(repo.path, ".claude-mpm", "sessions"));
        return found.some((record) => record.mpm?.auto?.trigger === "session-end") && found;
      }, { what: "the session-end snapshot SessionEnd writes in the background" });
      await sessionEndDone(repo.path);
      assertEquals(records.length, 2);
      const [auto, human] = records;
      assertEquals(auto.mpm.written_by, "mpm");
      assertEquals(auto.mpm.auto.trigger, "session-end");
      assertEquals(auto.mpm.claude_session_id, run.json?.session_id);
      assertEquals(auto.mpm.carried.from, human.session_id);
      assertEquals(auto.conversation.summary, "Refunds half done");
      assertEquals(auto.git_context.status.untracked, ["notes.txt"]);
    });

    await t.step("mpm resume shows the person's words first, then the new git state", async () => {
      const resumed = (await ok(repo, "resume")).stdout;
      assertStringIncludes(resumed, "Summary: Refunds half done");
      assertStringIncludes(resumed, "Wire the refund webhook");
      assertStringIncludes(resumed, "Auto-saved when the Claude session ended");
      assertStringIncludes(resumed, "Untracked (1): notes.txt");
      assertNotIncludes(resumed, "Automatic pause");
      assert(resumed.indexOf("Refunds half done") < resumed.indexOf("Auto-saved"), resumed);
    });

    await t.step("mpm hooks uninstall gives the settings back byte for byte", async () => {
      await ok(repo, "hooks", "uninstall");
      assertEquals(await Deno.readTextFile(settingsFile), userSettings);
    });
  },
});
