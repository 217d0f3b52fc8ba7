/**
 * `gemini mcp add` saves every server of the scope with the environment's values put in (its
 * settings are read with `$VAR` and `${VAR:-default}` resolved): mpm's server comes back with
 * `${MPM_BIN:-}` and `$HOME` replaced. It is still mpm's: uninstall takes it away, and install
 * does not call it the person's. Skipped with one line where the client cannot be had.
 */
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, withRepo } from "../helpers.ts";
import { withoutComments } from "../../src/claude/settings/config/json_text.ts";
import { geminiOrSkip } from "./install.ts";
import { startMockApi } from "./mock_api.ts";
import { geminiSettings, runGemini, settingsFile } from "./run.ts";

const gemini = await geminiOrSkip();

Deno.test({
  name: "gemini mcp add rewrites mpm's server with values put in: still mpm's at uninstall",
  ignore: !gemini,
  fn: async () => {
    await using repo = await withRepo();
    await using api = startMockApi([]);
    const path = settingsFile(repo.home);
    await Deno.mkdir(`${repo.home}/.gemini`, { recursive: true });
    await Deno.writeTextFile(path, geminiSettings());
    await ok(repo, "hooks", "install", "--agent", "gemini");
    const added = await runGemini({
      gemini: gemini!,
      api,
      cwd: repo.path,
      home: repo.home,
      args: ["mcp", "add", "-s", "user", "theirs", "/bin/true"],
    });
    assertEquals(added.code, 0, added.stderr);
    const servers = () =>
      Deno.readTextFile(path).then((text) => JSON.parse(withoutComments(text)).mcpServers);
    // Gemini wrote mpm's server back with HOME put in.
    assertStringIncludes(JSON.stringify((await servers()).mpm), repo.home);

    const again = await ok(repo, "hooks", "install", "--agent", "gemini");
    assertEquals(again.stdout.includes("of its own"), false, again.stdout);
    await ok(repo, "hooks", "uninstall", "--agent", "gemini");
    assertEquals(Object.keys(await servers()), ["theirs"]);
  },
});
