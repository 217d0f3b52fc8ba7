/**
 * One mpm per event, with mpm's Claude Code plugin: HOME holds the plugin as the real Claude Code
 * 2.1.330 installs and enables it (tests/fixtures/claude-code/plugins/), and the plugin's hooks
 * run from an `mpm plugin export` folder with the commands of its hooks.json, as Claude Code runs
 * them (a shell, `${CLAUDE_PLUGIN_ROOT}` set).
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../../assert.ts";
import { baseEnv, exists, ok, type Repo, runProcess, withRepo } from "../../helpers.ts";
import {
  enablePlugin,
  listFiles,
  mpmWrapper,
  payload,
  runScript,
  type ScriptRun,
  seedClaudeHome,
  snapshots,
} from "../hooks_helpers.ts";

/** The plugin's hook for an event, run as Claude Code runs a plugin's command. */
async function runPluginHook(
  repo: Repo,
  plugin: string,
  event: string,
  stdin: string,
): Promise<ScriptRun> {
  const hooks = JSON.parse(await Deno.readTextFile(join(plugin, "hooks", "hooks.json"))).hooks;
  const command: string = hooks[event][0].hooks[0].command;
  const out = await runProcess("sh", ["-c", command], {
    cwd: repo.path,
    env: {
      ...baseEnv(repo.home),
      MPM_BIN: await mpmWrapper(join(repo.home, "..")),
      CLAUDE_PLUGIN_ROOT: plugin,
      CLAUDE_PROJECT_DIR: repo.path,
    },
    stdin,
  });
  return { ...out, ...(out.stdout.trim() ? { json: JSON.parse(out.stdout) } : {}) };
}

async function exportPlugin(repo: Repo): Promise<string> {
  const dir = join(repo.home, "..", "mpm-plugin");
  await ok(repo, "plugin", "export", dir);
  return dir;
}

Deno.test("with mpm's plugin on, hooks list says so and hooks install refuses unless --with-plugin", async () => {
  await using repo = await withRepo();
  await enablePlugin(repo);
  const list = await ok(repo, "hooks", "list");
  assertStringIncludes(
    list.stdout,
    "Plugin: mpm@mpm (enabled in ~/.claude/settings.json) runs mpm's hooks in Claude Code; " +
      "`mpm hooks install` is not needed.",
  );
  assert(!list.stdout.includes("Install them for Claude Code"), list.stdout);
  const listed = JSON.parse((await ok(repo, "hooks", "list", "--json")).stdout);
  assertEquals(listed.plugin, {
    id: "mpm@mpm",
    enabled_in: "~/.claude/settings.json",
    installed: true,
  });

  const refused = await repo.run("hooks", "install");
  assertEquals(refused.code, 1);
  assertStringIncludes(
    refused.stderr,
    "mpm's Claude Code plugin (mpm@mpm, enabled in ~/.claude/settings.json) already runs these " +
      "hooks; installing them too would run every event twice.",
  );
  // Refused before anything was written.
  assertEquals(await listFiles(join(repo.path, ".claude")), []);
  assertEquals(await listFiles(join(repo.path, ".claude-mpm")), []);

  const withPlugin = await ok(repo, "hooks", "install", "--with-plugin");
  const both = await ok(repo, "hooks", "list");
  assertStringIncludes(both.stdout, "The settings above run them too");
  // The plugin starts its own `mpm mcp`: no second server with the same tools.
  assertStringIncludes(
    withPlugin.stdout,
    "MCP server: not registered; mpm's plugin (mpm@mpm) starts its own.",
  );
  assert(!await exists(join(repo.path, ".mcp.json")), "a .mcp.json was written");
  const approved = JSON.parse(
    await Deno.readTextFile(join(repo.path, ".claude", "settings.local.json")),
  );
  assertEquals(approved.enabledMcpjsonServers, undefined);

  // Turned off in the local settings (they override the user's), the plugin no longer counts.
  const local = join(repo.path, ".claude", "settings.local.json");
  const settings = JSON.parse(await Deno.readTextFile(local));
  await Deno.writeTextFile(
    local,
    JSON.stringify({ ...settings, enabledPlugins: { "mpm@mpm": false } }),
  );
  assert(!(await ok(repo, "hooks", "list")).stdout.includes("Plugin:"));
});

Deno.test("plugin and hooks install both wired: the second run of an event does nothing", async () => {
  await using repo = await withRepo();
  await enablePlugin(repo);
  await ok(repo, "hooks", "install", "--with-plugin");
  await seedClaudeHome(repo);
  const plugin = await exportPlugin(repo);
  await ok(repo, "pause", "-s", "Payment work", "-n", "Add refunds");

  const start = payload("session-start-startup.json", repo);
  const first = await runScript("sh", repo, "pre-session", start);
  assertEquals(first.code, 0, first.stderr);
  assertStringIncludes(first.stdout, "Payment work");
  const twin = await runPluginHook(repo, plugin, "SessionStart", start);
  assertEquals([twin.code, twin.stdout], [0, ""], twin.stderr);
  // The same start again from the same wiring is another start (a second /resume): it runs.
  const again = await runScript("sh", repo, "pre-session", start);
  assertStringIncludes(again.stdout, "Payment work");

  // SessionEnd: whichever starts first pauses; the other does nothing. One snapshot, not two.
  await repo.write("refunds.ts", "export const refund = 1;\n");
  const before = (await snapshots(repo)).length;
  const end = payload("session-end.json", repo);
  const plugged = await runPluginHook(repo, plugin, "SessionEnd", end);
  assertEquals(plugged.code, 0, plugged.stderr);
  const wired = await runScript("sh", repo, "post-session", end);
  assertEquals(wired.code, 0, wired.stderr);
  assertEquals((await snapshots(repo)).length, before + 1);
});

Deno.test("the plugin's hooks write nothing in a folder that is neither a git repository nor mpm's", async () => {
  await using folder = await withRepo({ git: false });
  const plugin = await exportPlugin(folder);
  await folder.write("notes.txt", "a person's downloads\n");
  for (
    const [event, name] of [
      ["SessionStart", "session-start-startup.json"],
      ["PreCompact", "pre-compact-auto.json"],
      ["SessionEnd", "session-end.json"],
    ]
  ) {
    const run = await runPluginHook(folder, plugin, event, payload(name, folder));
    assertEquals([run.code, run.stdout, run.stderr], [0, "", ""], event);
  }
  assertEquals(await listFiles(folder.path), ["notes.txt"]);

  // A git repository is a project: there the plugin's SessionEnd pauses as ever.
  await using repo = await withRepo();
  await repo.write("refunds.ts", "export const refund = 1;\n");
  const end = await runPluginHook(repo, plugin, "SessionEnd", payload("session-end.json", repo));
  assertEquals(end.code, 0, end.stderr);
  assertEquals((await snapshots(repo)).length, 1);
  // So is a folder that already holds .claude-mpm/.
  await folder.run("pause", "-s", "Notes");
  const kept = await runPluginHook(
    folder,
    plugin,
    "SessionStart",
    payload("session-start-startup.json", folder),
  );
  assertStringIncludes(kept.stdout, "Notes");
});
