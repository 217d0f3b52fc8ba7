/**
 * `mpm hooks install|uninstall --agent gemini` in-process, without the client: what it writes
 * where, what uninstall gives back, what it refuses. The real client's view of the same files
 * is gemini_hooks_test.ts.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, withRepo } from "../helpers.ts";

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test("hooks install --agent gemini: empty containers of the person's come back byte for byte", async () => {
  await using repo = await withRepo();
  const dir = join(repo.home, ".gemini");
  await Deno.mkdir(dir, { recursive: true });
  const settings = '{\n  "hooks": {},\n  "mcpServers": {}\n}\n';
  await Deno.writeTextFile(join(dir, "settings.json"), settings);
  await ok(repo, "hooks", "install", "--agent", "gemini");
  // Installing again changes nothing, and keeps what the first install noted.
  const again = await ok(repo, "hooks", "install", "--agent", "gemini");
  assertStringIncludes(again.stdout, "Already there");
  assertEquals(await exists(join(dir, "policies", "mpm.toml")), true);
  await ok(repo, "hooks", "uninstall", "--agent", "gemini");
  assertEquals(await Deno.readTextFile(join(dir, "settings.json")), settings);
  assertEquals(await exists(join(dir, "policies", "mpm.toml")), false);
  assertEquals(await exists(join(dir, "mpm", "gemini-install.json")), false);
});

Deno.test("hooks install --agent gemini: a settings file it created goes at uninstall", async () => {
  await using repo = await withRepo();
  const path = join(repo.home, ".gemini", "settings.json");
  await ok(repo, "hooks", "install", "--agent", "gemini");
  assertEquals(JSON.parse(await Deno.readTextFile(path)).hooks.SessionEnd.length, 1);
  const gone = await ok(repo, "hooks", "uninstall", "--agent", "gemini");
  assertStringIncludes(gone.stdout, "nothing else was in it");
  assertEquals(await exists(path), false);
});

Deno.test("hooks install --agent gemini --scope project: says which scope is the safe one", async () => {
  await using repo = await withRepo();
  const installed = await ok(repo, "hooks", "install", "--agent", "gemini", "--scope", "project");
  assertStringIncludes(installed.stdout, "every clone");
  assertStringIncludes(installed.stdout, "the safe one");
  const parsed = JSON.parse(await Deno.readTextFile(join(repo.path, ".gemini", "settings.json")));
  assertEquals(parsed.hooks.SessionStart.length, 1);
  // The user's settings were not touched.
  assertEquals(await exists(join(repo.home, ".gemini", "settings.json")), false);
  await ok(repo, "hooks", "uninstall", "--agent", "gemini", "--scope", "project");
  assertEquals(await exists(join(repo.path, ".gemini", "settings.json")), false);
});

Deno.test("hooks install --agent gemini: a project settings file linked out of it is refused", async () => {
  await using repo = await withRepo();
  const outside = join(repo.home, "elsewhere.json");
  await Deno.writeTextFile(outside, "{}\n");
  await Deno.mkdir(join(repo.path, ".gemini"));
  await Deno.symlink(outside, join(repo.path, ".gemini", "settings.json"));
  const refused = await repo.run("hooks", "install", "--agent", "gemini", "--scope", "project");
  assertEquals(refused.code !== 0, true);
  assertEquals(await Deno.readTextFile(outside), "{}\n");
});
