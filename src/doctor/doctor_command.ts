/**
 * `mpm doctor`: whether this install and `.claude-mpm/` are in good order. Changes nothing (its
 * write probes remove themselves); --fix brings the vault up to date first.
 */
import {
  filterEventsForVersion,
  MPM_HOOK_COMMANDS,
  MPM_HOOK_ENTRIES,
  parseClaudeVersion,
} from "../claude/settings/hooks/hook_entries.ts";
import { hasUserConfig, managedSettingsPath } from "../claude/settings/config/config_dir.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import { probeMpmForHooks } from "./probes/probe_mpm.ts";
import { probeMcp } from "./probes/probe_mcp.ts";
import { codexDoctorChecks } from "./agents/probe_codex.ts";
import { geminiDoctorChecks } from "./agents/probe_gemini.ts";
import { registryProject } from "../hooks/install/mcp_entry.ts";
import { claudeJsonPath } from "../claude/settings/mcp/claude_json.ts";
import {
  claudeCodeEnv,
  probeFolders,
  probeHooks,
  probeStatusLine,
  probeTimeout,
  settingsEnv,
} from "./probes/probe_wired.ts";
import {
  type KnownCommand,
  statusLineRunCheck,
  wiredChecks,
  wiredCommands,
} from "./judges/judge_wired.ts";
import { dirname } from "../kernel/path.ts";
import {
  mpmFoundCheck,
  statusLineCheck,
  type StatusLineSource,
  statusLineToRun,
} from "./judges/judge_status_line.ts";
import { type ScopeScripts, scopeScripts } from "../hooks/install/scope_scripts.ts";
import { repositoryFile, shownPath } from "../hooks/install/settings/settings_file.ts";
import {
  type Check,
  type DoctorReport,
  isHealthy,
  modeFixes,
  modesFixCheck,
  permissionChecks,
  renderDoctor,
} from "./judges/judge.ts";
import { type ClaudeProbe, probeClaude } from "../claude/settings/program/claude_version.ts";
import { hookChecks, type ScriptFacts, type SettingsFacts } from "./judges/judge_hooks.ts";
import { skillChecks } from "./judges/judge_skills.ts";
import { installedHooksInUse, pluginChecks } from "./judges/judge_plugin.ts";
import { readMpmPlugin } from "../claude/settings/plugins/plugins.ts";
import { probeSkills } from "./probes/probe_skills.ts";
import { style } from "../kernel/format/style.ts";
import { findGitRoot } from "../git/run/root.ts";
import { gitVersion } from "../git/run/run.ts";
import { checkState, scanTree, verifyStore } from "./probes/probe.ts";
import { probeScripts, probeSettings, settingsFiles } from "./probes/probe_hooks.ts";
import { stashChecks } from "./probes/probe_stash.ts";
import { probeVault } from "./probes/probe_vault.ts";
import { inspectIndex } from "../index/db.ts";
import { indexCheck } from "./judges/judge_index.ts";
import { probeWritable } from "./probes/probe_writable.ts";
import { writableChecks } from "./judges/judge_writable.ts";
import { probeKey } from "./probes/probe_key.ts";
import { keyCheck } from "./judges/judge_key.ts";
import { vaultChecks, vaultFixCheck } from "./judges/judge_vault.ts";
import { projectScriptHome, readScriptStates } from "../hooks/install/store.ts";
import { locateProject, mainWorktreeOf, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { linkedStoreTarget } from "../disk/files/confine/confine.ts";
import { setModeOf } from "../disk/files/entries.ts";
import { leftoverCheck, linkedStoreCheck, secretNameCheck } from "./judges/judge_safety.ts";
import { garbageTempFiles } from "./probes/probe_safety.ts";
import { versionLine } from "../kernel/version.ts";
import { buildInfo } from "../cli/build_info.ts";
import { boolFlag, type Declared, type Parsed, type Result } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { withProgress } from "../cli/progress.ts";
import { json, text } from "../cli/output.ts";
import { readStatusLineCache } from "../sessions/store/caches/statusline_cache.ts";
import { pushAll } from "../kernel/lists.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const HOOKS_DIR = ".claude-mpm/hooks";

export async function runDoctor(env: Env, parsed: Parsed): Promise<Result> {
  // A `.claude-mpm` linking out of the project is reported, and nothing is read through it.
  const root = await locateProject(env.cwd);
  const linked = await linkedStoreTarget(root);
  const paths = projectPaths(root);
  const home = homeDir(env);
  // A linked worktree runs the main tree's local settings and scripts: look at what runs here.
  const main = await mainWorktreeOf(root);
  // --fix brings the vault up to date first (`mpm vault sync`), so what follows reports on it.
  const fixed = boolFlag(parsed, "fix") && linked === undefined
    ? await withProgress(
      env,
      "syncing the vault",
      boolFlag(parsed, "json"),
      async () =>
        (await import("../vault/copy/copy.ts")).syncVaultFully(paths, {
          now: env.now(),
          home,
          vars: env.vars,
        }),
    )
    : null;
  // The user settings run only the user's own scripts (hooks/install/scope_scripts.ts).
  const user = scopeScripts("user", paths, home, env.vars);
  const [inGit, scanned, git, claude, settings, scripts, userScripts, skills] = await Promise.all([
    findGitRoot(env.cwd).then((found) => found !== undefined),
    linked === undefined ? scanTree(paths.base) : undefined,
    gitVersion(),
    probeClaude(env.vars),
    probeSettings(root, home, env.vars, main),
    (linked === undefined ? projectScripts(paths, main) : Promise.resolve([])).then(probeScripts),
    (hasUserConfig(home, env.vars) ? readScriptStates(user.home) : Promise.resolve([]))
      .then(probeScripts),
    probeSkills(root, home, env.vars),
  ]);
  // --fix sets the modes under .claude-mpm/ back before they are judged, never through a link.
  let tree = scanned;
  let modesFixed: { set: number; left: number } | undefined;
  if (boolFlag(parsed, "fix") && scanned !== undefined && !IS_WINDOWS) {
    const fixes = modeFixes(scanned);
    if (fixes.length > 0) {
      let set = 0;
      for (const fix of fixes) {
        if (await setModeOf(fix.path, fix.kind, fix.mode).catch(() => false)) set++;
      }
      modesFixed = { set, left: fixes.length - set };
      tree = await scanTree(paths.base);
    }
  }
  const info = buildInfo();
  const checks: Check[] = [
    {
      id: "mpm",
      status: "ok",
      message: `${versionLine(info)}, running from ${env.execPath} (${env.mainModule}).`,
    },
    {
      id: "project",
      status: "ok",
      message: `Project root: ${root} (${
        main ? `a git worktree of ${main}` : inGit ? "a git repository" : "not in git"
      }).`,
    },
    keyCheck(await probeKey()),
  ];
  if (linked !== undefined) checks.push(linkedStoreCheck(paths.base, linked));
  else if (tree === undefined) {
    checks.push({
      id: "store",
      status: "info",
      message: "No .claude-mpm/ folder yet: nothing is stored in this project.",
      fix: 'mpm pause -s "what you are doing"',
    });
  } else {
    if (IS_WINDOWS) {
      checks.push({
        id: "permissions",
        status: "info",
        message: "Permissions: not checked on Windows.",
      });
    }
    if (modesFixed) checks.push(modesFixCheck(modesFixed.set, modesFixed.left));
    pushAll(checks, permissionChecks(IS_WINDOWS ? tree.filter((n) => n.kind === "symlink") : tree));
    // Before the store is read: the probe changes folder times a listing's index is kept by.
    pushAll(checks, writableChecks(await probeWritable(paths, tree)));
    const store = await verifyStore(paths);
    pushAll(checks, [...store.checks, await checkState(paths)]);
    if (fixed) checks.push(vaultFixCheck(fixed));
    const vault = await probeVault(paths, home, env.vars, env.now());
    if (vault) pushAll(checks, vaultChecks(vault));
    const index = await inspectIndex(paths);
    if (vault || index.state !== "none") checks.push(indexCheck(index));
    const leftovers = leftoverCheck(await garbageTempFiles(paths.base, env.now()));
    const secrets = secretNameCheck(store.snapshots);
    for (const check of [leftovers, secrets]) if (check) checks.push(check);
  }
  // Work mpm stashed that no frame names matters even before anything else is stored.
  if (linked === undefined) pushAll(checks, await stashChecks(paths));
  const claudeVersion = claude.output ? parseClaudeVersion(claude.output) : null;
  const sources = await statusLineSources(root, home, env.vars, main);
  // The person's settings' env only: a committed one (MPM_BIN, PATH) would choose what runs.
  const claudeEnv = claudeCodeEnv(
    env.vars,
    sources.map((source) => source.repository ? undefined : source.text),
  );
  pushAll(checks, repositoryEnvChecks(sources));
  // mpm's plugin, when it runs the hooks, is the whole story unless hooks are installed too.
  const plugin = await readMpmPlugin(root, home, env.vars, (p) => shownPath(p, root, home));
  const viaPlugin = plugin?.installed === true && !installedHooksInUse(scripts, settings);
  const userShown = shownPath(user.home.dir, root, home);
  // The folder the scripts were read in, as shown: `.claude-mpm/hooks`, or the main tree's.
  const scriptsShown = scripts[0] ? shownPath(dirname(scripts[0].path), root, home) : HOOKS_DIR;
  const probed = IS_WINDOWS ? undefined : await probeWired(
    root,
    env.cwd,
    claudeEnv,
    probeTimeout(env.vars),
    viaPlugin ? [] : wiredCommands(settings, [
      ...knownCommands(MPM_HOOK_ENTRIES, scripts, scriptsShown),
      ...knownCommands(user.entries, userScripts, userShown),
    ]),
    sources,
    linked === undefined ? paths.base : undefined,
    main,
  );
  const hookRuns = probed?.hooks ?? [];
  // Where the hooks ran, what they found of mpm is told by their runs.
  const lostByRuns = hookRuns.some((check) => check.id === "mpm-path");
  checks.push(
    ...pluginChecks(plugin, settings),
    ...(viaPlugin ? [] : hookChecks(
      scripts,
      settings,
      filterEventsForVersion(MPM_HOOK_ENTRIES, claudeVersion),
      scriptsShown,
    )),
    ...hookRuns,
    ...userHookChecks(
      userScripts,
      settings,
      user,
      claudeVersion,
      userShown,
    ),
    ...(plugin?.installed ? pluginSkills(skillChecks(skills), plugin.id) : skillChecks(skills)),
    ...[
      statusLineCheck(sources),
      probed?.statusLine,
      mpmFoundCheck(
        !viaPlugin && !lostByRuns &&
          settings.some((file) =>
            file.hooks.some((h) =>
              MPM_HOOK_COMMANDS.includes(h.command) || user.commands.includes(h.command)
            )
          ),
        await probeMpmForHooks(claudeEnv, home),
      ),
    ].filter((check) => check !== undefined),
    claudeCheck(claude),
    git === null
      ? {
        id: "git",
        status: "warn",
        message: "git is not on PATH: mpm works, but records no git context and cannot sync.",
        fix: "Install git (https://git-scm.com) and put it on PATH.",
      }
      : { id: "git", status: "ok", message: `${git.replace(/^git version/, "git")}.` },
  );
  // `mpm mcp` as install registers it, started by the mpm the hooks find.
  const hooksHere = !plugin?.installed &&
    scripts.some((s) => s.installed && s.state !== undefined && s.state !== "foreign");
  const registryFile = hasUserConfig(home, env.vars) ? claudeJsonPath(home ?? "", env.vars) : "";
  checks.push(
    ...await probeMcp(
      root,
      registryFile === "" ? undefined : {
        file: registryFile,
        shown: shownPath(registryFile, root, home),
        project: await registryProject(main ?? root),
      },
      plugin?.installed ? plugin.id : undefined,
      await probeMpmForHooks(claudeEnv, home),
      claudeEnv,
      hooksHere,
    ),
  );
  // Codex CLI and Gemini CLI, where here: the hooks they would skip, versions, MCP servers.
  checks.push(...await codexDoctorChecks(main ?? root, home, env.vars));
  checks.push(...await geminiDoctorChecks(main ?? root, home, env.vars));
  const report: DoctorReport = {
    ok: isHealthy(checks),
    version: info,
    executable: { path: env.execPath, main_module: env.mainModule },
    project_root: root,
    checks,
  };
  const exitCode = report.ok ? 0 : 1;
  if (boolFlag(parsed, "json")) return json(report, exitCode);
  return text(renderDoctor(report, style(env.color)), exitCode);
}

/** The project's scripts, else a linked worktree's main tree's. */
async function projectScripts(paths: ProjectPaths, main: string | undefined) {
  const own = await readScriptStates(projectScriptHome(paths));
  if (main === undefined || own.some((s) => s.state !== "missing")) return own;
  return await readScriptStates(projectScriptHome(projectPaths(main)));
}

/** mpm's commands for `scripts` (in `dir`, as shown), runnable where the script is mpm's own. */
function knownCommands(
  entries: readonly { command: string; script: string }[],
  scripts: readonly ScriptFacts[],
  dir: string,
): KnownCommand[] {
  return entries.map(({ command, script }) => {
    const facts = scripts.find((s) => s.script === script);
    return {
      command,
      script: `${dir}/${script}.sh`,
      // Only mpm's own code runs: this mpm's or an earlier one's, never an edited or foreign one.
      runnable: facts?.installed === true && facts.executable &&
        (facts.state === "current" || facts.state === "outdated"),
    };
  });
}

/** The wired hook commands and status line, run from the root and a subfolder. */
async function probeWired(
  root: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  wired: ReturnType<typeof wiredCommands>,
  sources: readonly StatusLineSource[],
  store: string | undefined,
  main: string | undefined,
): Promise<{ hooks: Check[]; statusLine?: Check }> {
  // The status line, when mpm's part is in it and nothing is the repository's.
  const shown = statusLineToRun(sources);
  const line = shown?.command;
  if (wired.length === 0 && line === undefined) return { hooks: [] };
  const folders = await probeFolders(root, cwd, main ? "this worktree's root" : undefined);
  const [hookRuns, lineRuns, cache] = await Promise.all([
    probeHooks(wired, folders, env, timeoutMs),
    line === undefined ? [] : probeStatusLine(line, folders, env, timeoutMs),
    store === undefined ? undefined : readStatusLineCache(store).catch(() => undefined),
  ]);
  const cached = cache?.split("\n")[0] || undefined;
  return {
    hooks: wiredChecks(hookRuns, timeoutMs, main),
    statusLine: shown && statusLineRunCheck(lineRuns, shown.shown, cached, timeoutMs),
  };
}

/** The skills the plugin brings count as installed: "not installed" would be untrue. */
function pluginSkills(checks: Check[], id: string): Check[] {
  return checks.map((check) =>
    check.id === "skills" && check.status === "info"
      ? {
        id: "skills",
        status: "ok",
        message: `Claude Code skills (/mpm-pause, /mpm-resume…): from mpm's plugin (${id}).`,
      }
      : check
  );
}

/** The status line's settings, highest first, each with whether git tracks it. */
async function statusLineSources(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
  main: string | undefined,
): Promise<StatusLineSource[]> {
  const managed = vars.MPM_MANAGED_SETTINGS ?? managedSettingsPath();
  const paths = [
    ...(managed ? [managed] : []),
    ...(await settingsFiles(root, home, vars, main)).map((file) => file.path),
  ];
  return await Promise.all(paths.map(async (path) => ({
    shown: shownPath(path, root, home),
    text: await readTextIfExists(path).catch(() => undefined),
    repository: await repositoryFile(root, path) ||
      (main !== undefined && await repositoryFile(main, path)),
  })));
}

/** A note per tracked settings file whose `env` doctor's runs left out (Claude Code applies it). */
function repositoryEnvChecks(sources: readonly StatusLineSource[]): Check[] {
  return sources.flatMap((source) => {
    const names = source.repository ? Object.keys(settingsEnv(source.text)) : [];
    if (names.length === 0) return [];
    const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? ", …" : "");
    return [{
      id: "repository-env",
      status: "info" as const,
      message: `The env of ${source.shown} (git tracks it: the repository's) is left out of ` +
        `doctor's runs of the hooks and status line: ${shown}. Claude Code applies it.`,
    }];
  });
}

/** The user's own scripts against the user settings, once either holds something of mpm's. */
function userHookChecks(
  scripts: ScriptFacts[],
  settings: SettingsFacts[],
  user: ScopeScripts,
  claudeVersion: string | null,
  shown: string,
): Check[] {
  const own = settings.filter((file) => file.scope === "user");
  const commands = new Set(user.entries.map((e) => e.command));
  const wired = own.some((file) => file.hooks.some((h) => commands.has(h.command)));
  if (!wired && !scripts.some((s) => s.installed)) return [];
  return hookChecks(scripts, own, filterEventsForVersion(user.entries, claudeVersion), shown);
}

function claudeCheck(claude: ClaudeProbe): Check {
  if (claude.path === undefined) {
    return {
      id: "claude",
      status: "info",
      message: "Claude Code is not on PATH (mpm needs it only for the hooks).",
    };
  }
  if (claude.error !== undefined) {
    return {
      id: "claude",
      status: "warn",
      message: `Claude Code at ${claude.path}: ${claude.error}.`,
      fix: "Run `claude --version` yourself to see what is wrong.",
    };
  }
  return { id: "claude", status: "ok", message: `Claude Code ${claude.output} at ${claude.path}.` };
}

export const doctorCommand: Declared = {
  json:
    `- \`mpm doctor --json\`: \`{"ok", "version", "executable", "project_root", "checks"}\`. \`version\` is
  \`{"version", "build", "target", "deno"}\`, \`executable\` \`{"path", "main_module"}\`, and \`checks\`
  \`[{"id", "status", "message", "fix"?}]\`, \`status\` being \`ok\`, \`warn\`, \`fail\` or \`info\` and ids
  \`mpm\`, \`project\`, \`machine-key\` (this machine's key: \`fail\` when there is none and it cannot be
  made, so nothing is sealed as yours; \`warn\` when it lies in a git work tree with no \`.gitignore\`
  beside it; \`info\` when the first command that seals has yet to make it), \`store\`, \`layout\` (a file
  where mpm keeps a folder; a FIFO, socket or device anywhere), \`permissions\`, \`writable\` (a store
  folder where a file cannot be made and removed: a read-only mount, an immutable flag, another
  owner), \`symlinks\`, \`checksums\` (snapshots, checkpoints and Claude's handoffs), \`legacy\`, \`state\`,
  \`leftovers\` (temp files of interrupted writes), \`secrets\` (snapshots whose branch, upstream,
  project path or file paths look like a secret: stored as they are, never pushed), \`orphan-stash\`
  (a stash mpm made that no stack frame names; \`fix\` is the command that restores it), \`stack\` (an
  interrupted \`mpm branch\` or \`mpm return\` on top of the stack; \`fix\` is \`mpm return\`), \`settings\`
  (a settings file Claude Code cannot parse: \`fail\` when what can be read of it holds mpm's hooks or
  status line, which then do not run, else \`warn\`), \`hooks\` (a teammate's clone, whose committed
  settings wire mpm's hooks with none installed here, is one \`warn\` with the fix
  \`mpm hooks install\`), \`mcp\`, \`skills\`, \`claude\`, \`git\`, and \`vault\`: a copy that fails its
  checksums (\`fail\`), transcripts the hooks saw that the vault does not wholly hold, with the days
  before Claude Code's cleanup deletes the oldest (\`cleanupPeriodDays\` of the user's settings,
  default 30, by the file's modification time; \`warn\`, \`fix\` \`mpm vault sync\`), transcripts deleted
  before they could be copied (\`info\`), else one \`ok\` line. \`mpm doctor --fix\` first does what
  \`mpm vault sync\` does (\`vault-fix\` says what), then sets the modes under \`.claude-mpm/\` back
  (\`permissions-fix\`: through no link, nothing else touched). Exit 1 when any check is \`fail\`.`,
  details: `Reports mpm's version and where it runs from, the project root, this machine's key
(which seals what is yours), the permissions under .claude-mpm/ (folders 0700, files 0600),
whether its folders can be written, every stored file against its checksum, state.json, the
hooks and whether a settings file runs them, mpm's skills, the transcript vault, and the
versions of Claude Code and git. Each problem comes with the command that fixes it; only
--fix changes anything. Exit 0 when all is well, 1 when something is not.`,
  more: `In detail: whether its folders can be written (a file is made and removed in each); every
stored file (snapshots, checkpoints, Claude's handoffs) against its checksum; each wired hook
command and the status line run as Claude Code runs them (from the root and a subfolder, with
the settings' env, on an event no hook serves: nothing changes; never a status line from a
settings file git tracks, the repository's); mpm's Claude Code skills (installed, edited, or
stale against this mpm); the transcript vault (copies that fail their checksums; transcripts it
does not hold yet, with the days Claude Code's cleanup leaves them).`,
  flags: [
    {
      name: "fix",
      description:
        "First bring the transcript vault up to date (what `mpm vault sync` does) and set the modes under .claude-mpm/ back to 0700 and 0600.",
    },
    { name: "json", description: "Print the report as JSON." },
  ],
  examples: ["mpm doctor", "mpm doctor --json", "mpm doctor --fix"],
  run: runDoctor,
};
