import { assertEquals, assertStringIncludes } from "../../../tests/assert.ts";
import { installedHooksInUse, pluginChecks, settingsRunningMpm } from "./judge_plugin.ts";
import type { ScriptFacts, SettingsFacts } from "./judge_hooks.ts";

const plugin = { id: "mpm@mpm", enabledIn: "~/.claude/settings.json", installed: true };
const file = (shown: string, commands: string[]): SettingsFacts => ({
  scope: "local",
  shown,
  exists: true,
  hooks: commands.map((command) => ({ event: "SessionStart", command })),
});
const local = file(".claude/settings.local.json", [
  '"$CLAUDE_PROJECT_DIR"/.claude-mpm/hooks/pre-session.sh',
]);
const user = file("~/.claude/settings.json", ['"$HOME"/.claude/mpm/hooks/post-session.sh']);
const theirs = file(".claude/settings.json", ["./scripts/lint.sh"]);
const none: ScriptFacts[] = [];

Deno.test("the plugin alone: the hooks come from it, nothing to install", () => {
  assertEquals(pluginChecks(plugin, [theirs]), [{
    id: "plugin",
    status: "ok",
    message: "Claude Code hooks: from mpm's plugin mpm@mpm (enabled in ~/.claude/settings.json).",
  }]);
  assertEquals(installedHooksInUse(none, [theirs]), false);
  assertEquals(pluginChecks(null, [local]), []);
});

Deno.test("the plugin and installed hooks: a warning that names the settings to clean", () => {
  assertEquals(settingsRunningMpm([local, user, theirs]), [local.shown, user.shown]);
  const checks = pluginChecks(plugin, [local, theirs]);
  assertEquals(checks.map((c) => c.status), ["ok", "warn"]);
  assertStringIncludes(checks[1].message, ".claude/settings.local.json also runs mpm's hooks");
  assertStringIncludes(checks[1].fix!, "mpm hooks uninstall");
  assertEquals(installedHooksInUse(none, [local]), true);
  const script: ScriptFacts = {
    script: "pre-session",
    path: "/p",
    installed: true,
    executable: true,
  };
  assertEquals(installedHooksInUse([script], []), true);
});

Deno.test("enabled but not installed: its hooks do not run, and doctor says so", () => {
  const [check] = pluginChecks({ ...plugin, installed: false }, []);
  assertEquals(check.status, "info");
  assertStringIncludes(check.message, "has not installed it");
});
