/**
 * What `mpm doctor` finds of the Claude Code integration: the installed hook scripts, the three
 * settings files that may run them. Read-only. (The `claude` program: claude/settings/claude_version.ts.)
 */
import { errorText } from "../../kernel/errors.ts";
import {
  type HookPair,
  type ScriptFacts,
  settingsCommands,
  type SettingsFacts,
} from "../judges/judge_hooks.ts";
import { hasUserConfig } from "../../claude/settings/config_dir.ts";
import { parseJsonText } from "../../claude/settings/json_text.ts";
import {
  settingsPath,
  type SettingsScope,
  staleHookEntries,
} from "../../claude/settings/settings.ts";
import { MPM_HOOK_ENTRIES } from "../../claude/settings/hook_entries.ts";
import { shownPath } from "../../hooks/install/settings_file.ts";
import { readTextIfExists } from "../../disk/files/atomic.ts";

const IS_WINDOWS = Deno.build.os === "windows";

/** How `hooks/install/store.ts` sees each script: installed (the shipped text), outdated, edited. */
export interface ScriptStatus {
  script: string;
  path: string;
  state: "installed" | "outdated" | "edited" | "missing";
}

const STATE = { installed: "current", outdated: "outdated", edited: "edited" } as const;

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

/** The hooks each of Claude Code's settings files (local, project, user) runs. */
export async function probeSettings(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
): Promise<SettingsFacts[]> {
  // Without a home folder (and no CLAUDE_CONFIG_DIR) there is no user settings file to read.
  const scopes = hasUserConfig(home, vars) ? SCOPES : SCOPES.filter((scope) => scope !== "user");
  return await Promise.all(scopes.map(async (scope): Promise<SettingsFacts> => {
    const path = settingsPath(scope, root, home ?? root, vars);
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
