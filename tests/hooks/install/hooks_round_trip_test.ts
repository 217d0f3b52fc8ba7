/**
 * `mpm hooks install` then `mpm hooks uninstall` gives the person's settings back as they were,
 * byte for byte, in every scope: what install found there stays (an empty `"hooks": {}` or
 * `"Stop": []` of theirs included), and what install made goes (a `hooks` key it added).
 */
import { join } from "node:path";
import { assertEquals } from "../../assert.ts";
import { exists, mpm, type Repo, withRepo } from "../../helpers.ts";
import { fakeClaude } from "../hooks_helpers.ts";
import type { SettingsScope } from "../../../src/claude/settings/hooks/settings.ts";

async function run(repo: Repo, ...args: string[]) {
  const bin = await fakeClaude(join(repo.home, ".."), "2.1.90");
  const result = await mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, PATH: `${bin}:${Deno.env.get("PATH")}` },
  });
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  return result;
}

function settingsOf(repo: Repo, scope: SettingsScope): string {
  if (scope === "user") return join(repo.home, ".claude", "settings.json");
  return join(repo.path, ".claude", scope === "local" ? "settings.local.json" : "settings.json");
}

/** Writes `text` as the scope's settings, installs, uninstalls; the file's text after. */
async function roundTrip(
  repo: Repo,
  scope: SettingsScope,
  text: string,
  installs = 1,
): Promise<string | undefined> {
  const path = settingsOf(repo, scope);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
  for (let i = 0; i < installs; i++) await run(repo, "hooks", "install", "--scope", scope);
  await run(repo, "hooks", "uninstall", "--scope", scope);
  return await exists(path) ? await Deno.readTextFile(path) : undefined;
}

const SCOPES: SettingsScope[] = ["local", "project", "user"];

for (const scope of SCOPES) {
  Deno.test(`--scope ${scope}: an empty "hooks" object the person had stays after uninstall`, async () => {
    await using repo = await withRepo();
    const text = '{"a":1,"hooks":{}}';
    assertEquals(await roundTrip(repo, scope, text), text);
    // What install noted of the file goes with its record: no scripts folder is left behind.
    const scripts = scope === "user"
      ? join(repo.home, ".claude", "mpm", "hooks")
      : join(repo.path, ".claude-mpm", "hooks");
    assertEquals(await exists(scripts), false);
  });
}

Deno.test('an empty event list of the person\'s ("Stop": []) stays; one mpm made goes', async () => {
  await using repo = await withRepo();
  const text = '{\n  "hooks": {\n    "Stop": []\n  },\n  "a": 1\n}\n';
  assertEquals(await roundTrip(repo, "local", text), text);
});

Deno.test('a "hooks" key install added goes with mpm\'s entries', async () => {
  await using repo = await withRepo();
  const text = '{\n  "a": 1\n}\n';
  assertEquals(await roundTrip(repo, "local", text), text);
});

Deno.test("installed twice, uninstalled once: the person's empty hooks still come back", async () => {
  await using repo = await withRepo();
  const text = '{"a":1,"hooks":{}}';
  assertEquals(await roundTrip(repo, "local", text, 2), text);
});

Deno.test("the person's own approval of a .mcp.json server called mpm is theirs: install and uninstall leave it", async () => {
  await using repo = await withRepo();
  const text = '{\n  "enabledMcpjsonServers": ["mpm"]\n}\n';
  assertEquals(await roundTrip(repo, "local", text, 2), text);
});

Deno.test("the person deleted the settings file install made: uninstall still leaves nothing of mpm's", async () => {
  await using repo = await withRepo();
  await run(repo, "hooks", "install");
  await Deno.remove(settingsOf(repo, "local"));
  const removed = await run(repo, "hooks", "uninstall");
  assertEquals(removed.stdout.includes("Removed pre-session.sh"), true, removed.stdout);
  // The .claude/ install made, empty now, and the scripts' folder with its record.
  assertEquals(await exists(join(repo.path, ".claude")), false);
  assertEquals(await exists(join(repo.path, ".claude-mpm", "hooks")), false);
});
