/** `mpm hooks list | show NAME | install | uninstall`: wiring mpm into Claude Code. */
import { claudeCodeVersion } from "../../claude/settings/program/claude_version.ts";
import { unifiedDiff } from "../../claude/transcript/diff.ts";
import {
  EVENT_MIN_VERSION,
  filterEventsForVersion,
  HOOK_SCRIPTS,
  LEGACY_HOOK_ENTRIES,
  MPM_HOOK_ENTRIES,
  type MpmHookEntry,
} from "../../claude/settings/hooks/hook_entries.ts";
import { scriptEvents, scriptNamed, SHIPPED_SCRIPTS } from "./scripts.ts";
import {
  findHookEntries,
  hookContainers,
  installHooks,
  type SettingsEdit,
  settingsPath,
  type SettingsScope,
  staleHookEntries,
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
  writeSettingsFile,
} from "./settings_file.ts";
import { managedSettingsPath } from "../../claude/settings/config/config_dir.ts";
import {
  installStatusLine,
  type OtherStatusLine,
  statusLineCommand,
  type StatusLineKind,
  statusLineKind,
  uninstallStatusLine,
} from "../../claude/settings/status_line/status_line.ts";
import { type MpmPlugin, readMpmPlugin } from "../../claude/settings/plugins/plugins.ts";
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { type InstallReport, renderInstall, renderList } from "./report.ts";
import {
  borrowedApprovals,
  installedHere,
  MCP_SERVER,
  registerMcpServer,
  type Registry,
  registryProject,
  removeLegacyServer,
  unregisterMcpServer,
  withoutMcpApproval,
} from "./mcp_entry.ts";
import { claudeJsonPath } from "../../claude/settings/mcp/claude_json.ts";
import { approvedProjectServer, approvedServerNote, claudeEntryReader } from "./approved_server.ts";
import { claudeConfigDir, hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { style } from "../../kernel/format/style.ts";
import { ensureExcluded, LOCAL_SETTINGS_LINE } from "../../git/run/exclude.ts";
import {
  installScripts,
  planScripts,
  projectScriptHome,
  readScriptStates,
  removeScripts,
} from "./store.ts";
import { type ScopeScripts, scopeScripts } from "./scope_scripts.ts";
import { allowReadOnlyTools, noteAllowed, withoutAllowed } from "./mcp_allow.ts";
import {
  createdByInstall,
  keptContainers,
  missingPaths,
  noteSettings,
  olderInstall,
  readInstallRecord,
  removeCreated,
} from "./install_record.ts";
import { dirname, join } from "../../kernel/path.ts";
import {
  findProjectRoot,
  mainWorktreeOf,
  type ProjectPaths,
  projectPaths,
} from "../../disk/paths.ts";
import { boolFlag, type Command, type Parsed, stringFlag } from "../../cli/command.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { type AgentId, agentId, DEFAULT_AGENT } from "../../agents/agent.ts";
import { codexScope, installCodex, uninstallCodex } from "./codex_install.ts";
import { foundLines, otherAgentsFound } from "./agents_found.ts";
import { geminiScope, installGemini, uninstallGemini } from "./gemini_install.ts";

const SCOPES: readonly SettingsScope[] = ["local", "project", "user"];

interface Target {
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

function scopeOf(parsed: Parsed): SettingsScope {
  const scope = stringFlag(parsed, "scope") ?? "local";
  if (!(SCOPES as readonly string[]).includes(scope)) {
    throw new UsageError(
      `--scope must be local, project or user, not ${JSON.stringify(scope)}.`,
      "local: .claude/settings.local.json; project: .claude/settings.json; user: ~/.claude/settings.json.",
    );
  }
  return scope as SettingsScope;
}

function show(env: Env, root: string, path: string): string {
  return shownPath(path, root, homeDir(env));
}

/**
 * The settings, scripts and registration a scope's install changes. In a linked worktree, the
 * main work tree's: Claude Code takes a worktree's local settings and local MCP servers from
 * there, the hook commands run its scripts, and files left in the worktree would make the next
 * `mpm return` keep it.
 */
async function openTarget(env: Env, scope: SettingsScope): Promise<Target> {
  const here = await findProjectRoot(env.cwd);
  const main = await mainWorktreeOf(here);
  const root = main === undefined ? here : await findProjectRoot(main);
  const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
  const file = await readSettingsFile(path);
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

/**
 * Refuses, before anything is written, a settings file or scripts folder reached through a link
 * a clone committed or one leading out (settings_file.ts `refuseBorrowedPath`).
 */
async function refuseBorrowed(target: Target): Promise<void> {
  await refuseBorrowedPath(target.file.path, target.confines);
  await refuseBorrowedPath(join(target.scripts.home.dir, "x"), target.confines);
}

/**
 * Where the settings' previous text is kept: beside the scope's scripts, under the folder that
 * holds them (`.claude-mpm/`; the user's `~/.claude/mpm/`, so a user-scope command makes no
 * `.claude-mpm/` wherever it runs).
 */
function backupsOf(target: Target): BackupFolder {
  return backupFolder(target.scripts.home.root);
}

/** Where mpm's MCP server is registered for the project; undefined without a home folder. */
/** How the MCP line of install and uninstall starts when mpm's server is (or was) there. */
const REGISTERED = `MCP server: "${MCP_SERVER}"`;

async function registryOf(env: Env, target: Target): Promise<Registry | undefined> {
  const home = homeDir(env);
  if (!hasUserConfig(home, env.vars)) return undefined;
  return {
    file: claudeJsonPath(home ?? "", env.vars),
    project: await registryProject(target.root),
    home: projectScriptHome(target.paths),
  };
}

/** The line saying the main tree's files were changed, in a linked worktree. */
function worktreeLine(env: Env, target: Target): string[] {
  return target.worktree === undefined ? [] : [
    `In the linked worktree ${show(env, target.root, target.worktree)}: changed the main work ` +
    `tree's files (${target.root}), which Claude Code uses there; the worktree is left clean.`,
  ];
}

/** mpm's plugin, when a settings file enables it (see claude/settings/plugins/plugins.ts). */
function pluginOf(env: Env, root: string): Promise<MpmPlugin | null> {
  return readMpmPlugin(root, homeDir(env), env.vars, (path) => show(env, root, path));
}

/** The edit, or the refusal: a file that is not valid JSON is never written. */
function edited(target: Target, edit: SettingsEdit): string {
  if (edit.ok) return edit.text;
  const { message } = edit.error;
  throw new MpmError(
    `Refusing to change ${target.shown}: ${message[0].toLowerCase()}${message.slice(1)} ` +
      "Nothing was written.",
    `Fix ${target.shown} (or move it away) and run the command again.`,
  );
}

function settingsDiff(target: Target, next: string): string {
  return unifiedDiff(target.file.text ?? "", next, {
    oldLabel: target.file.text === undefined ? "/dev/null" : diffLabel("a", target.shown),
    newLabel: diffLabel("b", target.shown),
  }).trimEnd();
}

/** `a/.claude/settings.json`, but an absolute path (a CLAUDE_CONFIG_DIR) stays as it is. */
function diffLabel(side: "a" | "b", shown: string): string {
  return shown.startsWith("/") || shown.startsWith("~") ? shown : `${side}/${shown}`;
}

/** `--agent`: whose hooks (Claude Code by default). */
function agentOf(parsed: Parsed): AgentId {
  const given = stringFlag(parsed, "agent");
  if (given === undefined) return DEFAULT_AGENT;
  const id = agentId(given);
  if (id === undefined) {
    throw new UsageError(
      `--agent must be claude-code, codex or gemini, not ${JSON.stringify(given)}.`,
      "claude-code: Claude Code (the default); codex: OpenAI's Codex CLI; gemini: Google's Gemini CLI.",
    );
  }
  return id;
}

/** The options of a Codex install or uninstall. */
function codexOptions(parsed: Parsed) {
  return {
    scope: codexScope(stringFlag(parsed, "scope")),
    dryRun: boolFlag(parsed, "dry-run") ?? false,
    asJson: boolFlag(parsed, "json") ?? false,
  };
}

/** The options of a Gemini install or uninstall. */
function geminiOptions(parsed: Parsed) {
  return {
    scope: geminiScope(stringFlag(parsed, "scope")),
    dryRun: boolFlag(parsed, "dry-run") ?? false,
    asJson: boolFlag(parsed, "json") ?? false,
  };
}

async function install(env: Env, parsed: Parsed) {
  const agent = agentOf(parsed);
  if (agent === "codex") return await installCodex(env, codexOptions(parsed));
  if (agent === "gemini") return await installGemini(env, geminiOptions(parsed));
  const target = await openTarget(env, scopeOf(parsed));
  await refuseBorrowed(target);
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
  // An older mpm of this machine's registered the server in .mcp.json and approved it by name.
  const olderMpm = target.scope !== "user" && await installedHere(projectScriptHome(target.paths));
  const force = boolFlag(parsed, "force") ?? false;
  const plugin = await pluginOf(env, target.root);
  if (plugin?.installed && !boolFlag(parsed, "with-plugin")) {
    // Both would run mpm on every event: the context twice in every conversation.
    throw new MpmError(
      `mpm's Claude Code plugin (${plugin.id}, enabled in ${plugin.enabledIn}) already runs ` +
        "these hooks; installing them too would run every event twice.",
      "Nothing to do while the plugin is on; pass --with-plugin to install them anyway.",
    );
  }
  const version = await claudeCodeVersion(env.vars);
  const all = target.scripts.entries;
  const entries = filterEventsForVersion(all, version);
  const leftOut = [...new Set(all.filter((e) => !entries.includes(e)).map((e) => e.event))];
  // Everything is computed before anything is written, so a refusal leaves no trace.
  let next = target.file.text;
  // What of the person's holds mpm's entries (an empty `"hooks": {}` of theirs): never removed.
  const keep = await theirContainers(target);
  // Entries an older mpm wrote otherwise (an older command, matcher or SessionEnd block): updated.
  const older = olderEntries(target, entries);
  if (next !== undefined && target.scripts.legacy.length > 0) {
    // An older mpm's commands: in the local and project settings, `"$CLAUDE_PROJECT_DIR"/…`,
    // not found from a subfolder; in the user settings, the project's scripts (a cloned
    // repository's own script would run in every project). Replaced by today's.
    next = edited(target, uninstallHooks(next, target.scripts.legacy, { keep }));
  }
  const outdated = staleHookEntries(next, entries);
  if (next !== undefined && outdated.length > 0) {
    // What an earlier install wrote differently (a narrower matcher, say) is written afresh.
    next = edited(
      target,
      uninstallHooks(next, outdated.map((e) => e.command), {
        events: outdated.map((e) => e.event),
        keep,
      }),
    );
  }
  next = edited(target, installHooks(next, entries));
  if (leftOut.length > 0) {
    // Entries an earlier install made for events this Claude Code does not know must go too:
    // it would discard the whole file over them.
    next = edited(
      target,
      uninstallHooks(next, target.scripts.commands, { events: leftOut, keep }),
    );
  }
  let statusLine: InstallReport["statusLine"] = "skipped";
  let statusLineFrom: string | undefined;
  let statusLineHiddenBy: string | undefined;
  let statusLineTheirs: string | undefined;
  if (boolFlag(parsed, "statusline") ?? true) {
    const { below, repository } = await statusLinesBelow(env, target);
    statusLineHiddenBy = await statusLineAbove(env, target);
    const edit = installStatusLine(next, below, repository);
    if (edit.ok) statusLineFrom = edit.from;
    // The person's own command, named in the report: this file's, or the one copied here.
    if (edit.ok && (edit.action === "wrapped" || edit.action === "borrowed")) {
      statusLineTheirs = edit.action === "wrapped"
        ? statusLineCommand(next)
        : statusLineCommand(below?.text);
    }
    next = edited(
      target,
      edit.ok ? { ok: true, text: edit.text, changed: true } : {
        ok: false,
        error: { message: edit.message },
      },
    );
    if (edit.ok) statusLine = edit.action;
  }
  // mpm approves no server by name (mcp_entry.ts); an older mpm's approval goes, and one the
  // person made stays.
  const pluginServes = plugin?.installed === true;
  if (await olderApproval(target)) next = withoutMcpApproval(next) ?? next;
  const allowed = allowReadOnlyTools(next, target.scope, pluginServes);
  next = allowed.text;
  const plans = planScripts(await readScriptStates(target.scripts.home), force);
  const changed = next !== (target.file.text ?? "");
  // What this install makes that was not there (the settings file, its .claude/), recorded so
  // that uninstall takes it away again.
  const created = changed && target.file.text === undefined
    ? await missingPaths(target.file.path, settingsFolderLimit(target))
    : [];
  // The scripts' folders it makes (`~/.claude/mpm/`, say) go with the scripts at uninstall.
  created.push(...await missingPaths(target.scripts.home.dir, settingsFolderLimit(target)));
  const before = findHookEntries(target.file.text, entries);
  let backups: Partial<Record<string, string>> = {};
  let settingsBackup: string | null = null;
  if (!dryRun) {
    backups = await installScripts(target.scripts.home, plans, env.now(), created);
    // Keeps the scripts out of `git status`, as every other file under .claude-mpm/.
    if (target.scope !== "user") await ensureExcluded(target.root);
    if (changed && target.scope === "local" && target.file.text === undefined) {
      // Claude Code keeps the file it creates out of git; one mpm creates is kept out alike.
      await ensureExcluded(target.root, LOCAL_SETTINGS_LINE);
    }
    if (changed) {
      const backup = { paths: backupsOf(target), label: target.scope, now: env.now() };
      settingsBackup = await writeSettingsFile(target.file, next, backup);
    }
    const home = target.scripts.home;
    await noteSettings(home.dir, target.file.path, keep, home.root);
    await noteAllowed(home.dir, target.file.path, allowed.added, home.root);
  }
  const registry = await registryOf(env, target);
  const legacy = olderMpm
    ? await removeLegacyServer(target.root, target.paths, env.now(), dryRun)
    : null;
  const mcpServer = pluginServes
    ? `MCP server: not registered; mpm's plugin (${plugin.id}) starts its own.`
    : target.scope === "user"
    ? "MCP server: not registered for the user scope: `mpm hooks install` in a project " +
      "registers it there (Claude Code's local scope)."
    : registry === undefined
    ? "MCP server: not registered: there is no home folder (HOME is not set)."
    : await registerMcpServer(registry, show(env, target.root, registry.file), dryRun);
  const approved = target.scope === "user" ? undefined : await approvedProjectServer(
    target.root,
    registry && claudeEntryReader(registry, show(env, target.root, registry.file)),
  ).catch(() => undefined);
  const mcpNotes = [
    ...(allowed.line ? [allowed.line] : []),
    ...(legacy ? [legacy] : []),
    ...(approved === undefined ? [] : [
      approvedServerNote(approved, mcpServer.startsWith(REGISTERED) ? "registered" : "missing"),
    ]),
    ...(target.scope === "user"
      ? []
      : await borrowedApprovals(target.root, approved !== undefined)),
  ];
  const report = {
    scope: target.scope,
    dryRun,
    hooksDir: show(env, target.root, target.scripts.home.dir),
    scripts: plans.map(({ script, action }) => {
      const backup = backups[script];
      return { script, action, ...(backup ? { backup: show(env, target.root, backup) } : {}) };
    }),
    settings: {
      shown: target.shown,
      changed,
      ...(dryRun && changed ? { diff: settingsDiff(target, next) } : {}),
      added: entries.length - older.size -
        (before.ok ? before.found.filter((e) => !older.has(e)).length : 0),
      updated: older.size,
      events: eventCount(entries),
      newFile: target.file.text === undefined,
      backup: settingsBackup && show(env, target.root, settingsBackup),
    },
    claudeVersion: version,
    leftOut: leftOut.map((event) => ({ event, since: EVENT_MIN_VERSION[event] })),
    statusLine,
    ...(statusLineFrom ? { statusLineFrom } : {}),
    ...(statusLineHiddenBy ? { statusLineHiddenBy } : {}),
    ...(statusLineTheirs ? { statusLineTheirs } : {}),
  };
  // `--agent` left out where Codex CLI or Gemini CLI is here too: the command for each.
  const others = stringFlag(parsed, "agent") === undefined ? await otherAgentsFound(env) : [];
  if (boolFlag(parsed, "json")) {
    const {
      hooksDir,
      dryRun: _,
      claudeVersion,
      leftOut: left,
      settings,
      statusLine: line,
      statusLineFrom: lineFrom,
      statusLineHiddenBy: hiddenBy,
      statusLineTheirs: _theirs,
      ...rest
    } = report;
    const { newFile, ...file } = settings;
    return json({
      ...rest,
      dry_run: dryRun,
      hooks_dir: hooksDir,
      settings: { ...file, new_file: newFile },
      claude_version: claudeVersion,
      left_out: left,
      status_line: line,
      status_line_from: lineFrom ?? null,
      status_line_hidden_by: hiddenBy ?? null,
      mcp_server: mcpServer,
      mcp_notes: mcpNotes,
      worktree: target.worktree ?? null,
      other_agents: others,
    });
  }
  return text([
    ...worktreeLine(env, target),
    ...renderInstall(report, style(env.color)),
    mcpServer,
    ...mcpNotes,
    ...foundLines(others),
  ]);
}

/**
 * Whether an approval of `.mcp.json`'s `mpm` server by name in the settings is an older mpm's,
 * to take away: that mpm installed here and wrote it (install_record.ts `olderInstall`). Where
 * an install since noted the file, the approval there is the person's own.
 */
async function olderApproval(target: Target): Promise<boolean> {
  return target.scope !== "user" &&
    await olderInstall(target.scripts.home.dir, target.file.path);
}

/**
 * The containers of mpm's entries that are the person's (settings.ts `hookContainers`): those
 * the settings hold once mpm's own entries are out, an earlier install's note of what was theirs
 * kept. Install notes them in its record; uninstall leaves them, even empty.
 */
async function theirContainers(target: Target): Promise<string[]> {
  const text = target.file.text;
  if (text === undefined) return [];
  const noted = await keptContainers(target.scripts.home.dir, target.file.path);
  const without = uninstallHooks(text, target.scripts.commands, { keep: noted });
  const events = target.scripts.entries.map((entry) => entry.event);
  return without.ok ? hookContainers(without.text, events) : [];
}

/**
 * The entries the settings hold in an older mpm's form, which install writes afresh: with an
 * older command for the same script (an older mpm's project command; in the user settings, any
 * project command), or with today's command held otherwise (a narrower matcher, one SessionEnd
 * block where there are two now).
 */
function olderEntries(target: Target, entries: readonly MpmHookEntry[]): Set<MpmHookEntry> {
  const text = target.file.text;
  const older = new Set(staleHookEntries(text, entries));
  for (const entry of entries) {
    const twins = target.scripts.legacy.filter((c) => c.includes(`hooks/${entry.script}.sh`))
      .map((command) => ({ ...entry, command }));
    const found = findHookEntries(text, twins);
    if (found.ok && found.found.length > 0) older.add(entry);
  }
  return older;
}

async function uninstall(env: Env, parsed: Parsed) {
  const agent = agentOf(parsed);
  if (agent === "codex") return await uninstallCodex(env, codexOptions(parsed));
  if (agent === "gemini") return await uninstallGemini(env, geminiOptions(parsed));
  const target = await openTarget(env, scopeOf(parsed));
  await refuseBorrowed(target);
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
  const olderMpm = target.scope !== "user" && await installedHere(projectScriptHome(target.paths));
  const home = target.scripts.home;
  const keep = await keptContainers(home.dir, target.file.path);
  const edit = target.file.text === undefined
    ? undefined
    : withoutMpm(target, target.file.text, keep);
  const next = await withoutAllowed(
    home.dir,
    target.file.path,
    edit === undefined || !(await olderApproval(target))
      ? edit?.text
      : withoutMcpApproval(edit.text),
  );
  const statusLine = edit?.statusLine ?? "none";
  const changed = next !== undefined && next !== target.file.text;
  const asJson = boolFlag(parsed, "json") ?? false;
  // --json: what was (or would be) done, in the same order as the lines below.
  const report = {
    scope: target.scope,
    dry_run: dryRun,
    settings: { shown: target.shown, changed, backup: null as string | null, removed: false },
    status_line: statusLine,
    ...(dryRun && changed ? { diff: settingsDiff(target, next) } : {}),
    scripts: {
      removed: [] as string[],
      kept: [] as string[],
      foreign: [] as string[],
      still_wired_in: [] as string[],
    },
  };
  const lines: string[] = worktreeLine(env, target);
  // A settings file this machine's install created, left with nothing else in it, goes (and
  // its folder, when install made that too and nothing else is in it).
  const emptied = (text: string) => text === target.file.text && isEmptySettings(next);
  const limit = { upTo: settingsFolderLimit(target), root: home.root };
  // What install made, before the settings file's removal forgets its folders.
  const made = new Set((await readInstallRecord(home.dir)).created);
  if (!changed) {
    lines.push(`${target.shown}: no mpm hooks to remove.`);
    // A settings file install made that the person deleted since: its record and the empty
    // folder install made for it go all the same.
    if (!dryRun && target.file.text === undefined) {
      await removeCreated(home.dir, target.file.path, () => false, limit);
    }
  } else if (dryRun) {
    lines.push(
      "Dry run: nothing was written.",
      "",
      settingsDiff(target, next),
    );
    if (isEmptySettings(next) && await createdByInstall(home.dir, target.file.path)) {
      lines.push(
        "",
        `${target.shown} would be removed: mpm created it, and nothing else is in it.`,
      );
    }
  } else if ((await removeCreated(home.dir, target.file.path, emptied, limit)).length > 0) {
    lines.push(
      `✓ Removed mpm's hooks from ${target.shown}; mpm had created the file and nothing else ` +
        "was in it, so it is gone (with its folder, when mpm made that too and it is empty).",
    );
    report.settings.removed = true;
  } else {
    const backup = await writeSettingsFile(target.file, next, {
      paths: backupsOf(target),
      label: target.scope,
      now: env.now(),
    });
    lines.push(`✓ Removed mpm's hooks from ${target.shown}.`);
    if (statusLine === "removed") lines.push("  mpm's status line went with them.");
    if (statusLine === "restored") lines.push("  Your own status line is back as it was.");
    if (backup) lines.push(`  Previous file backed up to ${show(env, target.root, backup)}`);
    report.settings.backup = backup ? show(env, target.root, backup) : null;
  }
  // mpm's entries are out of the file: what install noted of it goes from its record.
  if (!dryRun) await noteSettings(home.dir, target.file.path, undefined, home.root);
  // The scripts go only when no settings file runs them any more, and the project's MCP server
  // only when neither the local nor the project settings do (both installs registered it).
  // The user's scripts are run by the user settings alone.
  const stillWired = target.scope === "user"
    ? []
    : await wiredScopes(env, target.root, target.scope);
  const serverUsed = stillWired.some((scope) => scope !== "user");
  const registry = target.scope === "user" || serverUsed
    ? undefined
    : await registryOf(env, target);
  const mcpServer = registry === undefined
    ? null
    : await unregisterMcpServer(registry, show(env, target.root, registry.file), dryRun);
  if (mcpServer) lines.push(mcpServer);
  // A clone's approved server of mpm's name runs from now on: said, with its command.
  const approved = registry === undefined ? undefined : await approvedProjectServer(
    target.root,
    claudeEntryReader(registry, show(env, target.root, registry.file)),
  ).catch(() => undefined);
  if (approved !== undefined) {
    lines.push(
      approvedServerNote(approved, mcpServer?.startsWith(REGISTERED) ? "uninstalled" : "missing"),
    );
  }
  const legacy = olderMpm
    ? await removeLegacyServer(target.root, target.paths, env.now(), dryRun)
    : null;
  if (legacy) lines.push(legacy);
  Object.assign(report, { mcp_server: mcpServer });
  if (dryRun) return asJson ? json(report) : text(lines);
  if (stillWired.length > 0) {
    lines.push(`The scripts stay: the ${stillWired.join(" and ")} settings still run them.`);
    report.scripts.still_wired_in = stillWired;
    return asJson ? json(report) : text(lines);
  }
  const { removed, kept, foreign } = await removeScripts(home, { made, upTo: limit.upTo });
  report.scripts.removed = removed.map((s) => `${s}.sh`);
  report.scripts.kept = kept.map((s) => `${s}.sh`);
  report.scripts.foreign = foreign.map((s) => `${s}.sh`);
  if (asJson) return json(report);
  if (removed.length > 0) lines.push(`Removed ${removed.map((s) => `${s}.sh`).join(", ")}.`);
  if (kept.length > 0) {
    const them = kept.length === 1 ? "it" : "them";
    lines.push(
      `Kept ${kept.map((s) => `${s}.sh`).join(", ")}: you edited ${them}; delete ${them} by ` +
        `hand if you no longer want ${them} (\`mpm doctor\` notes ${them}, nothing runs ${them}).`,
    );
  }
  if (foreign.length > 0) {
    const [it, is] = foreign.length === 1 ? ["it", "it is"] : ["them", "they are"];
    lines.push(
      `Left ${foreign.map((s) => `${s}.sh`).join(", ")}: no install on this machine wrote ` +
        `${it} (a cloned repository's?), so ${is} not mpm's to delete; nothing of mpm's runs ${it}.`,
    );
  }
  return text(lines);
}

/**
 * The folder above which install never records what it created: the project for its settings
 * files, the Claude config folder's parent for the user's. So at most the file and its folder.
 */
function settingsFolderLimit(target: Target): string {
  return dirname(dirname(target.file.path));
}

/** Settings holding nothing at all (`{}`): what mpm's own entries leave when they go. */
function isEmptySettings(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      Object.keys(value).length === 0;
  } catch {
    return false;
  }
}

/**
 * Scopes Claude Code reads above and below each other for the status line: managed, local,
 * project, user (the first that has one wins).
 */
const BELOW: Record<SettingsScope, SettingsScope[]> = {
  local: ["project", "user"],
  project: ["user"],
  user: [],
};
const ABOVE: Record<SettingsScope, SettingsScope[]> = {
  local: [],
  project: ["local"],
  user: ["local", "project"],
};

/**
 * The status line Claude Code would show from a scope below this one, when there is one; and
 * which of those scopes' files (as shown) git tracks: the repository's, whose status line is
 * never copied into the person's settings.
 */
async function statusLinesBelow(
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
async function statusLineAbove(env: Env, target: Target): Promise<string | undefined> {
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

/**
 * The settings without mpm's hooks and status line (a status line of the person's own comes
 * back); `keep`: the containers that were the person's (theirContainers), left even empty.
 */
function withoutMpm(
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
async function wiredScopes(env: Env, root: string, except: SettingsScope): Promise<string[]> {
  const wired: string[] = [];
  for (const scope of SCOPES) {
    if (scope === except) continue;
    const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
    const file = await readSettingsFile(path).catch(() => undefined);
    const found = findHookEntries(file?.text, [...MPM_HOOK_ENTRIES, ...LEGACY_HOOK_ENTRIES]);
    // A file that cannot be read might run them: keep the scripts to be safe.
    if (file === undefined || !found.ok || found.found.length > 0) wired.push(scope);
  }
  return wired;
}

async function list(env: Env, parsed: Parsed) {
  const root = await findProjectRoot(env.cwd);
  const paths = projectPaths(root);
  const listed = (states: Awaited<ReturnType<typeof readScriptStates>>) =>
    states.map(({ script, path, state }) => ({
      name: script,
      path,
      state,
      events: scriptEvents(script),
    }));
  const user = scopeScripts("user", paths, homeDir(env), env.vars);
  const [scripts, userScripts] = await Promise.all([
    readScriptStates(projectScriptHome(paths)).then(listed),
    readScriptStates(user.home).then(listed),
  ]);
  const [settings, plugin] = await Promise.all([
    Promise.all(SCOPES.map(async (scope) => {
      const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
      const file = await readSettingsFile(path).catch(() => undefined);
      const { entries } = scopeScripts(scope, paths, homeDir(env), env.vars);
      // An older mpm's commands are found too (in the user settings, the project's scripts).
      const found = findHookEntries(file?.text, [
        ...entries,
        ...(scope === "user" ? MPM_HOOK_ENTRIES : []),
        ...LEGACY_HOOK_ENTRIES,
      ]);
      const line = statusLineKind(file?.text);
      return {
        scope,
        file: show(env, root, path),
        exists: file?.text !== undefined,
        error: found.ok ? null : found.error.message,
        events: found.ok ? [...new Set(found.found.map((e) => e.event))] : [],
        status_line: (line === "unreadable" ? "none" : line) as StatusLineKind,
      };
    })),
    pluginOf(env, root),
  ]);
  if (boolFlag(parsed, "json")) {
    const pluginJson = plugin &&
      { id: plugin.id, enabled_in: plugin.enabledIn, installed: plugin.installed };
    return json({ scripts, user_scripts: userScripts, settings, plugin: pluginJson });
  }
  return text(renderList(scripts, settings, eventCount(MPM_HOOK_ENTRIES), plugin));
}

/** Events, not entries: SessionEnd has two (waited for on /clear and /resume, async at exit). */
function eventCount(entries: readonly { event: string }[]): number {
  return new Set(entries.map((e) => e.event)).size;
}

const scopeFlag = {
  name: "scope",
  value: "SCOPE",
  description:
    "Which settings: local (.claude/settings.local.json, default), project (.claude/settings.json), user (~/.claude/settings.json, or $CLAUDE_CONFIG_DIR/settings.json).",
  complete: [...SCOPES],
};
const dryRunFlag = { name: "dry-run", description: "Show what would change; write nothing." };
const agentFlag = {
  name: "agent",
  value: "AGENT",
  description:
    "Whose hooks: claude-code (the default), codex (OpenAI's Codex CLI: --scope user, its default, or project) or gemini (Google's Gemini CLI: --scope user, its default and the safe one, or project).",
  complete: ["claude-code", "codex", "gemini"],
};

export const hooksCommand: Command = {
  name: "hooks",
  summary: "Wire mpm into Claude Code: list, show, install or uninstall its hooks.",
  details: `The hooks: pre-session (SessionStart: the last session's context), post-session
(SessionEnd: an automatic pause), checkpoint (PreCompact: a checkpoint; Stop: context-window
warnings and resume files) and on-error (PostToolUseFailure, StopFailure: error records).`,
  subcommands: [
    {
      name: "list",
      summary: "The hooks, whether they are installed, and which settings run them.",
      json:
        `- \`mpm hooks list --json\`: \`{"scripts", "user_scripts", "settings", "plugin"}\`. \`scripts\` (the
  project's \`.claude-mpm/hooks/\`) and \`user_scripts\` (the user's \`~/.claude/mpm/hooks/\`) are
  \`[{"name", "path", "state", "events"}]\`, \`state\` being \`installed\`, \`outdated\`, \`edited\`,
  \`foreign\` (no install of this machine's wrote it; see "Claude Code hooks") or \`missing\` and
  \`events\` naming matchers (\`"SessionStart (startup|resume|clear|compact|fork)"\`,
  \`"SessionEnd (any other reason, in the background)"\`); \`settings\` is
  \`[{"scope", "file", "exists", "error", "events", "status_line"}]\`, \`events\` being those that run
  one of mpm's scripts in that file, each once, and \`status_line\` \`none\`, \`mpm\` (mpm's alone),
  \`wrapped\` (the person's, then mpm's), \`theirs\` or \`other\` (not a command); \`plugin\` is
  \`{"id", "enabled_in", "installed"}\` when a settings file enables mpm's plugin, else \`null\`.`,
      flags: [{ name: "json", description: "Print the result as JSON." }],
      run: list,
    },
    {
      name: "show",
      summary: "Print a shipped hook script.",
      args: [{
        name: "NAME",
        description: "pre-session, post-session, checkpoint or on-error.",
        complete: "hooks",
      }],
      run: (_env, parsed) => {
        const script = scriptNamed(parsed.args[0]);
        if (script === undefined) {
          throw new UsageError(
            `There is no hook named ${JSON.stringify(parsed.args[0])}.`,
            `The hooks: ${HOOK_SCRIPTS.join(", ")}.`,
          );
        }
        return Promise.resolve(text(SHIPPED_SCRIPTS[script]));
      },
    },
    {
      name: "install",
      summary: "Install the scripts in .claude-mpm/hooks/ and wire them into Claude Code.",
      json: `- \`mpm hooks install --json\`:
  \`{"scope", "scripts", "dry_run", "hooks_dir", "settings",
  "claude_version", "left_out", "status_line", "status_line_from", "status_line_hidden_by",
  "other_agents"}\`:
  \`scripts\` \`[{"script", "action", "backup"?}]\` (\`action\`: \`write\`, \`update\`, \`unchanged\`, \`kept\`,
  \`replace\` (an edited one, with \`--force\`) or \`untrusted\` (a foreign one, moved to \`backup\`)),
  \`settings\` \`{"shown", "changed", "diff"?, "added", "updated", "events", "new_file", "backup"}\`
  (\`diff\` with \`--dry-run\`), \`left_out\` the events this Claude Code does not know,
  \`[{"event", "since"}]\`, \`status_line\` \`added\`, \`wrapped\` (the person's kept, mpm's after it),
  \`borrowed\` (the person's from the file named in \`status_line_from\`, copied here with mpm's after
  it), \`instead\` (mpm's own added: the status line below is the repository's, from the file git
  tracks named in \`status_line_from\`, and is not copied), \`replaced\` (an older mpm's copy of the
  repository's status line from \`status_line_from\` replaced by mpm's own), \`updated\` (an older mpm's
  form replaced), \`present\`, \`kept\` (not a command: left alone) or \`skipped\` (\`--no-statusline\`);
  \`status_line_hidden_by\`: a settings file Claude Code reads first whose status line it shows
  instead (managed settings included), else \`null\`; \`other_agents\` (without \`--agent\`): the other
  agents found here without running them, by their folder or program on PATH (Codex CLI:
  \`$CODEX_HOME\`, \`~/.codex\`, \`codex\`; Gemini CLI: \`~/.gemini\`, \`gemini\`), each
  \`{"agent", "name", "hooks_installed", "command"}\`, \`command\` the install for it
  (\`mpm hooks install --agent codex\`).`,
      details: `Writes the four scripts (mode 0700) and adds mpm's entries to the chosen settings
file, keeping everything else in it as it was; the previous file is backed up under
.claude-mpm/backups/settings/. Running it again changes nothing. A script you edited after
this machine's install is kept unless --force is given (then it is backed up under
.claude-mpm/backups/hooks/). A script no install on this machine wrote (one a cloned
repository committed) is not trusted: it is moved there unread and replaced by mpm's own.
Events the installed Claude Code (claude --version) does not know are left out.`,
      more:
        `--scope user writes the scripts into ~/.claude/mpm/hooks/ ($CLAUDE_CONFIG_DIR/mpm/hooks/)
instead, and its backups under ~/.claude/mpm/backups/: the user settings run in every project, so they run only scripts of your own, never
a project's .claude-mpm/hooks/ (entries an older mpm wrote that way are replaced).
It also sets Claude Code's status line: a few lines of shell that print what
\`mpm statusline\` cached (the session, the context's fill; the Stop hook's warnings then
know every model's window) without starting mpm. A status line you have, in this file or
one Claude Code reads below it (project, user), keeps running with mpm's part after it,
and uninstall puts every file back. One from a settings file git tracks is the
repository's: it is not copied into yours nor run inside mpm's; mpm's own goes into this
file, which Claude Code shows first. The hook commands find the scripts from any folder of
the repository Claude Code starts in, and do nothing where they are not installed.
With mpm's Claude Code plugin enabled and installed, it refuses: the plugin runs the same
hooks. It registers \`mpm mcp\` for the project in Claude Code's local scope (your own
~/.claude.json, as \`claude mcp add --scope local\` does) and approves no server by name, so
a repository's own .mcp.json server called mpm is never run for it. A settings file, scripts
or .claude folder reached through a link git tracks, or one leading out of the project, is
refused before anything is written. In a linked worktree, the main work tree's files change.
--agent codex adds mpm's SessionStart, Stop and SessionEnd hooks to Codex CLI's hooks file
($CODEX_HOME/hooks.json, or .codex/hooks.json with --scope project) after your own, and one
marked block at the end of $CODEX_HOME/config.toml that trusts exactly those hooks (Codex
skips a hook it does not trust, without a word) and registers mpm mcp ([mcp_servers.mpm]);
uninstall --agent codex takes both away byte for byte.
--agent gemini adds mpm's SessionStart, AfterAgent and SessionEnd hooks (timeouts in ms)
and mpm mcp (mcpServers.mpm) to Gemini CLI's ~/.gemini/settings.json, after your own, and
uninstall --agent gemini takes them away byte for byte. Keep the default, the user scope:
Gemini runs a project's hooks (--scope project, .gemini/settings.json) in every clone of the
repository someone trusts, and trusts them itself, so they would run for every teammate.
Without --agent, it also names Codex CLI and Gemini CLI where they are here (their folder,
or the program on PATH; neither is run) and mpm's hooks are not in them yet, one line each
with the command for it.`,
      flags: [
        scopeFlag,
        agentFlag,
        dryRunFlag,
        { name: "force", description: "Replace scripts you edited (they are backed up first)." },
        {
          name: "statusline",
          negatable: true,
          description:
            "Add mpm's part to Claude Code's status line (the default; after yours if you have one).",
          negated: "Leave the status line as it is.",
        },
        {
          name: "with-plugin",
          description:
            "Install even though mpm's Claude Code plugin is on (every event then runs twice).",
        },
        { name: "json", description: "Print what was done (or would be) as JSON." },
      ],
      examples: [
        "mpm hooks install",
        "mpm hooks install --scope user --dry-run",
        "mpm hooks install --no-statusline",
      ],
      run: install,
    },
    {
      name: "uninstall",
      summary: "Remove mpm's entries from Claude Code's settings (and the unedited scripts).",
      json: `- \`mpm hooks uninstall --json\`:
  \`{"scope", "dry_run", "settings": {"shown", "changed", "backup", "removed"}, "status_line",
  "diff"?, "scripts": {"removed", "kept", "foreign", "still_wired_in"}}\`
  (\`status_line\`: \`removed\`, \`restored\` or \`none\`; \`settings.removed\`: the file install had created,
  left holding nothing, was removed; \`kept\`: scripts you edited; \`foreign\`: scripts no install of
  this machine's wrote, left where they are).`,
      details: `Removes exactly mpm's hook entries from the chosen settings file (a matcher block
or event only when nothing else is left in it), and mpm's status line (a status line of
your own comes back as it was). The scripts are removed too once no settings file runs
them; a script you edited stays.`,
      more: `A settings file that install created goes when nothing
else is left in it, and so does its folder when install made it and it is empty; so do the
scripts' folders install made (~/.claude/mpm/ for --scope user), once empty. mpm's MCP
server goes from ~/.claude.json, with exactly what install added there, once neither the local
nor the project settings run mpm's hooks.`,
      flags: [scopeFlag, agentFlag, dryRunFlag, {
        name: "json",
        description: "Print what was done (or would be) as JSON.",
      }],
      run: uninstall,
    },
  ],
};
