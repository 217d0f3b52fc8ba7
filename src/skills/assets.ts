/**
 * The Claude Code skills mpm ships, embedded by text import. claude-mpm's two aliases
 * (`/mpm-session-pause`, `/mpm-session-resume`) are derived from their skill, so they cannot drift.
 */
import branch from "../../skills/mpm-branch/SKILL.md" with { type: "text" };
import checkpoint from "../../skills/mpm-checkpoint/SKILL.md" with { type: "text" };
import handoff from "../../skills/mpm-handoff/SKILL.md" with { type: "text" };
import pause from "../../skills/mpm-pause/SKILL.md" with { type: "text" };
import resume from "../../skills/mpm-resume/SKILL.md" with { type: "text" };
import returnSkill from "../../skills/mpm-return/SKILL.md" with { type: "text" };
import status from "../../skills/mpm-status/SKILL.md" with { type: "text" };
// @ts-types="@types/js-yaml"
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";

export interface ShippedSkill {
  /** The folder name and the `/command` (`mpm-pause`). */
  name: string;
  /** The whole SKILL.md. */
  text: string;
  /** For an alias: the skill it stands for. */
  aliasOf?: string;
}

/** The alias's SKILL.md, hidden from the model so Claude is offered each skill once. */
export function aliasText(text: string, of: string, alias: string): string {
  const nameLine = `name: ${of}\n`;
  if (!text.startsWith("---\n") || !text.includes(nameLine)) {
    throw new Error(`The shipped skill ${of} has no "name: ${of}" line in its frontmatter.`);
  }
  return text
    .replace(nameLine, `name: ${alias}\n`)
    .replace(/^description: /m, `description: Same as /${of} (claude-mpm's name for it). `)
    .replace(/^user-invocable: true$/m, "user-invocable: true\ndisable-model-invocation: true");
}

const MAIN: readonly ShippedSkill[] = [
  { name: "mpm-pause", text: pause },
  { name: "mpm-resume", text: resume },
  { name: "mpm-handoff", text: handoff },
  { name: "mpm-checkpoint", text: checkpoint },
  { name: "mpm-branch", text: branch },
  { name: "mpm-return", text: returnSkill },
  { name: "mpm-status", text: status },
];

const ALIASES: readonly { alias: string; of: string }[] = [
  { alias: "mpm-session-pause", of: "mpm-pause" },
  { alias: "mpm-session-resume", of: "mpm-resume" },
];

/** Every skill this mpm installs, in the order they are listed. */
export const SHIPPED_SKILLS: readonly ShippedSkill[] = [
  ...MAIN,
  ...ALIASES.map(({ alias, of }) => ({
    name: alias,
    text: aliasText(MAIN.find((skill) => skill.name === of)!.text, of, alias),
    aliasOf: of,
  })),
];

export function shippedSkill(name: string): ShippedSkill | undefined {
  return SHIPPED_SKILLS.find((skill) => skill.name === name);
}

/** The YAML between a SKILL.md's opening `---` lines, parsed; {} when there is none. */
export function frontmatter(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!match) return {};
  const data = loadYaml(match[1], { schema: CORE_SCHEMA });
  return typeof data === "object" && data !== null ? data as Record<string, unknown> : {};
}

/** The first sentence of a skill's description, for a listing. */
export function shortDescription(text: string): string {
  const description = String(frontmatter(text).description ?? "");
  const end = description.indexOf(". ");
  return end === -1 ? description : description.slice(0, end + 1);
}
