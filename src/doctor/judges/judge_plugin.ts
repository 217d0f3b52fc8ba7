/**
 * `mpm doctor` on mpm's plugin, whose hooks beside installed ones would run every event twice.
 * Pure.
 */
import type { Check } from "./judge.ts";
import type { ScriptFacts, SettingsFacts } from "./judge_hooks.ts";
import type { MpmPlugin } from "../../claude/settings/plugins/plugins.ts";

/** A command that runs one of mpm's hook scripts from a settings file (any scope's folder). */
const MPM_SCRIPT =
  /(?:\.claude-mpm|\/mpm)\/hooks\/(?:pre-session|post-session|checkpoint|on-error)\.sh/;

/** The settings files that run mpm's hook scripts, as shown. */
export function settingsRunningMpm(settings: readonly SettingsFacts[]): string[] {
  return settings.filter((file) => file.hooks.some((h) => MPM_SCRIPT.test(h.command)))
    .map((file) => file.shown);
}

/** Whether the installed-hook checks have anything to judge beside the plugin. */
export function installedHooksInUse(
  scripts: readonly ScriptFacts[],
  settings: readonly SettingsFacts[],
): boolean {
  return scripts.some((s) => s.installed) || settingsRunningMpm(settings).length > 0;
}

export function pluginChecks(
  plugin: MpmPlugin | null,
  settings: readonly SettingsFacts[],
): Check[] {
  if (plugin === null) return [];
  if (!plugin.installed) {
    return [{
      id: "plugin",
      status: "info",
      message: `${plugin.enabledIn} enables mpm's plugin ${plugin.id}, but Claude Code has not ` +
        "installed it: its hooks do not run.",
      fix: `/plugin install ${plugin.id} in Claude Code (or \`mpm hooks install\`)`,
    }];
  }
  const checks: Check[] = [{
    id: "plugin",
    status: "ok",
    message: `Claude Code hooks: from mpm's plugin ${plugin.id} (enabled in ${plugin.enabledIn}).`,
  }];
  const wired = settingsRunningMpm(settings);
  if (wired.length > 0) {
    checks.push({
      id: "plugin",
      status: "warn",
      message: `${wired.join(" and ")} also ${
        wired.length === 1 ? "runs" : "run"
      } mpm's hooks: each event starts mpm twice (the second run does nothing).`,
      fix: "mpm hooks uninstall (with the --scope of that file), or turn the plugin off",
    });
  }
  return checks;
}
