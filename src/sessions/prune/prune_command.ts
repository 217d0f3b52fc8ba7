/** `mpm prune`: move old snapshots to sessions/archive/ (never deleting them). */
import { DEFAULT_KEEP, resolveCriteria } from "../store/records/lifecycle/prune_plan.ts";
import { style } from "../../kernel/format/style.ts";
import { pruneSessions } from "../store/archive/archive.ts";
import { listEntries } from "../store/snapshots/store.ts";
import { displayPath } from "../../disk/paths.ts";
import { boolFlag, type Command, intFlag } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { noSessions, openProject } from "../store/session/project.ts";

export const pruneCommand: Command = {
  name: "prune",
  summary: "Archive old sessions: move them to .claude-mpm/sessions/archive/.",
  details: `Snapshots move with their .sha256, .md and .yaml; nothing is deleted, and
\`mpm list --all\` (or \`mpm show\`) still finds them. --keep N keeps the N newest;
--older-than DAYS archives only what is older than DAYS days; with both, a snapshot is
archived only when both say so; with neither, --keep ${DEFAULT_KEEP} applies. --keep counts
open work first: completed and cancelled work goes to the archive before paused work. The newest
snapshot and every snapshot on the branch stack (or that the active session came from) are
always kept. claude-mpm's sessions/pause/ is left to \`mpm migrate\`. LATEST-SESSION.txt is
updated afterwards.`,
  flags: [
    { name: "keep", value: "N", description: `Keep the N newest (default ${DEFAULT_KEEP}).` },
    {
      name: "older-than",
      value: "DAYS",
      description: "Archive only sessions older than DAYS days.",
    },
    { name: "dry-run", description: "Say what would be archived; change nothing." },
    { name: "json", description: "Print the report as JSON." },
  ],
  examples: ["mpm prune --keep 20", "mpm prune --older-than 30 --dry-run"],
  run: async (env, parsed) => {
    const criteria = resolveCriteria(intFlag(parsed, "keep", 1), intFlag(parsed, "older-than"));
    const dryRun = boolFlag(parsed, "dry-run") ?? false;
    const project = await openProject(env);
    // Nothing to prune is not a failure (exit 0, docs/format.md's exit-code rule): the user
    // named nothing that is missing, and the folder is as they wanted it.
    if ((await listEntries(project.paths, { locations: ["sessions"] })).length === 0) {
      if (boolFlag(parsed, "json")) return json({ archived: [], kept: [], skipped: [] });
      return text(`Nothing to prune: ${noSessions(project).message}`);
    }
    const report = await pruneSessions(project.paths, { criteria, dryRun, now: env.now() });
    if (boolFlag(parsed, "json")) return json(report);
    const s = style(env.color);
    const archive = displayPath(project.paths, project.paths.archive);
    const n = report.archived.length;
    const sessions = (count: number) => `${count} session${count === 1 ? "" : "s"}`;
    const lines: string[] = [];
    if (n === 0) lines.push("Nothing to archive.");
    else {
      lines.push(
        dryRun
          ? s.bold(`Would archive ${sessions(n)} to ${archive}/:`)
          : `${s.green("✓")} Archived ${sessions(n)} to ${archive}/:`,
      );
      for (const a of report.archived) lines.push(`  ${a.session_id}`);
    }
    for (const skip of report.skipped) {
      lines.push(s.yellow(`  ! ${skip.session_id} stays: ${skip.reason}.`));
    }
    const reasons = new Map<string, number>();
    for (const k of report.kept) reasons.set(k.reason, (reasons.get(k.reason) ?? 0) + 1);
    const why = [...reasons].map(([reason, count]) => `${reason}: ${count}`).join(", ");
    lines.push(`Kept ${sessions(report.kept.length)}${why ? ` (${why})` : ""}.`);
    if (criteria.defaulted) lines.push(s.dim(`(Default: --keep ${DEFAULT_KEEP}.)`));
    if (n > 0 && !dryRun) lines.push("", "See them with: mpm list --all");
    return text(lines);
  },
};
