/** The hook scripts and the settings files that may run them, for `mpm doctor`. */
import { errorText } from "../../kernel/errors.ts";
import {
  type HookPair,
  type ScriptFacts,
  settingsCommands,
  type SettingsFacts,
} from "../judges/judge_hooks.ts";
import { claudeConfigDir, hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { parseJsonText, stringsIn } from "../../claude/settings/config/json_text.ts";
import { settingsPath, type SettingsScope } from "../../claude/settings/hooks/settings.ts";
import {
  MPM_HOOK_COMMANDS,
  userHookEntries,
  userHooksDir,
} from "../../claude/settings/hooks/hook_entries.ts";
import { runsMpmPart } from "../../claude/settings/status_line/status_line.ts";
import { repositoryFile, shownPath } from "../../hooks/install/settings/settings_file.ts";
import type { ScriptStatus } from "../../hooks/install/store.ts";
import { exists } from "../../disk/read/stat.ts";
import { readTextIfExists } from "../../disk/read/read.ts";

const IS_WINDOWS = Deno.build.os === "windows";

const STATE = {
  installed: "current",
  outdated: "outdated",
  edited: "edited",
  foreign: "foreign",
} as const;

/** Each script's state (hooks/install/store.ts), with whether Claude Code can run it. */
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
 * The settings files Claude Code reads at `root`, highest first (a linked worktree's local ones are
 * the main tree's).
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

/** The hooks each settings file runs, and whether git tracks it. */
export async function probeSettings(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
  main?: string,
): Promise<SettingsFacts[]> {
  const files = await settingsFiles(root, home, vars, main);
  const mpmStrings = mpmCommands(home, vars);
  return await Promise.all(files.map(async ({ scope, path }): Promise<SettingsFacts> => {
    const shown = shownPath(path, root, home);
    const repository = await repositoryFile(root, path) ||
      (main !== undefined && await repositoryFile(main, path));
    const facts = { scope, shown, ...(repository ? { repository } : {}) };
    let text: string | undefined;
    try {
      text = await readTextIfExists(path);
    } catch (error) {
      return { ...facts, exists: true, error: `${errorText(error)}.`, hooks: [] };
    }
    if (text === undefined) return { ...facts, exists: false, hooks: [] };
    if (text.trim() === "") return { ...facts, exists: true, hooks: [] };
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      const { message, line, column } = parsed.error;
      // Claude Code ignores the whole file: what of mpm's it holds does not run.
      const strings = stringsIn(text);
      const mpmInside = [
        strings.some((s) => mpmStrings.has(s)) ? "hooks" : "",
        strings.some(runsMpmPart) ? "status line" : "",
      ].filter(Boolean).join(" and ");
      return {
        ...facts,
        exists: true,
        error: `not valid JSON (${message} at line ${line}, column ${column}).`,
        hooks: [],
        ...(mpmInside ? { mpmInside } : {}),
      };
    }
    const hooks: HookPair[] = settingsCommands(JSON.parse(text));
    return { ...facts, exists: true, hooks };
  }));
}

/** Every hook command mpm writes or wrote into a settings file, the user's own included. */
function mpmCommands(
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
): Set<string> {
  const user = hasUserConfig(home, vars)
    ? userHookEntries(userHooksDir(claudeConfigDir(home ?? "", vars)), home).map((e) => e.command)
    : [];
  return new Set([...MPM_HOOK_COMMANDS, ...user]);
}
