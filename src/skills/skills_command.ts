/** `mpm skills list | show NAME | install | uninstall`: mpm's commands as Claude Code skills. */
import { claudeConfigDir, hasUserConfig } from "../claude/settings/config/config_dir.ts";
import { refuseBorrowedPath, shownPath } from "../hooks/install/settings/settings_file.ts";
import {
  createdByInstall,
  noteCreated,
  readInstallRecord,
} from "../hooks/install/settings/install_record.ts";
import { projectScriptHome, type ScriptHome, userScriptHome } from "../hooks/install/store.ts";
import { dirname, join } from "../kernel/path.ts";
import { UsageError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { VERSION } from "../kernel/version.ts";
import { findProjectRoot, projectPaths } from "../disk/paths.ts";
import { lstatIfExists } from "../disk/read/stat.ts";
import { boolFlag, choiceFlag, type Declared, type Parsed, stringFlag } from "../cli/command.ts";
import { type Env, homeDir } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { SHIPPED_SKILLS, shippedSkill, shortDescription } from "./assets.ts";
import {
  type MadeFolder,
  planChanges,
  planInstall,
  plannedFiles,
  planUninstall,
  type SkillsPlan,
} from "./plan.ts";
import { renderSkillsList, renderSkillsReport } from "./report.ts";
import {
  applySkillsPlan,
  missingFolders,
  readSkillsFolder,
  SKILL_SCOPES,
  type SkillScope,
  skillsDir,
} from "./store.ts";

function scopeOf(parsed: Parsed): SkillScope {
  return choiceFlag(parsed, "scope", SKILL_SCOPES, "project", SCOPE_HINT);
}

const SCOPE_HINT =
  "project: .claude/skills in this project; user: ~/.claude/skills, for every project.";

interface Target {
  scope: SkillScope;
  root: string;
  dir: string;
  /** The folder as shown to the user. */
  shown: string;
}

async function target(env: Env, scope: SkillScope): Promise<Target> {
  const root = await findProjectRoot(env.cwd);
  const dir = skillsDir(scope, root, homeDir(env), env.vars);
  return { scope, root, dir, shown: shownPath(dir, root, homeDir(env)) };
}

/** Nothing through a committed or outward link: every file is checked before the first write. */
async function refuseBorrowedFiles(env: Env, where: Target, files: readonly string[]) {
  const user = where.scope === "user";
  const confines = {
    inside: user ? claudeConfigDir(homeDir(env) ?? where.root, env.vars) : where.root,
    project: where.root,
    ownLinks: user,
    show: (path: string) => shownPath(path, where.root, homeDir(env)),
  };
  for (const file of files) await refuseBorrowedPath(join(where.dir, file), confines);
}

/** The hooks' scripts folder for the same Claude folder (its record says who made that folder). */
function hooksHome(env: Env, where: Target): ScriptHome {
  return where.scope === "user"
    ? userScriptHome(claudeConfigDir(homeDir(env) ?? where.root, env.vars))
    : projectScriptHome(projectPaths(where.root));
}

/** The folders an install makes, with the Claude folder when the hooks made it. */
async function madeFolders(env: Env, where: Target): Promise<MadeFolder[]> {
  const missing = await missingFolders(where.dir);
  const claude = dirname(where.dir);
  if (!missing.includes("claude") && await createdByInstall(hooksHome(env, where).dir, claude)) {
    missing.push("claude");
  }
  return missing;
}

/** After an uninstall, a Claude folder still holding the hooks' files is handed to their record. */
async function keepClaudeFolder(env: Env, where: Target, plan: SkillsPlan): Promise<void> {
  const claude = dirname(where.dir);
  if (!plan.folders.includes("claude") || !(await lstatIfExists(claude))?.isDirectory) return;
  const hooks = hooksHome(env, where);
  if (Object.keys((await readInstallRecord(hooks.dir)).scripts).length === 0) return;
  await noteCreated(hooks.dir, [claude], hooks.root);
}

/** Plans, then (unless --dry-run) carries out; prints the same report either way. */
async function change(env: Env, parsed: Parsed, verb: "install" | "uninstall") {
  const where = await target(env, scopeOf(parsed));
  const dryRun = boolFlag(parsed, "dry-run") ?? false;
  const folder = await readSkillsFolder(where.dir, SHIPPED_SKILLS, VERSION);
  const plan: SkillsPlan = verb === "install"
    ? planInstall(SHIPPED_SKILLS, folder.statuses, folder.manifest, {
      force: boolFlag(parsed, "force") ?? false,
      now: env.now(),
      version: VERSION,
      missing: await madeFolders(env, where),
    })
    : planUninstall(folder.statuses, folder.manifest, VERSION);
  const changed = planChanges(plan, folder.manifestText);
  // A dry run refuses as the real run would.
  await refuseBorrowedFiles(env, where, plannedFiles(plan, folder.manifestText));
  const backups = !dryRun && changed
    ? (await applySkillsPlan(where.dir, plan, SHIPPED_SKILLS, env.now())).backups
    : {};
  if (!dryRun && changed) await keepClaudeFolder(env, where, plan);
  const steps = plan.steps.map((step) => ({
    ...step,
    ...(shippedSkill(step.name)?.aliasOf ? { aliasOf: shippedSkill(step.name)!.aliasOf } : {}),
    ...(backups[step.name]
      ? { backup: shownPath(backups[step.name], where.root, homeDir(env)) }
      : {}),
  }));
  if (boolFlag(parsed, "json")) {
    return json({
      scope: where.scope,
      dir: where.dir,
      dry_run: dryRun,
      changed,
      skills: steps.map(({ name, state, action, backup }) => ({
        name,
        state,
        action,
        ...(backup ? { backup } : {}),
      })),
    });
  }
  return text(renderSkillsReport({
    verb,
    scope: where.scope,
    dir: where.shown,
    dryRun,
    steps,
  }, style(env.color)));
}

async function list(env: Env, parsed: Parsed) {
  const given = stringFlag(parsed, "scope");
  const scopes = given === undefined ? [...SKILL_SCOPES] : [scopeOf(parsed)];
  const home = homeDir(env);
  const listings = [];
  for (const scope of scopes) {
    // Without a home folder there is no user scope to list.
    if (scope === "user" && !hasUserConfig(home, env.vars)) continue;
    const where = await target(env, scope);
    const folder = await readSkillsFolder(where.dir, SHIPPED_SKILLS, VERSION);
    listings.push({
      scope,
      dir: where.shown,
      path: where.dir,
      skills: folder.statuses.map(({ name, state }) => ({ name, state })),
    });
  }
  if (boolFlag(parsed, "json")) {
    return json({
      skills: SHIPPED_SKILLS.map((skill) => ({
        name: skill.name,
        description: shortDescription(skill.text),
        ...(skill.aliasOf ? { alias_of: skill.aliasOf } : {}),
      })),
      scopes: listings.map(({ scope, path, skills }) => ({ scope, dir: path, skills })),
    });
  }
  const descriptions = Object.fromEntries(
    SHIPPED_SKILLS.map((skill) => [
      skill.name,
      skill.aliasOf ? `Same as /${skill.aliasOf}.` : shortDescription(skill.text),
    ]),
  );
  return text(renderSkillsList(listings, descriptions, style(env.color)));
}

const scopeFlag = {
  name: "scope",
  value: "SCOPE",
  description:
    "project (.claude/skills in this project, default) or user (~/.claude/skills, or $CLAUDE_CONFIG_DIR/skills).",
  complete: [...SKILL_SCOPES],
};
const dryRunFlag = { name: "dry-run", description: "Show what would change; write nothing." };
const jsonFlag = { name: "json", description: "Print the result as JSON." };

export const skillsCommand: Declared = {
  details: `The skills: /mpm-pause (Claude writes the summary, accomplishments, next steps and
todos, and hands them to mpm pause), /mpm-resume, /mpm-handoff [focus] (Claude writes a handoff
that the next conversation starts from after /clear), /mpm-checkpoint NAME, /mpm-branch NAME
[task], /mpm-return, /mpm-status, and claude-mpm's names /mpm-session-pause and
/mpm-session-resume.
\`mpm plugin export DIR\` packs the same skills with the hooks as a Claude Code plugin.`,
  subcommands: [
    {
      name: "list",
      summary: "The skills mpm ships, and which are installed in each scope.",
      flags: [{ ...scopeFlag, description: "Only this scope (default: both)." }, jsonFlag],
      run: list,
    },
    {
      name: "show",
      summary: "Print a shipped skill's SKILL.md.",
      args: [{
        name: "NAME",
        description: "mpm-pause, mpm-resume, … (mpm skills list).",
        complete: SHIPPED_SKILLS.map((skill) => skill.name),
      }],
      run: (_env, parsed) => {
        const name = parsed.args[0].replace(/^\//, "");
        const skill = shippedSkill(name);
        if (skill === undefined) {
          throw new UsageError(
            `There is no skill named ${JSON.stringify(parsed.args[0])}.`,
            `The skills: ${SHIPPED_SKILLS.map((s) => s.name).join(", ")}.`,
          );
        }
        return Promise.resolve(text(skill.text));
      },
    },
    {
      name: "install",
      summary: "Write the skills into .claude/skills/ (or ~/.claude/skills/ with --scope user).",
      json: `- \`mpm skills install --json\` and \`uninstall --json\`:
  \`{"scope", "dir", "dry_run", "changed",
  "skills"}\`, \`skills\` being
  \`[{"name", "state", "action", "backup"?}]\` with the states above and \`action\` one of \`write\`,
  \`update\`, \`unchanged\`, \`replace\`, \`remove\`, \`kept\`, \`none\`. \`mpm skills list --json\`:
  \`{"skills": [{"name", "description", "alias_of"?}], "scopes":
  [{"scope", "dir", "skills": [{"name", "state"}]}]}\`.`,
      details: `Writes each skill's SKILL.md and a manifest (.mpm-manifest.json) of what it wrote.
Running it again changes nothing; after an mpm upgrade it updates the skills an older mpm
wrote. A skill you edited, or one of the same name mpm did not write, is kept unless --force
is given (then your copy is backed up beside it as SKILL.md.<time>.bak).`,
      flags: [
        scopeFlag,
        dryRunFlag,
        { name: "force", description: "Replace skills you edited (they are backed up first)." },
        jsonFlag,
      ],
      examples: ["mpm skills install", "mpm skills install --scope user --dry-run"],
      run: (env, parsed) => change(env, parsed, "install"),
    },
    {
      name: "uninstall",
      summary: "Remove the skills mpm wrote; a skill you edited stays.",
      details: `Removes exactly the SKILL.md files the manifest says mpm wrote and nobody changed
since, and their folders when nothing else is in them; then the skills folder and the
.claude folder holding it, each when mpm made it and it is empty. Your own skills, and mpm's
skills you edited, are left as they are.`,
      flags: [scopeFlag, dryRunFlag, jsonFlag],
      run: (env, parsed) => change(env, parsed, "uninstall"),
    },
  ],
};
