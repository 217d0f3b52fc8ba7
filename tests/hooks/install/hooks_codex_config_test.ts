/**
 * `mpm hooks install|uninstall --agent codex`: a config.toml Codex cannot read is refused in one
 * sentence (exit 1) and left byte for byte; and one config.toml block serves every project's
 * hooks, so an install in one project keeps another's trust.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, withRepo } from "../../helpers.ts";

Deno.test("codex: a config.toml Codex cannot read is refused with its line, and left as it is", async () => {
  await using repo = await withRepo();
  const codex = join(repo.home, ".codex");
  await Deno.mkdir(codex, { recursive: true });
  const broken = 'model = "o3\n[mcp_servers.x]\n';
  await Deno.writeTextFile(join(codex, "config.toml"), broken);
  const run = await repo.run("hooks", "install", "--agent", "codex");
  assertEquals(run.code, 1);
  assertEquals(
    run.stderr.split("\n")[0],
    "mpm: Refusing to change ~/.codex/config.toml: it is not valid TOML (line 1, column 12: a " +
      "string is not closed), so Codex cannot read it either; nothing was written.",
  );
  assertEquals(await Deno.readTextFile(join(codex, "config.toml")), broken);
  assertEquals(await Deno.stat(join(codex, "hooks.json")).catch(() => null), null);
});

Deno.test("codex: an install in another project keeps the first project's trust", async () => {
  await using first = await withRepo();
  await using second = await withRepo();
  const home = first.home;
  const codex = join(home, ".codex");
  await Deno.mkdir(codex, { recursive: true });
  const config = join(codex, "config.toml");
  await Deno.writeTextFile(config, 'model = "o3"\n');
  await ok(first, "hooks", "install", "--agent", "codex", "--scope", "project");
  const root = await Deno.realPath(first.path);
  const key = `[hooks.state.${JSON.stringify(`${root}/.codex/hooks.json:session_start:0:0`)}]`;
  assertStringIncludes(await Deno.readTextFile(config), key);
  // The second project, on the same machine: its own user-scope install.
  const run = await mpm(["hooks", "install", "--agent", "codex"], {
    cwd: second.path,
    env: { HOME: home },
  });
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(await Deno.readTextFile(config), key);
});
