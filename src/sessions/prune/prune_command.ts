/** `mpm prune`: move old snapshots to sessions/archive/ (never deleting them). */
import { DEFAULT_KEEP, resolveCriteria } from "../store/records/lifecycle/prune_plan.ts";
import { style } from "../../kernel/format/style.ts";
import { type PruneReport, pruneSessions } from "../store/archive/archive.ts";
import { latestText } from "../store/snapshots/read_snapshot.ts";
import { listEntries } from "../store/listing/listing.ts";
import { displayPath } from "../../disk/paths.ts";
import { boolFlag, type Declared, intFlag } from "../../cli/command.ts";
import { json, text } from "../../cli/output.ts";
import { noSessions, openProject } from "../store/session/project.ts";

export const pruneCommand: Declared = {
  json: `- \`mpm prune --json\`:
  \`{"dry_run", "keep", "older_than_days", "archived", "kept", "skipped", "latest"}\`. \`archived\` is
  \`[{"session_id", "files", "line"}]\` (newest first); \`kept\`, and \`skipped\` (chosen but not
  movable), are \`[{"session_id", "reason", "line"}]\`; \`line\` is the snapshot's session, as in
  \`mpm list --json\` (\`null\` for one that does not read); \`keep\` counts sessions; \`latest\` is what
  \`LATEST-SESSION.txt\` names afterwards.`,
  details: `Snapshots move with their .sha256, .md and .yaml; nothing is deleted, and
\`mpm list --all\` (or \`mpm show ID\`) still finds them. --keep N keeps the N newest sessions,
as \`mpm list\` shows them, each with all its snapshots, and archives the snapshots of the
others; --older-than DAYS archives only snapshots older than DAYS days; with both, a snapshot is
archived only when both say so; with neither, --keep ${DEFAULT_KEEP} applies.`,
  more: `--keep counts the
active session first, then open work: completed and cancelled sessions go to the archive before
paused ones. The newest
snapshot and every snapshot on the branch stack (or that the active session came from) are
always kept. claude-mpm's sessions/pause/ is left to \`mpm migrate\`. LATEST-SESSION.txt is
updated afterwards.`,
  flags: [
    {
      name: "keep",
      value: "N",
      description: `Keep the N newest sessions, open work first (default ${DEFAULT_KEEP}).`,
    },
    {
      name: "older-than",
      value: "DAYS",
      description: "Archive only snapshots older than DAYS days.",
    },
    { name: "dry-run", description: "Say what would be archived; change nothing." },
    { name: "json", description: "Print the report as JSON." },
  ],
  examples: ["mpm prune --keep 20", "mpm prune --older-than 30 --dry-run"],
  run: async (env, parsed) => {
    const criteria = resolveCriteria(intFlag(parsed, "keep", 1), intFlag(parsed, "older-than"));
    const dryRun = boolFlag(parsed, "dry-run") ?? false;
    const project = await openProject(env);
    // Nothing to prune is no failure (exit 0): nothing named is missing, the folder is as wanted.
    if ((await listEntries(project.paths, { locations: ["sessions"] })).length === 0) {
      if (boolFlag(parsed, "json")) {
        // The report's whole shape (docs/format.md), with nothing in it.
        const { newest } = await latestText(project.paths);
        return json(
          {
            dry_run: dryRun,
            keep: criteria.keep,
            older_than_days: criteria.olderThanDays,
            archived: [],
            kept: [],
            skipped: [],
            latest: newest ?? null,
          } satisfies PruneReport,
        );
      }
      return text(`Nothing to prune: ${noSessions(project).message}`);
    }
    const report = await pruneSessions(project.paths, { criteria, dryRun, now: env.now() });
    if (boolFlag(parsed, "json")) return json(report);
    const s = style(env.color);
    const archive = displayPath(project.paths, project.paths.archive);
    const n = report.archived.length;
    const lines: string[] = [];
    if (n === 0) lines.push("Nothing to archive.");
    else {
      const what = counted(report.archived);
      lines.push(
        dryRun
          ? s.bold(`Would archive ${what} to ${archive}/:`)
          : `${s.green("✓")} Archived ${what} to ${archive}/:`,
      );
      for (const a of report.archived) lines.push(`  ${a.session_id}`);
    }
    for (const skip of report.skipped) {
      lines.push(s.yellow(`  ! ${skip.session_id} stays: ${skip.reason}.`));
    }
    const reasons = new Map<string, number>();
    for (const k of report.kept) reasons.set(k.reason, (reasons.get(k.reason) ?? 0) + 1);
    const why = [...reasons].map(([reason, count]) => `${reason}: ${count}`).join(", ");
    lines.push(`Kept ${counted(report.kept)}${why ? ` (${why})` : ""}.`);
    if (criteria.defaulted) lines.push(s.dim(`(Default: --keep ${DEFAULT_KEEP}.)`));
    if (n > 0 && !dryRun) lines.push("", "See them with: mpm list --all");
    return text(lines);
  },
};

/** "3 snapshots of 2 sessions", in `mpm list`'s words (unreadable: a session of its own). */
function counted(snapshots: readonly { session_id: string; line: string | null }[]): string {
  const sessions = new Set(snapshots.map((s) => s.line ?? `\0${s.session_id}`)).size;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return `${plural(snapshots.length, "snapshot")} of ${plural(sessions, "session")}`;
}
