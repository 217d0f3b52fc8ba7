/** `mpm doctor` on the skills in each scope. Pure. */
import type { SkillState } from "../../skills/plan.ts";
import type { Check } from "./judge.ts";

export interface SkillsFacts {
  scope: "project" | "user";
  /** The skills folder as shown (`.claude/skills`, `~/.claude/skills`). */
  shown: string;
  skills: { name: string; state: SkillState; shipped: boolean }[];
}

function names(facts: SkillsFacts, states: readonly SkillState[]): string[] {
  return facts.skills.filter((skill) => states.includes(skill.state)).map((skill) => skill.name);
}

function fixFor(scope: SkillsFacts["scope"], extra = ""): string {
  return `mpm skills install${scope === "user" ? " --scope user" : ""}${extra}`;
}

export function skillChecks(scopes: readonly SkillsFacts[]): Check[] {
  const present = scopes.filter((facts) =>
    facts.skills.some((skill) => skill.state !== "missing" && skill.state !== "foreign")
  );
  if (present.length === 0) {
    return [{
      id: "skills",
      status: "info",
      message: "Claude Code skills (/mpm-pause, /mpm-resume…): not installed.",
      fix: "mpm skills install (this project) or mpm skills install --scope user (all projects)",
    }];
  }
  return present.flatMap((facts) => scopeChecks(facts));
}

function scopeChecks(facts: SkillsFacts): Check[] {
  const where = `Skills in ${facts.shown}/ (${facts.scope})`;
  const current = names(facts, ["current"]);
  const outdated = names(facts, ["outdated"]);
  const retired = names(facts, ["retired"]);
  const missing = facts.skills.filter((s) => s.shipped && s.state === "missing").map((s) => s.name);
  const edited = names(facts, ["edited"]);
  const foreign = names(facts, ["foreign"]);
  const checks: Check[] = [];
  const stale = [
    ...(outdated.length ? [`${outdated.join(", ")} from an older mpm`] : []),
    ...(retired.length ? [`${retired.join(", ")} no longer shipped`] : []),
    ...(missing.length ? [`${missing.join(", ")} missing`] : []),
  ];
  if (stale.length > 0) {
    checks.push({
      id: "skills",
      status: "warn",
      message: `${where} are stale against this mpm: ${stale.join("; ")}.`,
      fix: fixFor(facts.scope),
    });
  } else {
    checks.push({
      id: "skills",
      status: "ok",
      message: `${where}: ${current.length} installed, as this mpm ships them` +
        (edited.length ? `, ${edited.length} edited by you` : "") + ".",
    });
  }
  if (edited.length > 0) {
    checks.push({
      id: "skills",
      status: "info",
      message: `${where}: ${edited.join(", ")} edited by you; \`mpm skills install\` keeps ` +
        "your text, so it gets no updates.",
      fix: fixFor(facts.scope, " --force (backs your copy up beside it)"),
    });
  }
  if (foreign.length > 0) {
    checks.push({
      id: "skills",
      status: "info",
      message: `${where}: ${foreign.join(", ")} ${
        foreign.length === 1 ? "is" : "are"
      } not mpm's (claude-mpm's, or your own); mpm leaves ${
        foreign.length === 1 ? "it" : "them"
      } alone.`,
    });
  }
  return checks;
}
