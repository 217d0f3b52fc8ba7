/** `mpm migrate`: claude-mpm's layouts and trusty-mpm's pauses into mpm's, with a backup. */
import { basename, relative, resolve, sep } from "../kernel/path.ts";
import { UsageError } from "../kernel/errors.ts";
import type { Plan, RecordInfo, Step } from "./steps.ts";
import { type MigrateOutcome, migrateProject, rollbackProject } from "./apply.ts";
import type { RollbackReport } from "./backup.ts";
import { boolFlag, type Declared, stringFlag } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";
import { json, text } from "../cli/output.ts";
import { openProject } from "../sessions/store/session/project.ts";
import { failPoint } from "../disk/files/faults/fail_point.ts";
import { pushAll } from "../kernel/lists.ts";

/** Progress is drawn only on a terminal, and only when there is enough work to wait for. */
const PROGRESS_FROM = 20;

export const migrateCommand: Declared = {
  json: `- \`mpm migrate --json\`:
  \`{"dry_run", "project", "from", "changed", "backup", "continued", "rollback", "counts",
  "steps"}\`;
  \`continued\` is the unfinished migration the run continued (a dry run: would),
  \`{"started_at", "backup"}\`, or \`null\`. \`counts\` is
  \`{"converted", "kept_both", "duplicates", "moved", "removed", "folders_removed", "skipped",
  "invalid"}\`
  — sessions converted, duplicates skipped (and removed), files moved, files removed (every file
  taken away: the claude-mpm files of converted sessions and duplicates, orphaned checksums, old
  pointers), empty folders removed, files left, damaged files and symbolic links left as they were
  (they are named on stderr and do not change the exit code: 0); \`backup\` is the backup folder and
  \`rollback\` the command that undoes it (both \`null\` when nothing was backed up); each step has a
  \`kind\`: \`convert\`, \`duplicate\`, \`skip\`, \`invalid\`, \`move\`, \`remove\`, \`keep\`, \`render\`, \`latest\` or
  \`remove-dir\`. \`mpm migrate --rollback --json\`:
  \`{"rollback": true, "dry_run", "backup", "restored", "removed", "unchanged", "modes",
  "unfinished"}\`
  (paths under \`.claude-mpm/\`; \`unfinished\`: the migration undone never completed); \`modes\` lists
  the folders whose mode was put back as it was before the migration (mpm's writes narrow a folder
  to 0700): \`[{"folder", "mode"}]\`, e.g. \`{"folder": ".claude-mpm/sessions/", "mode": "0755"}\`.`,
  details: `Converts every layout claude-mpm wrote: sessions/pause/ (local-time ids become UTC),
its v4 and v6 JSON, .yaml renderings, .md-only sessions, orphaned .tmp.sha256 files and the
multi-line LATEST-SESSION.txt. Each session becomes sessions/<id>.json with a .sha256, .md and
.yaml. A duplicate is skipped only when its content is identical; otherwise both are kept.
First the files it changes are copied to .claude-mpm/backups/migrate-<UTC stamp>/ with a
manifest; --rollback puts them back byte for byte, and the folders' modes as they were.`,
  more:
    `A run killed or failed midway is continued by the next one under its first backup, and until
then --rollback restores that backup. Running it again does nothing (exit 0, and a line says so). A damaged file is named and left
as it was; it does not make the migration of the others fail (exit 0).
trusty-mpm's pauses (.trusty-mpm/sessions/, its per-session folders and sessions-log.jsonl)
are converted too, each trusty-mpm session's pauses one mpm session (key tm-<its id>); trusty-mpm's
own files are only read, never moved or removed.`,
  args: [{
    name: "BACKUP",
    optional: true,
    description:
      "With --rollback: the backup to restore (default: an unfinished migration's, else the newest).",
  }],
  flags: [
    { name: "dry-run", description: "Print what would happen; change nothing." },
    {
      name: "backup",
      negatable: true,
      description: "Back up what changes first (default: on; without it, no rollback).",
      negated: "Back nothing up first (no rollback then).",
    },
    {
      name: "from",
      value: "PATH",
      description: "Also import this project's sessions from a global ~/.claude-mpm folder.",
      complete: "files",
    },
    { name: "rollback", description: "Undo a migration from its backup." },
    { name: "json", description: "Print the plan and what was done as JSON." },
  ],
  examples: [
    "mpm migrate --dry-run",
    "mpm migrate",
    "mpm migrate --from ~/.claude-mpm",
    "mpm migrate --rollback",
  ],
  run: async (env, parsed) => {
    const dryRun = boolFlag(parsed, "dry-run") ?? false;
    const asJson = boolFlag(parsed, "json") ?? false;
    const fromFlag = stringFlag(parsed, "from");
    if (fromFlag?.trim() === "") {
      throw new UsageError("--from needs a path.", "Example: --from ~/.claude-mpm");
    }
    // Taken from where the user typed it, not from the project root.
    const from = fromFlag === undefined ? undefined : resolve(env.cwd, fromFlag);
    const backup = boolFlag(parsed, "backup");
    const project = await openProject(env);
    if (boolFlag(parsed, "rollback")) {
      if (from !== undefined || backup !== undefined) {
        throw new UsageError("--rollback takes neither --from nor --[no-]backup.");
      }
      const name = parsed.args[0];
      const isPath = name !== undefined && (name.includes("/") || name.includes(sep));
      const backupName = isPath ? resolve(env.cwd, name) : name;
      const report = await rollbackProject(project.paths, backupName, { dryRun });
      return asJson
        ? json({ rollback: true, dry_run: dryRun, ...report, backup: shown(env, report.backup) })
        : text(rollbackText(env, report, dryRun));
    }
    if (parsed.args.length > 0) {
      throw new UsageError(
        `BACKUP (${JSON.stringify(parsed.args[0])}) is only taken with --rollback.`,
        "Run `mpm migrate --rollback BACKUP` to restore that backup.",
      );
    }
    const progress = env.stderrIsTTY && !asJson ? drawProgress(env) : undefined;
    const outcome = await migrateProject(project.paths, {
      dryRun,
      backup: backup ?? true,
      from,
      now: env.now(),
      onProgress: progress,
      failPoint: (name) => failPoint(env.vars, name),
    });
    const invalid = outcome.plan.steps.filter((s) =>
      s.kind === "invalid" && s.record.where !== "from"
    );
    // A damaged file is named and left; the others' migration still succeeds (exit 0).
    for (const step of invalid) if (step.kind === "invalid") env.warn(`mpm: ${step.message}`);
    if (asJson) return json(outcomeJson(env, project.root, outcome));
    return text(outcomeText(env, project.root, outcome));
  },
};

function drawProgress(env: Env) {
  let shownPercent = -1;
  return (done: number, total: number) => {
    if (total <= PROGRESS_FROM) return;
    const percent = Math.floor((done / total) * 100);
    if (percent === shownPercent) return;
    // Env.warn ends each line, so the counter redraws the line above it.
    const up = shownPercent < 0 ? "" : "\x1b[1A\x1b[2K";
    shownPercent = percent;
    env.warn(`${up}mpm: migrating… ${done}/${total} (${percent}%)`);
  };
}

function shown(env: Env, path: string): string {
  const rel = relative(env.cwd, path);
  return rel.startsWith("..") ? path : rel || ".";
}

/** What the plan does, counted as the files on disk change: `removed` is every file taken away. */
function counts(plan: Plan) {
  const of = (kind: Step["kind"]) => plan.steps.filter((s) => s.kind === kind);
  return {
    converted: of("convert").length,
    kept_both: of("convert").filter((s) => s.kind === "convert" && s.besides).length,
    duplicates: of("duplicate").length,
    moved: of("move").length,
    removed: plan.steps.reduce((n, s) => n + removedFiles(s).length, 0),
    folders_removed: of("remove-dir").length,
    skipped: of("skip").length + of("keep").length,
    invalid: of("invalid").length,
  };
}

/** The files a step takes away (a converted session's claude-mpm files, a duplicate's…). */
function removedFiles(step: Step): string[] {
  if (step.kind === "remove") return [step.rel];
  return "removes" in step ? step.removes : [];
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function outcomeJson(env: Env, root: string, outcome: MigrateOutcome) {
  const name = outcome.backup ? basename(outcome.backup) : undefined;
  return {
    dry_run: outcome.dryRun,
    project: root,
    from: outcome.from,
    changed: !outcome.dryRun && outcome.plan.changes,
    backup: outcome.backup ? shown(env, outcome.backup) : null,
    continued: outcome.continued,
    rollback: name ? `mpm migrate --rollback ${name}` : null,
    counts: counts(outcome.plan),
    steps: outcome.plan.steps.map((step) =>
      step.kind === "convert"
        ? { ...step, writes: step.writes.map((w) => w.rel) }
        : step.kind === "latest"
        ? { ...step, write: step.write?.rel ?? null }
        : step.kind === "render"
        ? { ...step, writes: step.writes.map((w) => w.rel) }
        : step
    ),
  };
}

function describe(record: RecordInfo): string {
  const [first, ...rest] = record.files;
  // Its other files differ only by extension: ".yaml", ".md", an orphaned ".tmp.sha256".
  const others = rest.map((f) => {
    const name = basename(f);
    return name.endsWith(".tmp.sha256") ? "orphaned .tmp.sha256" : name.slice(name.indexOf("."));
  });
  return others.length ? `${first} (+ ${others.join(", ")})` : first;
}

function stepLine(step: Step, dryRun: boolean): string | undefined {
  const w = (done: string, would: string) => (dryRun ? would : done).padEnd(12);
  switch (step.kind) {
    case "convert": {
      const notes = [
        step.record.layout,
        step.record.checksum !== "none" ? `checksum ${step.record.checksum}` : "",
        step.redacted ? "secrets redacted" : "",
        step.besides ? `${step.besides} is a different session, both kept` : "",
      ].filter(Boolean);
      return `  ${w("converted", "convert")}${describe(step.record)} -> ${step.id} [${
        notes.join("; ")
      }]`;
    }
    case "duplicate":
      return `  ${w("skipped", "skip")}${describe(step.record)}: ${
        step.record.where === "from" || step.record.where === "trusty"
          ? `already imported as ${step.of}`
          : step.how === "identical-bytes"
          ? `an identical copy of ${step.of}`
          : `the same session as ${step.of}`
      }`;
    case "skip":
      return `  ${w("skipped", "skip")}${describe(step.record)}: ${step.reason}`;
    case "invalid":
      return `  ${w("left", "leave")}${step.message}`;
    case "keep":
      return `  ${w("left", "leave")}.claude-mpm/${step.rel}: ${step.reason}`;
    case "move":
      return `  ${w("moved", "move")}.claude-mpm/${step.from} -> .claude-mpm/${step.to}`;
    case "remove":
      return `  ${w("removed", "remove")}.claude-mpm/${step.rel} (${step.reason})`;
    case "latest":
      return `  ${w("rewrote", "rewrite")}.claude-mpm/sessions/LATEST-SESSION.txt -> ${
        step.id ?? "(none)"
      }`;
    case "remove-dir":
      return `  ${w("removed", "remove")}.claude-mpm/${step.rel}/ (empty)`;
    case "render":
      return `  ${w("rendered", "render")}${
        step.writes.map((write) => `.claude-mpm/${write.rel}`).join(", ")
      } (left out by an interrupted write)`;
  }
}

/** The one line a run that continues an unfinished migration starts with. */
function continuedLine(outcome: MigrateOutcome): string[] {
  const { continued, dryRun } = outcome;
  if (!continued) return [];
  const under = continued.backup
    ? `under its first backup, ${continued.backup} (no second backup is made)`
    : "without a backup, as it was started (--no-backup)";
  return [
    `${
      dryRun ? "Would continue" : "Continuing"
    } the unfinished migration started ${continued.started_at} ${under}.`,
  ];
}

function outcomeText(env: Env, root: string, outcome: MigrateOutcome): string[] {
  return [...continuedLine(outcome), ...planText(env, root, outcome)];
}

function planText(env: Env, root: string, outcome: MigrateOutcome): string[] {
  const { plan, dryRun } = outcome;
  const c = counts(plan);
  if (!plan.changes && c.invalid === 0 && c.skipped === 0 && c.duplicates === 0) {
    return [
      `Nothing to migrate: ${root} has no claude-mpm or trusty-mpm sessions left to convert.`,
      ...(outcome.backup ? backupLines(env, outcome.backup) : []),
    ];
  }
  const header = !plan.changes
    ? `Nothing to change in ${root}:`
    : dryRun
    ? `mpm migrate would change ${root}:`
    : `Migrated ${root}:`;
  const lines = [
    header,
    "",
    ...plan.steps.flatMap((s) => stepLine(s, dryRun) ?? []),
    "",
    `${count(c.converted, "session")} converted` +
    (c.kept_both ? ` (${c.kept_both} beside a different session of the same id)` : "") +
    `, ${count(c.duplicates, "duplicate")} skipped, ${count(c.moved, "file")} moved, ` +
    `${count(c.removed, "file")} removed` +
    (c.folders_removed ? `, ${count(c.folders_removed, "empty folder")} removed` : "") +
    (c.skipped ? `, ${c.skipped} left or skipped` : "") +
    (c.invalid
      ? `, ${count(c.invalid, "unreadable file")} left as ${
        c.invalid === 1 ? "it was" : "they were"
      }`
      : "") +
    ".",
  ];
  if (dryRun) {
    lines.push(
      plan.changes
        ? "Dry run: nothing was changed. Run the same command without --dry-run to do it."
        : "Nothing was changed.",
    );
  } else if (outcome.backup) {
    if (!plan.changes) lines.push("Nothing was left to change.");
    pushAll(lines, backupLines(env, outcome.backup));
  } else if (!plan.changes) {
    lines.push("Nothing was changed.");
  } else {
    lines.push("No backup was made (--no-backup), so this migration cannot be rolled back.");
  }
  return lines;
}

function backupLines(env: Env, backup: string): string[] {
  return [
    `Backup: ${shown(env, backup)}/ (manifest.json lists every move).`,
    `Undo with: mpm migrate --rollback ${basename(backup)}`,
  ];
}

function rollbackText(env: Env, report: RollbackReport, dryRun: boolean): string[] {
  const name = basename(report.backup);
  const verb = dryRun ? "would restore" : "restored";
  const lines = [
    `Rollback of ${name}: ${verb} ${count(report.restored.length, "file")}, ${
      dryRun ? "would remove" : "removed"
    } ${count(report.removed.length, "file")} the migration wrote` +
    (report.modes.length
      ? `, ${dryRun ? "would set" : "set"} ${
        count(report.modes.length, "folder's mode", "folders' modes")
      } back.`
      : "."),
  ];
  for (const rel of report.restored) lines.push(`  restore  .claude-mpm/${rel}`);
  for (const rel of report.removed) lines.push(`  remove   .claude-mpm/${rel}`);
  for (const { folder, mode } of report.modes) lines.push(`  mode     ${folder} ${mode}`);
  lines.push(
    dryRun
      ? "Dry run: nothing was changed."
      : `The tree is as it was before the ${
        report.unfinished ? "unfinished migration's first run" : "migration"
      }; the backup ${shown(env, report.backup)} was removed.`,
  );
  return lines;
}
