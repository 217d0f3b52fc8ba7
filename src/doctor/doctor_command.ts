/** `mpm doctor`: is this install and this project's `.claude-mpm/` in good order? Changes nothing. */
import {
  filterEventsForVersion,
  MPM_HOOK_ENTRIES,
  parseClaudeVersion,
} from "../claude/hook_entries.ts";
import {
  type Check,
  type DoctorReport,
  isHealthy,
  permissionChecks,
  renderDoctor,
} from "./judge.ts";
import { type ClaudeProbe, probeClaude } from "../claude/claude_version.ts";
import { hookChecks } from "./judge_hooks.ts";
import { skillChecks } from "./judge_skills.ts";
import { probeSkills } from "./probe_skills.ts";
import { style } from "../kernel/style.ts";
import { findGitRoot } from "../git/root.ts";
import { gitVersion } from "../git/run.ts";
import { checkState, scanTree, verifyStore } from "./probe.ts";
import { probeScripts, probeSettings } from "./probe_hooks.ts";
import { stashChecks } from "./probe_stash.ts";
import { readScriptStates } from "../hooks/install/store.ts";
import { locateProject, projectPaths } from "../disk/paths.ts";
import { linkedStoreTarget } from "../disk/atomic.ts";
import { leftoverCheck, linkedStoreCheck, secretNameCheck } from "./judge_safety.ts";
import { garbageTempFiles } from "./probe_safety.ts";
import { versionLine } from "../kernel/version.ts";
import { buildInfo } from "../cli/build_info.ts";
import { boolFlag, type Command, type Parsed, type Result } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";

const IS_WINDOWS = Deno.build.os === "windows";

export async function runDoctor(env: Env, parsed: Parsed): Promise<Result> {
  // A `.claude-mpm` linking out of the project is reported, and nothing is read through it.
  const root = await locateProject(env.cwd);
  const linked = await linkedStoreTarget(root);
  const paths = projectPaths(root);
  const home = homeDir(env);
  const [inGit, tree, git, claude, settings, scripts, skills] = await Promise.all([
    findGitRoot(env.cwd).then((found) => found !== undefined),
    linked === undefined ? scanTree(paths.base) : undefined,
    gitVersion(),
    probeClaude(env.vars),
    probeSettings(root, home, env.vars),
    (linked === undefined ? readScriptStates(paths) : Promise.resolve([])).then(probeScripts),
    probeSkills(root, home, env.vars),
  ]);
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
      message: `Project root: ${root} (${inGit ? "a git repository" : "not in git"}).`,
    },
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
    checks.push(...permissionChecks(IS_WINDOWS ? tree.filter((n) => n.kind === "symlink") : tree));
    const store = await verifyStore(paths);
    checks.push(...store.checks, await checkState(paths));
    const leftovers = leftoverCheck(await garbageTempFiles(paths.base, env.now()));
    const secrets = secretNameCheck(store.snapshots);
    for (const check of [leftovers, secrets]) if (check) checks.push(check);
  }
  // Work mpm stashed that no frame names matters even before anything else is stored.
  if (linked === undefined) checks.push(...(await stashChecks(paths)));
  const claudeVersion = claude.output ? parseClaudeVersion(claude.output) : null;
  checks.push(
    ...hookChecks(scripts, settings, filterEventsForVersion(MPM_HOOK_ENTRIES, claudeVersion)),
    ...skillChecks(skills),
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

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Check mpm's install, this project's stored files, permissions and hooks.",
  details: `Reports mpm's version and where it runs from, the project root, the permissions
under .claude-mpm/ (folders 0700, files 0600), every stored file against its
checksum, state.json, the Claude Code hooks and whether a settings file runs them,
mpm's Claude Code skills (installed, edited, or stale against this mpm), and the
versions of Claude Code and git. It changes nothing: each problem comes
with the command that fixes it. Exit 0 when all is well, 1 when something is not.`,
  flags: [{ name: "json", description: "Print the report as JSON." }],
  examples: ["mpm doctor", "mpm doctor --json"],
  run: runDoctor,
};
