/**
 * Codex rewrites config.toml as it runs (`codex mcp add`, `codex features enable`, a project
 * trusted at its first start): a table it adds lands inside mpm's block, and mpm's server may be
 * moved out of it. mpm's install and uninstall keep what Codex wrote and take only mpm's lines.
 * And `codex exec --ephemeral` (no rollout: `transcript_path` null) still gets mpm's context.
 * Skipped with one line where the client cannot be had.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, withRepo, writeMpmProgram } from "../helpers.ts";
import { codexOrSkip } from "./install.ts";
import { requestText, startMockApi } from "./mock_api.ts";
import { codexConfig, runCodex } from "./run.ts";

const codex = await codexOrSkip();

Deno.test({
  name: "codex: what Codex writes into config.toml after install survives reinstall and uninstall",
  ignore: !codex,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([]);
    const codexHome = join(repo.home, ".codex");
    await Deno.mkdir(codexHome, { recursive: true });
    const configPath = join(codexHome, "config.toml");
    const config = codexConfig(api, repo.path);
    await Deno.writeTextFile(configPath, config);
    await ok(repo, "hooks", "install", "--agent", "codex");
    const codexSays = async (...args: string[]) => {
      const run = await runCodex({ codex: codex!, cwd: repo.path, home: repo.home, args });
      assertEquals(run.code, 0, run.stderr);
      return run.stdout;
    };
    await codexSays("mcp", "add", "theirs", "--", "/bin/true");
    await codexSays("features", "enable", "analytics_plan_history");

    const again = await ok(repo, "hooks", "install", "--agent", "codex");
    assertStringIncludes(again.stdout, "already registered");
    const reinstalled = await Deno.readTextFile(configPath);
    for (const kept of ["[mcp_servers.theirs]", "analytics_plan_history = true"]) {
      assertStringIncludes(reinstalled, kept);
    }
    assertEquals(reinstalled.split("[mcp_servers.mpm]").length, 2, reinstalled);
    const listed = await codexSays("mcp", "list");
    assert(/^mpm\s/m.test(listed) && /^theirs\s/m.test(listed), listed);

    await ok(repo, "hooks", "uninstall", "--agent", "codex");
    // The person's bytes, and after them what Codex added: nothing of mpm's.
    assertEquals(
      await Deno.readTextFile(configPath),
      config + '\n[mcp_servers.theirs]\ncommand = "/bin/true"\n\n' +
        "[features]\nanalytics_plan_history = true\n",
    );
    const left = await codexSays("mcp", "list");
    assert(!/^mpm\s/m.test(left) && /^theirs\s/m.test(left), left);
  },
});

Deno.test({
  name: "codex exec --ephemeral: no rollout, and mpm's context still reaches the model",
  ignore: !codex,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([{ text: "first" }]);
    const codexHome = join(repo.home, ".codex");
    await Deno.mkdir(codexHome, { recursive: true });
    await Deno.writeTextFile(join(codexHome, "config.toml"), codexConfig(api, repo.path));
    const bin = await Deno.makeTempDir({ prefix: "mpm-codex-bin-" });
    await writeMpmProgram(join(bin, "mpm"));
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    await ok(repo, "pause", "-s", "Ledger API half done");
    await ok(repo, "hooks", "install", "--agent", "codex");
    const run = await runCodex({
      codex: codex!,
      cwd: repo.path,
      home: repo.home,
      env,
      args: ["exec", "--skip-git-repo-check", "--ephemeral", "hi"],
    });
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(
      requestText(api.requests[api.requests.length - 1]),
      "Ledger API half done",
    );
    await Deno.remove(bin, { recursive: true });
  },
});
