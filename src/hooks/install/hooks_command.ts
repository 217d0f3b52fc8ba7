/** `mpm hooks list | show NAME | install | uninstall`: wiring mpm into Claude Code. */
import { claudeCodeVersion } from "../../claude/settings/program/claude_version.ts";
import {
  EVENT_MIN_VERSION,
  filterEventsForVersion,
  HOOK_SCRIPTS,
  MPM_HOOK_ENTRIES,
} from "../../claude/settings/hooks/hook_entries.ts";
import { scriptEvents, scriptNamed, SHIPPED_SCRIPTS } from "./scripts/scripts.ts";
import {
  findHookEntries,
  installHooks,
  settingsPath,
  uninstallHooks,
} from "../../claude/settings/hooks/settings.ts";
import { readSettingsFile, writeSettingsFile } from "./settings/settings_file.ts";
import {
  installStatusLine,
  statusLineCommand,
  type StatusLineKind,
  statusLineKind,
} from "../../claude/settings/status_line/status_line.ts";
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { type InstallReport, renderInstall, renderList } from "./scripts/report.ts";
import { borrowedApprovals, registerMcpServer } from "./mcp_entry.ts";
import { approvedProjectServer, approvedServerNote, claudeEntryReader } from "./approved_server.ts";
import { style } from "../../kernel/format/style.ts";
import { ensureExcluded, LOCAL_SETTINGS_LINE } from "../../git/run/exclude.ts";
import { installScripts, planScripts, projectScriptHome, readScriptStates } from "./store.ts";
import { scopeScripts } from "./scope_scripts.ts";
import { allowReadOnlyTools, noteAllowed } from "./mcp_allow.ts";
import { missingPaths, noteSettings } from "./settings/install_record.ts";
import { findProjectRoot, projectPaths } from "../../disk/paths.ts";
import { boolFlag, type Declared, type Parsed, stringFlag } from "../../cli/command.ts";
import { type Env, homeDir } from "../../cli/env.ts";
import { json, text } from "../../cli/output.ts";
import { installCodex } from "./codex_install.ts";
import { foundLines, listedLines, otherAgentsFound } from "./agents_found.ts";
import { installGemini } from "./gemini_install.ts";
import {
  agentOf,
  agentOptions,
  backupsOf,
  edited,
  openTarget,
  pluginOf,
  refuseBorrowed,
  REGISTERED,
  registryOf,
  scopeOf,
  SCOPES,
  settingsDiff,
  settingsFolderLimit,
  show,
  statusLineAbove,
  statusLinesBelow,
  theirContainers,
  worktreeLine,
} from "./settings_target.ts";
import { uninstall } from "./uninstall.ts";

async function install(env: Env, parsed: Parsed) {
  const agent = agentOf(parsed);
  if (agent === "codex") return await installCodex(env, agentOptions(parsed, "codex"));
  if (agent === "gemini") return await installGemini(env, agentOptions(parsed, "gemini"));
  const target = await openTarget(env, scopeOf(parsed));
  await refuseBorrowed(target);
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
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
  // mpm approves no server by name (mcp_entry.ts); one the person made stays.
  const pluginServes = plugin?.installed === true;
  const allowed = allowReadOnlyTools(next, target.scope, pluginServes);
  next = allowed.text;
  const plans = planScripts(await readScriptStates(target.scripts.home), force);
  const changed = next !== (target.file.text ?? "");
  // What this install makes that was not there, recorded for uninstall.
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
      added: entries.length - (before.ok ? before.found.length : 0),
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
    const { newFile, ...file } = report.settings;
    return json({
      scope: report.scope,
      scripts: report.scripts,
      dry_run: dryRun,
      hooks_dir: report.hooksDir,
      settings: { ...file, new_file: newFile },
      claude_version: version,
      left_out: report.leftOut,
      status_line: statusLine,
      status_line_from: statusLineFrom ?? null,
      status_line_hidden_by: statusLineHiddenBy ?? null,
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
  const [settings, plugin, others] = await Promise.all([
    Promise.all(SCOPES.map(async (scope) => {
      const path = settingsPath(scope, root, homeDir(env) ?? root, env.vars);
      const file = await readSettingsFile(path).catch(() => undefined);
      const { entries } = scopeScripts(scope, paths, homeDir(env), env.vars);
      const found = findHookEntries(file?.text, entries);
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
    otherAgentsFound(env),
  ]);
  if (boolFlag(parsed, "json")) {
    const pluginJson = plugin &&
      { id: plugin.id, enabled_in: plugin.enabledIn, installed: plugin.installed };
    return json({
      scripts,
      user_scripts: userScripts,
      settings,
      plugin: pluginJson,
      other_agents: others,
    });
  }
  return text(
    renderList(scripts, settings, eventCount(MPM_HOOK_ENTRIES), plugin, listedLines(others)),
  );
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

export const hooksCommand: Declared = {
  details: `The hooks: pre-session (SessionStart: the last session's context), post-session
(SessionEnd: an automatic pause), checkpoint (PreCompact: a checkpoint; Stop: context-window
warnings and resume files) and on-error (PostToolUseFailure, StopFailure: error records).
These are Claude Code's; with --agent codex or --agent gemini, install and uninstall put mpm's
hooks and its MCP server in Codex CLI's or Gemini CLI's own settings instead.`,
  subcommands: [
    {
      name: "list",
      summary: "The hooks, whether they are installed, and which settings run them.",
      json: `- \`mpm hooks list --json\`: \`{"scripts", "user_scripts", "settings", "plugin",
  "other_agents"}\`. \`scripts\` (the
  project's \`.claude-mpm/hooks/\`) and \`user_scripts\` (the user's \`~/.claude/mpm/hooks/\`) are
  \`[{"name", "path", "state", "events"}]\`, \`state\` being \`installed\`, \`outdated\`, \`edited\`,
  \`foreign\` (no install of this machine's wrote it; see "Claude Code hooks") or \`missing\` and
  \`events\` naming matchers (\`"SessionStart (startup|resume|clear|compact|fork)"\`,
  \`"SessionEnd (any other reason, in the background)"\`); \`settings\` is
  \`[{"scope", "file", "exists", "error", "events", "status_line"}]\`, \`events\` being those that run
  one of mpm's scripts in that file, each once, and \`status_line\` \`none\`, \`mpm\` (mpm's alone),
  \`wrapped\` (the person's, then mpm's), \`theirs\` or \`other\` (not a command); \`plugin\` is
  \`{"id", "enabled_in", "installed"}\` when a settings file enables mpm's plugin, else \`null\`;
  \`other_agents\` as \`mpm hooks install --json\` gives it: Codex CLI and Gemini CLI where found.`,
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
      summary: "Install the scripts in .claude-mpm/hooks/ and wire them into the agent's settings.",
      json: `- \`mpm hooks install --json\`:
  \`{"scope", "scripts", "dry_run", "hooks_dir", "settings",
  "claude_version", "left_out", "status_line", "status_line_from", "status_line_hidden_by",
  "other_agents"}\`:
  \`scripts\` \`[{"script", "action", "backup"?}]\` (\`action\`: \`write\`, \`update\`, \`unchanged\`, \`kept\`,
  \`replace\` (an edited one, with \`--force\`) or \`untrusted\` (a foreign one, moved to \`backup\`)),
  \`settings\` \`{"shown", "changed", "diff"?, "added", "events", "new_file", "backup"}\`
  (\`diff\` with \`--dry-run\`), \`left_out\` the events this Claude Code does not know,
  \`[{"event", "since"}]\`, \`status_line\` \`added\`, \`wrapped\` (the person's kept, mpm's after it),
  \`borrowed\` (the person's from the file named in \`status_line_from\`, copied here with mpm's after
  it), \`instead\` (mpm's own added: the status line below is the repository's, from the file git
  tracks named in \`status_line_from\`, and is not copied), \`replaced\` (a copy of the
  repository's status line from \`status_line_from\`, made before git tracked it, replaced by mpm's
  own), \`present\`, \`kept\` (not a command: left alone) or \`skipped\` (\`--no-statusline\`);
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
a project's .claude-mpm/hooks/.
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
      summary: "Remove mpm's entries from the agent's settings (and the unedited scripts).",
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
