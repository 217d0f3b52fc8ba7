/**
 * A heavy user's 60 MB `~/.claude.json` after `mpm hooks install`: the real Claude Code 2.1.330
 * reads it and finds mpm's server in the project's local scope (`claude mcp get mpm`), and every
 * byte but the server's is as Claude Code wrote it (disk/files/shared/others_file.ts: 512 MiB).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { baseEnv, ok, withRepo } from "../../helpers.ts";
import { bigClaudeJson, insertion } from "../../hooks/install/big_claude_json.ts";
import { claudeOrSkip } from "../install.ts";

const claude = await claudeOrSkip();

Deno.test({
  name: "claude mcp get mpm reads a 60 MB ~/.claude.json mpm hooks install registered in",
  ignore: !claude,
  fn: async () => {
    await using repo = await withRepo();
    const file = join(repo.home, ".claude.json");
    await Deno.writeTextFile(file, bigClaudeJson(await Deno.realPath(repo.path), 60 << 20));
    const before = await Deno.readFile(file);
    const installed = await ok(repo, "hooks", "install");
    assertStringIncludes(installed.stdout, 'MCP server: "mpm" (`mpm mcp`) registered');
    assert(insertion(before, await Deno.readFile(file)) !== undefined, "other bytes changed");

    const out = await new Deno.Command(claude!, {
      args: ["mcp", "get", "mpm"],
      cwd: repo.path,
      env: { ...baseEnv(repo.home), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
      clearEnv: true,
      stdin: "null",
    }).output();
    const said = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertStringIncludes(said, "Scope: Local config");
    assertStringIncludes(said, "mpm-mcp");
  },
});
