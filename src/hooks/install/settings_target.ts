/** The settings `mpm hooks` changes for Claude Code, and the scopes around it. */
import { unifiedDiff } from "../../claude/transcript/diff.ts";
import { MPM_HOOK_ENTRIES } from "../../claude/settings/hooks/hook_entries.ts";
import {
  findHookEntries,
  hookContainers,
  type SettingsEdit,
  settingsPath,
  type SettingsScope,
  uninstallHooks,
} from "../../claude/settings/hooks/settings.ts";
import {
  type BackupFolder,
  backupFolder,
  type Confines,
  readSettingsFile,
  refuseBorrowedPath,
  repositoryFile,
  type SettingsFile,
  shownPath,
} from "./settings/settings_file.ts";
import { managedSettingsPath } from "../../claude/settings/config/config_dir.ts";
import {
  type OtherStatusLine,
  statusLineKind,
  uninstallStatusLine,
} from "../../claude/settings/status_line/status_line.ts";
import { type MpmPlugin, readMpmPlugin } from "../../claude/settings/plugins/plugins.ts";
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { MCP_SERVER, type Registry, registryProject } from "./mcp_entry.ts";
import { claudeJsonPath } from "../../claude/settings/mcp/claude_json.ts";
import { claudeConfigDir, hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { projectScriptHome } from "./store.ts";
import { type ScopeScripts, scopeScripts } from "./scope_scripts.ts";
import { keptContainers } from "./settings/install_record.ts";
import { dirname, join } from "../../kernel/path.ts";
import {
  findProjectRoot,
  mainWorktreeOf,
  type ProjectPaths,
  projectPaths,
} from "../../disk/paths.ts";
import { boolFlag, choiceFlag, type Parsed, stringFlag } from "../../cli/command.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import { type AgentId, DEFAULT_AGENT } from "../../agents/agent.ts";
import { agentTyped } from "../../kernel/agent_start.ts";

export const SCOPES: readonly SettingsScope[] = ["local", "project", "user"];

export interface Target {
  root: string;
  paths: ProjectPaths;
  scope: SettingsScope;
  file: SettingsFile;
  /** The settings path as shown to the user. */
  shown: string;
  /** The scripts this scope's settings run, and where they are. */
  scripts: ScopeScripts;
  /** The linked worktree the command ran in, when it did: the main tree's is changed instead. */
  worktree?: string;
  /** What may be written: nothing through a link a clone committed or that leads out. */
  confines: Confines;
}

export function scopeOf(parsed: Parsed): SettingsScope {
  return choiceFlag(parsed, "scope", SCOPES, "local", SCOPE_HINT);
}

const SCOPE_HINT =
  "local: .claude/settings.local.json; project: .claude/settings.json; user: ~/.claude/settings.json.";

export function show(env: Env, root: string, path: string): string {
  return shownPath(path, root, homeDir(env));
}

/** What a scope's install changes; in a linked worktree, the main tree's. */
export async function openTarget(env: Env, scope: SettingsScope): Promise<Target> {
  const here = await findProjectRoot(env.cwd);
  const main = await mainWorktreeOf(here);
  const root = main === undefined ? here : await findProjectRoot(main);
  const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
  const file = await readSettingsFile(path, show(env, root, path));
  const paths = projectPaths(root);
  const scripts = scopeScripts(scope, paths, homeDir(env), env.vars);
  const user = scope === "user";
  const confines: Confines = {
    inside: user ? claudeConfigDir(homeDir(env) ?? root, env.vars) : root,
    project: root,
    ownLinks: user,
    show: (at) => show(env, root, at),
  };
  return {
    root,
    paths,
    scope,
    file,
    shown: show(env, root, path),
    scripts,
    confines,
    ...(main === undefined ? {} : { worktree: here }),
  };
}

/** Refuses a settings file or scripts folder behind a committed or outward link. */
export async function refuseBorrowed(target: Target): Promise<void> {
  await refuseBorrowedPath(target.file.path, target.confines);
  await refuseBorrowedPath(join(target.scripts.home.dir, "x"), target.confines);
}

/** Beside the scope's scripts, so a user-scope command makes no `.claude-mpm/`. */
export function backupsOf(target: Target): BackupFolder {
  return backupFolder(target.scripts.home.root);
}

/** Where mpm's MCP server is registered for the project; undefined without a home folder. */
/** How the MCP line of install and uninstall starts when mpm's server is (or was) there. */
export const REGISTERED = `MCP server: "${MCP_SERVER}"`;

export async function registryOf(env: Env, target: Target): Promise<Registry | undefined> {
  const home = homeDir(env);
  if (!hasUserConfig(home, env.vars)) return undefined;
  return {
    file: claudeJsonPath(home ?? "", env.vars),
    project: await registryProject(target.root),
    home: projectScriptHome(target.paths),
  };
}

/** The line saying the main tree's files were changed, in a linked worktree. */
export function worktreeLine(env: Env, target: Target): string[] {
  return target.worktree === undefined ? [] : [
    `In the linked worktree ${show(env, target.root, target.worktree)}: changed the main work ` +
    `tree's files (${target.root}), which Claude Code uses there; the worktree is left clean.`,
  ];
}

/** mpm's plugin, when a settings file enables it (see claude/settings/plugins/plugins.ts). */
export function pluginOf(env: Env, root: string): Promise<MpmPlugin | null> {
  return readMpmPlugin(root, homeDir(env), env.vars, (path) => show(env, root, path));
}

/** The edit, or the refusal: a file that is not valid JSON is never written. */
export function edited(target: Target, edit: SettingsEdit): string {
  if (edit.ok) return edit.text;
  const { message } = edit.error;
  throw new MpmError(
    `Refusing to change ${target.shown}: ${message[0].toLowerCase()}${message.slice(1)} ` +
      "Nothing was written.",
    `Fix ${target.shown} (or move it away) and run the command again.`,
  );
}

export function settingsDiff(target: Target, next: string): string {
  return unifiedDiff(target.file.text ?? "", next, {
    oldLabel: target.file.text === undefined ? "/dev/null" : diffLabel("a", target.shown),
    newLabel: diffLabel("b", target.shown),
  }).trimEnd();
}

/** `a/.claude/settings.json`, but an absolute path (a CLAUDE_CONFIG_DIR) stays as it is. */
export function diffLabel(side: "a" | "b", shown: string): string {
  return shown.startsWith("/") || shown.startsWith("~") ? shown : `${side}/${shown}`;
}

/** `--agent`: whose hooks (Claude Code by default). */
export function agentOf(parsed: Parsed): AgentId {
  const given = stringFlag(parsed, "agent");
  if (given === undefined) return DEFAULT_AGENT;
  const id = agentTyped(given);
  if (id === undefined) {
    throw new UsageError(
      `--agent must be claude-code, codex or gemini, not ${JSON.stringify(given)}.`,
      "claude-code: Claude Code (the default); codex: OpenAI's Codex CLI; gemini: Google's Gemini CLI.",
    );
  }
  return id;
}

const SCOPE_FILES = {
  codex: ["Codex", "$CODEX_HOME/hooks.json", ".codex/hooks.json"],
  gemini: ["Gemini", "~/.gemini/settings.json", ".gemini/settings.json"],
} as const;

/** The options of a Codex or Gemini install or uninstall: `--scope` user (the default) or project. */
export function agentOptions(parsed: Parsed, agent: "codex" | "gemini") {
  const scope = stringFlag(parsed, "scope") ?? "user";
  if (scope !== "user" && scope !== "project") {
    const [name, user, project] = SCOPE_FILES[agent];
    throw new UsageError(
      `${name} CLI has no ${JSON.stringify(scope)} scope for hooks.`,
      `Use --scope user (${user}, the default) or --scope project (${project}).`,
    );
  }
  return {
    scope: scope as "user" | "project",
    dryRun: boolFlag(parsed, "dry-run") ?? false,
    asJson: boolFlag(parsed, "json") ?? false,
  };
}

/** The person's containers of mpm's entries, with an earlier install's note of them kept. */
export async function theirContainers(target: Target): Promise<string[]> {
  const text = target.file.text;
  if (text === undefined) return [];
  const noted = await keptContainers(target.scripts.home.dir, target.file.path);
  const without = uninstallHooks(text, target.scripts.commands, { keep: noted });
  const events = target.scripts.entries.map((entry) => entry.event);
  return without.ok ? hookContainers(without.text, events) : [];
}

export function settingsFolderLimit(target: Target): string {
  return dirname(dirname(target.file.path));
}

/** Status line scopes in Claude Code's order: managed, local, project, user. */
export const BELOW: Record<SettingsScope, SettingsScope[]> = {
  local: ["project", "user"],
  project: ["user"],
  user: [],
};
export const ABOVE: Record<SettingsScope, SettingsScope[]> = {
  local: [],
  project: ["local"],
  user: ["local", "project"],
};

/** The status line a lower scope would show, and which of their files git tracks (never copied). */
export async function statusLinesBelow(
  env: Env,
  target: Target,
): Promise<{ below?: OtherStatusLine; repository: string[] }> {
  let below: OtherStatusLine | undefined;
  const repository: string[] = [];
  for (const scope of BELOW[target.scope]) {
    const path = settingsPath(scope, target.root, homeDir(env) ?? target.root, env.vars);
    const from = show(env, target.root, path);
    if (await repositoryFile(target.root, path)) repository.push(from);
    if (below !== undefined) continue;
    const file = await readSettingsFile(path).catch(() => undefined);
    const kind = statusLineKind(file?.text);
    if (file?.text !== undefined && kind !== "none" && kind !== "unreadable") {
      below = { from, text: file.text };
    }
  }
  return { below, repository };
}

/** A settings file above this scope whose status line Claude Code shows instead (shown path). */
export async function statusLineAbove(env: Env, target: Target): Promise<string | undefined> {
  const paths = ABOVE[target.scope].map((scope) =>
    settingsPath(scope, target.root, homeDir(env) ?? target.root, env.vars)
  );
  const managed = env.vars.MPM_MANAGED_SETTINGS ?? managedSettingsPath();
  for (const path of [...(managed ? [managed] : []), ...paths]) {
    const file = await readSettingsFile(path).catch(() => undefined);
    const kind = statusLineKind(file?.text);
    if (kind !== "none" && kind !== "unreadable") return show(env, target.root, path);
  }
  return undefined;
}

/** The settings without mpm's hooks and status line; `keep`: the person's containers. */
export function withoutMpm(
  target: Target,
  text: string,
  keep: readonly string[],
): { text: string; statusLine: "removed" | "restored" | "none" } {
  const hooksGone = edited(target, uninstallHooks(text, target.scripts.commands, { keep }));
  const removal = uninstallStatusLine(hooksGone);
  if (!removal.ok) edited(target, { ok: false, error: { message: removal.message } });
  return removal.ok
    ? { text: removal.text, statusLine: removal.action }
    : { text: hooksGone, statusLine: "none" };
}

/** The other scopes whose settings still name one of mpm's commands. */
export async function wiredScopes(
  env: Env,
  root: string,
  except: SettingsScope,
): Promise<string[]> {
  const wired: string[] = [];
  for (const scope of SCOPES) {
    if (scope === except) continue;
    const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
    const file = await readSettingsFile(path).catch(() => undefined);
    const found = findHookEntries(file?.text, MPM_HOOK_ENTRIES);
    // A file that cannot be read might run them: keep the scripts to be safe.
    if (file === undefined || !found.ok || found.found.length > 0) wired.push(scope);
  }
  return wired;
}
