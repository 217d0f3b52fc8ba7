/**
 * Which scripts a settings scope runs: the project's, or for the user settings only the user's own.
 */
import {
  MPM_HOOK_COMMANDS,
  MPM_HOOK_ENTRIES,
  type MpmHookEntry,
  userHookEntries,
} from "../../claude/settings/hooks/hook_entries.ts";
import { claudeConfigDir } from "../../claude/settings/config/config_dir.ts";
import type { SettingsScope } from "../../claude/settings/hooks/settings.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { projectScriptHome, type ScriptHome, userScriptHome } from "./store.ts";

export interface ScopeScripts {
  /** The scripts' folder. */
  home: ScriptHome;
  /** The entries install writes into this scope's settings. */
  entries: readonly MpmHookEntry[];
  /** Every command of mpm's this scope's settings may hold, for uninstall. */
  commands: readonly string[];
}

/** `home`: the user's commands are `"$HOME"/…` under it. */
export function scopeScripts(
  scope: SettingsScope,
  paths: ProjectPaths,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): ScopeScripts {
  if (scope !== "user") {
    return {
      home: projectScriptHome(paths),
      entries: MPM_HOOK_ENTRIES,
      commands: MPM_HOOK_COMMANDS,
    };
  }
  const scripts = userScriptHome(claudeConfigDir(home ?? paths.root, vars));
  const entries = userHookEntries(scripts.dir, home);
  return { home: scripts, entries, commands: [...new Set(entries.map((e) => e.command))] };
}
