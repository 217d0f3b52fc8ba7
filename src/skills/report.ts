/** What `mpm skills install | uninstall | list` print, from the plan or the states they found. */
import type { Style } from "../kernel/format/style.ts";
import type { SkillAction, SkillState, SkillStep } from "./plan.ts";

const DONE: Record<SkillAction, string> = {
  write: "written",
  update: "updated to this mpm's version",
  unchanged: "up to date",
  replace: "replaced (your copy is backed up)",
  remove: "removed",
  kept: "kept",
  none: "not installed",
};

const WOULD: Record<SkillAction, string> = {
  write: "would be written",
  update: "would be updated",
  unchanged: "up to date",
  replace: "would be replaced (your copy backed up)",
  remove: "would be removed",
  kept: "would be kept",
  none: "not installed",
};

/** Why a skill is kept, from its state. */
function keptBecause(state: SkillState, installing: boolean): string {
  if (state === "foreign") return ": not written by mpm";
  if (state === "edited") {
    return installing ? ": you edited it" : ": you edited it; delete it by hand";
  }
  return "";
}

export interface SkillsReport {
  verb: "install" | "uninstall";
  scope: string;
  /** The skills folder as shown (`.claude/skills`, `~/.claude/skills`). */
  dir: string;
  dryRun: boolean;
  steps: (SkillStep & { aliasOf?: string; backup?: string })[];
}

export function renderSkillsReport(report: SkillsReport, s: Style): string[] {
  const installing = report.verb === "install";
  const shown = report.steps.filter((step) => installing || step.action !== "none");
  const removes = shown.some((step) => step.action === "remove");
  const lines = [
    report.dryRun
      ? `Dry run: nothing was written. mpm skills ${report.verb} --scope ${report.scope} would:`
      : installing
      ? `${s.green("✓")} mpm's skills for Claude Code (scope: ${report.scope})`
      : removes
      ? `${s.green("✓")} mpm's skills removed (scope: ${report.scope})`
      : `No mpm skills to remove (scope: ${report.scope}).`,
    "",
    `Skills (${report.dir}/):`,
  ];
  const words = report.dryRun ? WOULD : DONE;
  if (shown.length === 0) lines.push("  none of mpm's skills are installed here.");
  const width = Math.max(0, ...shown.map((step) => step.name.length));
  for (const step of shown) {
    const why = step.action === "kept" ? keptBecause(step.state, installing) : "";
    const alias = step.aliasOf && installing ? ` (alias of /${step.aliasOf})` : "";
    const backup = step.backup ? ` → ${step.backup}` : "";
    lines.push(`  ${step.name.padEnd(width)}  ${words[step.action]}${why}${alias}${backup}`);
  }
  if (installing && shown.some((step) => step.action === "kept")) {
    lines.push(
      "",
      "Note: kept skills were left as they are; `--force` replaces them (with a backup).",
    );
  }
  if (installing && !report.dryRun) {
    lines.push("", "In Claude Code, type /mpm-pause, /mpm-resume or /mpm-status.");
  }
  return lines;
}

const STATE_WORDS: Record<SkillState, string> = {
  missing: "not installed",
  current: "installed",
  outdated: "outdated: an older mpm's text (mpm skills install updates it)",
  retired: "no longer shipped (mpm skills install removes it)",
  edited: "installed, edited by you",
  foreign: "present, not written by mpm",
};

export interface ScopeListing {
  scope: string;
  dir: string;
  skills: { name: string; state: SkillState }[];
}

export function renderSkillsList(
  scopes: readonly ScopeListing[],
  descriptions: Readonly<Record<string, string>>,
  s: Style,
): string[] {
  const lines = ["Skills mpm ships:"];
  const names = Object.keys(descriptions);
  const width = Math.max(...names.map((name) => name.length)) + 1;
  for (const name of names) lines.push(`  ${`/${name}`.padEnd(width)}  ${descriptions[name]}`);
  for (const scope of scopes) {
    lines.push("", `${s.bold(scope.scope)} (${scope.dir}/):`);
    const present = scope.skills.filter((skill) => skill.state !== "missing");
    if (present.length === 0) {
      lines.push(`  none installed (mpm skills install --scope ${scope.scope})`);
      continue;
    }
    for (const skill of scope.skills) {
      lines.push(`  ${skill.name.padEnd(width)}  ${STATE_WORDS[skill.state]}`);
    }
  }
  return lines;
}
