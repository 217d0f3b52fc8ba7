/**
 * Whether mpm's own Claude Code plugin runs in a project, read as 2.1.330 reads `enabledPlugins`
 * and `installed_plugins.json`.
 */
import { join, resolve } from "../../../kernel/path.ts";
import { asRecord, jsonRecord } from "../../../kernel/check.ts";
import { claudeConfigDir, hasUserConfig } from "../config/config_dir.ts";
import { settingsPath, type SettingsScope } from "../hooks/settings.ts";

/** The plugin's name, as `mpm plugin export` writes it; users install `mpm@<marketplace>`. */
export const MPM_PLUGIN_NAME = "mpm";

export interface SettingsSource {
  scope: SettingsScope;
  /** The file as shown to people. */
  shown: string;
  text: string | undefined;
}

export interface MpmPlugin {
  /** `mpm@<marketplace>`. */
  id: string;
  /** The settings file whose `enabledPlugins` turns it on, as shown. */
  enabledIn: string;
  /** installed_plugins.json lists it for every project or for this one. */
  installed: boolean;
}

/** Claude Code's order: a later scope overrides an earlier one. */
const PRECEDENCE: readonly SettingsScope[] = ["user", "project", "local"];

/** mpm's plugin as the settings show it (the first installed of several), or null. */
export function findMpmPlugin(
  settings: readonly SettingsSource[],
  installedText: string | undefined,
  projectRoot: string,
): MpmPlugin | null {
  const decided = new Map<string, { on: boolean; shown: string }>();
  const ordered = [...settings].sort((a, b) =>
    PRECEDENCE.indexOf(a.scope) - PRECEDENCE.indexOf(b.scope)
  );
  for (const source of ordered) {
    const enabled = asRecord(jsonRecord(source.text ?? "")?.enabledPlugins);
    if (enabled === undefined) continue;
    for (const [id, value] of Object.entries(enabled)) {
      if (id.startsWith(`${MPM_PLUGIN_NAME}@`)) {
        decided.set(id, { on: value === true, shown: source.shown });
      }
    }
  }
  const installed = installedIds(installedText, projectRoot);
  const found = [...decided].filter(([, d]) => d.on).map(([id, d]) => ({
    id,
    enabledIn: d.shown,
    installed: installed.has(id),
  }));
  return found.find((p) => p.installed) ?? found[0] ?? null;
}

/** The plugin ids installed_plugins.json lists for every project or for `projectRoot`. */
function installedIds(text: string | undefined, projectRoot: string): Set<string> {
  const ids = new Set<string>();
  const plugins = asRecord(jsonRecord(text ?? "")?.plugins);
  if (plugins === undefined) return ids;
  for (const [id, entries] of Object.entries(plugins)) {
    // Version 1: one object per plugin, installed for the user.
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.some((entry) => installedHere(asRecord(entry), projectRoot))) ids.add(id);
  }
  return ids;
}

function installedHere(entry: Record<string, unknown> | undefined, root: string): boolean {
  if (entry === undefined) return false;
  const scope = entry.scope ?? "user";
  if (scope === "user" || scope === "managed") return true;
  return typeof entry.projectPath === "string" && resolve(entry.projectPath) === resolve(root);
}

/** Where Claude Code lists the plugins it installed. */
export function installedPluginsPath(home: string, vars: Readonly<Record<string, string>>) {
  return join(claudeConfigDir(home, vars), "plugins", "installed_plugins.json");
}

/** Reads the files for findMpmPlugin; an unreadable one says nothing. */
export async function readMpmPlugin(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
  shown: (path: string) => string,
): Promise<MpmPlugin | null> {
  const user = hasUserConfig(home, vars);
  const scopes = user ? PRECEDENCE : PRECEDENCE.filter((scope) => scope !== "user");
  const settings = await Promise.all(scopes.map(async (scope): Promise<SettingsSource> => {
    const path = settingsPath(scope, root, home ?? root, vars);
    return { scope, shown: shown(path), text: await readSmall(path) };
  }));
  const installed = user ? await readSmall(installedPluginsPath(home ?? root, vars)) : undefined;
  return findMpmPlugin(settings, installed, root);
}

/** Settings and plugin lists are a few KB; a file past this is not read. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_FILE_BYTES) return undefined;
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}
