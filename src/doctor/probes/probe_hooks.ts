/**
 * What `mpm doctor` finds of the Claude Code integration: the installed hook scripts, the three
 * settings files that may run them. Read-only. (The `claude` program:
 * claude/settings/program/claude_version.ts.)
 */
import { errorText } from "../../kernel/errors.ts";
import {
  type HookPair,
  type ScriptFacts,
  settingsCommands,
  type SettingsFacts,
} from "../judges/judge_hooks.ts";
import { hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { parseJsonText } from "../../claude/settings/config/json_text.ts";
import {
  settingsPath,
  type SettingsScope,
  staleHookEntries,
} from "../../claude/settings/hooks/settings.ts";
import { MPM_HOOK_ENTRIES } from "../../claude/settings/hooks/hook_entries.ts";
import { shownPath } from "../../hooks/install/settings_file.ts";
import { exists, readTextIfExists } from "../../disk/files/atomic.ts";

const IS_WINDOWS = Deno.build.os === "windows";

/** How `hooks/install/store.ts` sees each script: installed (the shipped text), outdated, edited. */
export interface ScriptStatus {
  script: string;
  path: string;
  state: "installed" | "outdated" | "edited" | "foreign" | "missing";
}

const STATE = {
  installed: "current",
  outdated: "outdated",
  edited: "edited",
  foreign: "foreign",
} as const;

/** Each script's state, with whether Claude Code can run it (the execute bit). */
export async function probeScripts(statuses: readonly ScriptStatus[]): Promise<ScriptFacts[]> {
  return await Promise.all(statuses.map(async ({ script, path, state }): Promise<ScriptFacts> => {
    const info = state === "missing" ? undefined : await Deno.stat(path).catch(() => undefined);
    if (!info?.isFile || state === "missing") {
      return { script, path, installed: false, executable: false };
    }
    const executable = IS_WINDOWS || ((info.mode ?? 0) & 0o100) !== 0;
    return { script, path, installed: true, executable, state: STATE[state] };
  }));
}

const SCOPES: readonly SettingsScope[] = ["local", "project", "user"];

/**
 * The settings files Claude Code reads in the project at `root`, highest first, each with its
 * scope. In a linked worktree (`main`: its main work tree, disk/paths.ts `mainWorktreeOf`) the
 * local settings are the main tree's (Claude Code 2.1.330 reads `settings.local.json` at the
 * repository's first checkout), and the worktree's own one, if any, besides.
 */
export async function settingsFiles(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
  main?: string,
): Promise<{ scope: SettingsScope; path: string }[]> {
  // Without a home folder (and no CLAUDE_CONFIG_DIR) there is no user settings file to read.
  const scopes = hasUserConfig(home, vars) ? SCOPES : SCOPES.filter((scope) => scope !== "user");
  const files = scopes.map((scope) => ({
    scope,
    path: settingsPath(scope, scope === "local" ? main ?? root : root, home ?? root, vars),
  }));
  if (main === undefined) return files;
  const own = settingsPath("local", root, home ?? root, vars);
  return await exists(own) ? [{ scope: "local", path: own }, ...files] : files;
}

/** The hooks each of Claude Code's settings files (local, project, user) runs. */
export async function probeSettings(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
  main?: string,
): Promise<SettingsFacts[]> {
  const files = await settingsFiles(root, home, vars, main);
  return await Promise.all(files.map(async ({ scope, path }): Promise<SettingsFacts> => {
    const shown = shownPath(path, root, home);
    let text: string | undefined;
    try {
      text = await readTextIfExists(path);
    } catch (error) {
      return { scope, shown, exists: true, error: `${errorText(error)}.`, hooks: [] };
    }
    if (text === undefined) return { scope, shown, exists: false, hooks: [] };
    if (text.trim() === "") return { scope, shown, exists: true, hooks: [] };
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      const { message, line, column } = parsed.error;
      return {
        scope,
        shown,
        exists: true,
        error: `not valid JSON (${message} at line ${line}, column ${column}).`,
        hooks: [],
      };
    }
    const hooks: HookPair[] = settingsCommands(JSON.parse(text));
    const stale = [...new Set(staleHookEntries(text, MPM_HOOK_ENTRIES).map((e) => e.event))];
    return { scope, shown, exists: true, hooks, ...(stale.length > 0 ? { stale } : {}) };
  }));
}
