/** The skills folder on disk; nothing is written or removed through a link out of it. */
import { dirname, join } from "../kernel/path.ts";
import { claudeConfigDir, hasUserConfig } from "../claude/settings/config/config_dir.ts";
import { confine } from "../disk/files/confine/confine.ts";
import { createUnique, removeFile, writeAtomic } from "../disk/files/atomic.ts";
import { lstatIfExists } from "../disk/read/stat.ts";
import { readTextIfExists } from "../disk/read/read.ts";
import { removeEntry, removeQuietly } from "../disk/files/entries.ts";
import { MpmError } from "../kernel/errors.ts";
import type { ShippedSkill } from "./assets.ts";
import {
  backupFileName,
  MADE_FOLDERS,
  type MadeFolder,
  MANIFEST_FILE,
  parseManifest,
  serializeManifest,
  SKILL_FILE,
  type SkillFacts,
  type SkillsManifest,
  type SkillsPlan,
  skillStates,
  type SkillStatus,
} from "./plan.ts";

export const SKILL_SCOPES = ["project", "user"] as const;
export type SkillScope = typeof SKILL_SCOPES[number];

/** project: `<project>/.claude/skills`; user: the skills folder of Claude Code's config folder. */
export function skillsDir(
  scope: SkillScope,
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
): string {
  if (scope === "project") return join(root, ".claude", "skills");
  if (!hasUserConfig(home, vars)) {
    throw new MpmError(
      "There is no home folder (HOME is not set), so there is no user skills folder.",
      "Set HOME, or install into the project with --scope project.",
    );
  }
  return join(claudeConfigDir(home ?? "", vars), "skills");
}

export function skillFile(dir: string, name: string): string {
  return join(dir, name, SKILL_FILE);
}

export interface SkillsFolder {
  dir: string;
  manifest: SkillsManifest;
  /** The manifest file's text as it is, to tell whether an install changes it. */
  manifestText: string | undefined;
  statuses: SkillStatus[];
}

/** What is in `dir` for each shipped skill and each one the manifest names. Read-only. */
export async function readSkillsFolder(
  dir: string,
  shipped: readonly ShippedSkill[],
  version: string,
): Promise<SkillsFolder> {
  const manifestText = await readTextIfExists(join(dir, MANIFEST_FILE)).catch(() => undefined);
  const manifest = parseManifest(manifestText, version);
  const names = [...new Set([...shipped.map((s) => s.name), ...Object.keys(manifest.skills)])];
  const facts: SkillFacts[] = await Promise.all(names.map(async (name) => ({
    name,
    text: await readSkillText(skillFile(dir, name)),
  })));
  return { dir, manifest, manifestText, statuses: skillStates(shipped, facts, manifest) };
}

/** A SKILL.md's text; a folder or unreadable entry in its place reads as foreign text. */
async function readSkillText(path: string): Promise<string | undefined> {
  try {
    return await readTextIfExists(path);
  } catch {
    // Something is there that mpm cannot read as its own: keep it, never overwrite it.
    return "";
  }
}

/** Where each folder an install may make is, for the skills folder `dir` (plan.ts MADE_FOLDERS). */
function folderPath(dir: string, folder: MadeFolder): string {
  return folder === "skills" ? dir : dirname(dir);
}

/** The folders an install into `dir` would make: those not there yet, innermost first. */
export async function missingFolders(dir: string): Promise<MadeFolder[]> {
  const missing: MadeFolder[] = [];
  for (const folder of MADE_FOLDERS) {
    if (await lstatIfExists(folderPath(dir, folder))) break;
    missing.push(folder);
  }
  return missing;
}

export interface AppliedPlan {
  /** Backups made by `--force`, by skill name. */
  backups: Record<string, string>;
}

/** Carries out a plan atomically, backing up an edited SKILL.md before `--force`, manifest last. */
export async function applySkillsPlan(
  dir: string,
  plan: SkillsPlan,
  shipped: readonly ShippedSkill[],
  now: Date,
): Promise<AppliedPlan> {
  const backups: Record<string, string> = {};
  for (const step of plan.steps) {
    const path = skillFile(dir, step.name);
    const text = shipped.find((skill) => skill.name === step.name)?.text;
    if (step.action === "replace") backups[step.name] = await backUp(dir, step.name, now);
    if (
      (step.action === "write" || step.action === "update" || step.action === "replace") && text
    ) {
      await writeAtomic(path, text, { root: dir });
    } else if (step.action === "remove") {
      await removeEntry(await confine(dir, path));
      // The folder goes too when nothing of the user's is left in it.
      await removeQuietly(join(dir, step.name));
    }
  }
  const manifestPath = join(dir, MANIFEST_FILE);
  if (plan.manifest !== null) {
    await writeAtomic(manifestPath, serializeManifest(plan.manifest), { root: dir });
  } else {
    await removeFile(manifestPath, { root: dir });
  }
  for (const folder of plan.folders) {
    const path = folderPath(dir, folder);
    // A link in its place is not the folder install made; removeQuietly takes only an empty one.
    if (!(await lstatIfExists(path))?.isDirectory || !(await removeQuietly(path))) break;
  }
  return { backups };
}

async function backUp(dir: string, name: string, now: Date): Promise<string> {
  const data = await Deno.readFile(await confine(dir, skillFile(dir, name)));
  return await createUnique(join(dir, name), (attempt) => backupFileName(now, attempt), data, dir);
}
