/**
 * mpm's hooks in the real Codex CLI (0.169.0) against the mock Responses API: `mpm hooks install
 * --agent codex` adds them beside a hook of the person's own, trusted through Codex's own trust
 * (no `--dangerously-bypass-hook-trust`); `codex exec` runs them, mpm's context reaches the
 * model, the end pauses (a snapshot); `uninstall` puts hooks.json and config.toml back byte for
 * byte, and the person's hook runs before, during and after. Skipped with one line where the
 * client cannot be had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, sessionFiles, withRepo, writeMpmProgram } from "../helpers.ts";
import { hookHash } from "../../src/agents/codex/hooks.ts";
import { codexOrSkip } from "./install.ts";
import { requestText, startMockApi, toolNames } from "./mock_api.ts";
import { codexConfig, runCodex } from "./run.ts";
import { sessionEndDone } from "../claude_code/wait.ts";

const codex = await codexOrSkip();

/** The person's own SessionStart hook: it notes each run in a file of theirs. */
function theirHook(marker: string) {
  const command = `echo ran >> '${marker}'`;
  const text = JSON.stringify(
    { hooks: { SessionStart: [{ hooks: [{ type: "command", command, timeout: 30 }] }] } },
    null,
    2,
  ) + "\n";
  return { text, command };
}

Deno.test({
  name:
    "codex exec: mpm's hooks run trusted beside the person's, the context reaches the model, the end pauses, uninstall is byte-exact",
  ignore: !codex,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "first" }, { text: "second" }, { text: "third" }]);
    const codexHome = join(repo.home, ".codex");
    await Deno.mkdir(codexHome, { recursive: true });
    const marker = join(repo.home, "their-hook-ran");
    const hooksPath = join(codexHome, "hooks.json");
    const configPath = join(codexHome, "config.toml");
    const their = theirHook(marker);
    // The person trusted their own hook, as Codex's hooks review would have.
    const key = `${hooksPath}:session_start:0:0`;
    const hash = hookHash({ event: "SessionStart", command: their.command, timeout: 30 });
    const config = codexConfig(api, repo.path) +
      `\n[hooks.state.${JSON.stringify(key)}]\ntrusted_hash = "${hash}"\n`;
    await Deno.writeTextFile(hooksPath, their.text);
    await Deno.writeTextFile(configPath, config);
    const bin = await Deno.makeTempDir({ prefix: "mpm-codex-bin-" });
    const mpmBin = await writeMpmProgram(join(bin, "mpm"));
    // mpm on PATH, as a person's is: the hooks and the MCP server find it there.
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    assertEquals(mpmBin, join(bin, "mpm"));
    const runs = async () =>
      (await Deno.readTextFile(marker).catch(() => "")).split("\n").length - 1;

    // Before: the person's hook runs.
    const before = await runCodex({ codex: codex!, cwd: repo.path, home: repo.home, env });
    assertEquals(before.code, 0, before.stderr);
    assertEquals(await runs(), 1);

    await ok(repo, "pause", "-s", "Ledger API half done", "-n", "Wire the ledger route");
    const installed = await ok(repo, "hooks", "install", "--agent", "codex");
    assertStringIncludes(installed.stdout, "mpm's Codex hooks");
    const snapshots = (await sessionFiles(repo.path)).length;
    // Work since the pause, which the end's automatic pause records.
    await repo.write("ledger.ts", "export const route = 1;\n");

    // During: both run; mpm's context is in what the model was sent; mpm mcp is offered.
    const during = await runCodex({ codex: codex!, cwd: repo.path, home: repo.home, env });
    assertEquals(during.code, 0, during.stderr);
    assertEquals(await runs(), 2);
    const sent = requestText(api.requests[api.requests.length - 1]);
    assertStringIncludes(sent, "Ledger API half done");
    assertStringIncludes(sent, "Wire the ledger route");
    assert(
      toolNames(api.requests[api.requests.length - 1]).some((name) =>
        /team_work|search/.test(name)
      ),
      `mpm's MCP tools are offered: ${toolNames(api.requests[api.requests.length - 1])}`,
    );
    // The end paused (SessionEnd, which Codex no longer waits for): one snapshot more, and the
    // summary it writes last, so nothing is still writing when the test goes on.
    await sessionEndDone(repo.path);
    assertEquals((await sessionFiles(repo.path)).length, snapshots + 1);

    // After: byte for byte as the person had them, and their hook still runs.
    await ok(repo, "hooks", "uninstall", "--agent", "codex");
    assertEquals(await Deno.readTextFile(hooksPath), their.text);
    assertEquals(await Deno.readTextFile(configPath), config);
    const after = await runCodex({ codex: codex!, cwd: repo.path, home: repo.home, env });
    assertEquals(after.code, 0, after.stderr);
    assertEquals(await runs(), 3);
    await Deno.remove(bin, { recursive: true });
  },
});
