/**
 * `mpm hooks uninstall --agent codex|gemini --dry-run` says what it would remove and changes
 * nothing: no line claims a removal it did not make, and the files are as they were, byte for byte.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../../assert.ts";
import { ok, type Repo, withRepo } from "../../helpers.ts";

/** Each file's bytes, or null where there is none. */
async function bytesOf(paths: string[]): Promise<(string | null)[]> {
  return await Promise.all(paths.map((path) => Deno.readTextFile(path).catch(() => null)));
}

const uninstall = async (repo: Repo, agent: string, ...more: string[]) =>
  (await ok(repo, "hooks", "uninstall", "--agent", agent, ...more)).stdout;

Deno.test("hooks uninstall --agent codex --dry-run says what it would remove and removes nothing", async () => {
  await using repo = await withRepo();
  await ok(repo, "hooks", "install", "--agent", "codex");
  const files = ["hooks.json", "config.toml"].map((name) => join(repo.home, ".codex", name));
  const before = await bytesOf(files);
  assertEquals(before.every((text) => text !== null), true);

  const said = await uninstall(repo, "codex", "--dry-run");
  assertStringIncludes(said, "Would remove mpm's Codex hooks from ~/.codex/hooks.json.");
  assertStringIncludes(said, "Would remove mpm's trust and MCP server from ~/.codex/config.toml.");
  // install created both files: they would go, not be left empty.
  assertStringIncludes(
    said,
    "Would remove ~/.codex/hooks.json and ~/.codex/config.toml: mpm had created them.",
  );
  assertNotIncludes(said, "Removed");
  assertEquals(await bytesOf(files), before);
  const asJson = JSON.parse(await uninstall(repo, "codex", "--dry-run", "--json"));
  assertEquals([asJson.dry_run, asJson.removed], [true, [
    "~/.codex/hooks.json",
    "~/.codex/config.toml",
  ]]);
  assertEquals(await bytesOf(files), before);

  const done = await uninstall(repo, "codex");
  assertStringIncludes(done, "✓ Removed mpm's Codex hooks from ~/.codex/hooks.json.");
  assertStringIncludes(done, "Removed ~/.codex/hooks.json and ~/.codex/config.toml: mpm had");
  assertEquals(await bytesOf(files), [null, null]);
});

Deno.test("hooks uninstall --agent gemini --dry-run says what it would remove and removes nothing", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
  await ok(repo, "hooks", "install", "--agent", "gemini");
  const files = [join(repo.home, ".gemini", "settings.json")];
  const before = await bytesOf(files);
  assertEquals(before[0] !== null, true);

  const said = await uninstall(repo, "gemini", "--dry-run");
  assertStringIncludes(
    said,
    "Would remove mpm's Gemini hooks and MCP server from ~/.gemini/settings.json.",
  );
  assertStringIncludes(said, "Would remove ~/.gemini/settings.json: nothing else was in it.");
  assertNotIncludes(said, "Removed");
  assertEquals(await bytesOf(files), before);

  const done = await uninstall(repo, "gemini");
  assertStringIncludes(
    done,
    "✓ Removed mpm's Gemini hooks and MCP server from ~/.gemini/settings.json.",
  );
  assertEquals(await bytesOf(files), [null]);
});

Deno.test("hooks uninstall --agent codex names the one file it created as it", async () => {
  await using repo = await withRepo();
  const config = join(repo.home, ".codex", "config.toml");
  await Deno.mkdir(join(repo.home, ".codex"), { recursive: true });
  await Deno.writeTextFile(config, 'model = "o3"\n');
  await ok(repo, "hooks", "install", "--agent", "codex");
  assertStringIncludes(
    await uninstall(repo, "codex"),
    "Removed ~/.codex/hooks.json: mpm had created it.",
  );
  assertEquals(await Deno.readTextFile(config), 'model = "o3"\n');
});

Deno.test("hooks install --agent codex|gemini --dry-run says would, and writes nothing", async () => {
  await using repo = await withRepo();
  await Deno.mkdir(join(repo.home, ".gemini"), { recursive: true });
  const codex = (await ok(repo, "hooks", "install", "--agent", "codex", "--dry-run")).stdout;
  assertStringIncludes(codex, "Would be trusted in ~/.codex/config.toml");
  assertStringIncludes(codex, "MCP server: mpm mcp would be registered for Codex");
  const gemini = (await ok(repo, "hooks", "install", "--agent", "gemini", "--dry-run")).stdout;
  assertStringIncludes(gemini, "MCP server: mpm mcp would be registered for Gemini");
  assertStringIncludes(gemini, "Its read-only tools would run without a question");
  // Nothing made: no Codex folder, nothing in Gemini's.
  assertEquals(await Deno.lstat(join(repo.home, ".codex")).then(() => true, () => false), false);
  assertEquals([...Deno.readDirSync(join(repo.home, ".gemini"))].map((e) => e.name), []);
});
