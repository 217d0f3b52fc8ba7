/** What `mpm doctor` finds of the Claude Code skills in each scope. Read-only. */
import { hasUserConfig } from "../../claude/settings/config/config_dir.ts";
import { shownPath } from "../../hooks/install/settings/settings_file.ts";
import { VERSION } from "../../kernel/version.ts";
import { SHIPPED_SKILLS } from "../../skills/assets.ts";
import { readSkillsFolder, SKILL_SCOPES, skillsDir } from "../../skills/store.ts";
import type { SkillsFacts } from "../judges/judge_skills.ts";

export async function probeSkills(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string>>,
): Promise<SkillsFacts[]> {
  // Without a home folder (and no CLAUDE_CONFIG_DIR) there is no user skills folder to read.
  const scopes = hasUserConfig(home, vars)
    ? SKILL_SCOPES
    : SKILL_SCOPES.filter((scope) => scope !== "user");
  return await Promise.all(scopes.map(async (scope): Promise<SkillsFacts> => {
    const dir = skillsDir(scope, root, home, vars);
    const folder = await readSkillsFolder(dir, SHIPPED_SKILLS, VERSION);
    return { scope, shown: shownPath(dir, root, home), skills: folder.statuses };
  }));
}
