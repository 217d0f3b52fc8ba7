/** What `mpm hooks install` and `mpm hooks list` print, from the facts they gathered. */
import type { Style } from "../../../kernel/format/style.ts";
import type {
  StatusLineAction,
  StatusLineKind,
} from "../../../claude/settings/status_line/status_line.ts";
import type { MpmPlugin } from "../../../claude/settings/plugins/plugins.ts";

/** What install does with one script (see hooks/install/store.ts's plan). */
export type ScriptAction = "write" | "update" | "unchanged" | "kept" | "replace" | "untrusted";
export type ScriptState = "installed" | "outdated" | "edited" | "foreign" | "missing";

export interface InstallReport {
  scope: string;
  dryRun: boolean;
  /** The scripts folder as shown (`.claude-mpm/hooks`, `~/.claude/mpm/hooks`). */
  hooksDir: string;
  scripts: { script: string; action: ScriptAction; backup?: string }[];
  settings: {
    shown: string;
    changed: boolean;
    /** The unified diff, for a dry run. */
    diff?: string;
    /** Entries that were not there. */
    added: number;
    events: number;
    newFile: boolean;
    backup: string | null;
  };
  claudeVersion: string | null;
  /** Events left out for that version, with the version each needs. */
  leftOut: { event: string; since: string }[];
  /** What became of Claude Code's status line (`skipped`: --no-statusline). */
  statusLine: StatusLineAction | "skipped";
  /** The file the person's status line was copied from, or the repository's not copied. */
  statusLineFrom?: string;
  /** A settings file above this one whose status line Claude Code shows instead. */
  statusLineHiddenBy?: string;
  /** The person's own status line command that mpm's part now follows (wrapped, borrowed). */
  statusLineTheirs?: string;
}

const STATUS_LINE_WORDS: Record<StatusLineAction, string> = {
  added: "mpm's added (the session and the context's fill).",
  wrapped: "kept; mpm's part now follows it (uninstall restores yours).",
  borrowed: "kept; mpm's part now follows it (uninstall restores yours).",
  instead: "mpm's added.",
  replaced: "mpm's added.",
  present: "already shows mpm's part.",
  kept: "yours is not a command mpm can add to; left as it is.",
};

const ACTION_WORDS: Record<ScriptAction, string> = {
  write: "written",
  update: "updated to this mpm's version",
  unchanged: "up to date",
  kept: "kept: you edited it (--force replaces it and keeps a backup)",
  replace: "replaced (your edited copy is backed up)",
  untrusted: "replaced: not written by this machine's install, so not trusted; moved",
};

const DRY_ACTION_WORDS: Record<ScriptAction, string> = {
  write: "would be written",
  update: "would be updated",
  unchanged: "up to date",
  kept: "would be kept: you edited it (--force replaces it)",
  replace: "would be replaced (your copy backed up)",
  untrusted: "would be replaced: not written by this machine's install, so not trusted " +
    "(moved to the backups)",
};

export function renderInstall(report: InstallReport, s: Style): string[] {
  const { settings } = report;
  const lines = [
    report.dryRun
      ? `Dry run: nothing was written. mpm hooks install --scope ${report.scope} would:`
      : `${s.green("✓")} mpm's hooks for Claude Code (scope: ${report.scope})`,
    "",
    `Scripts (${report.hooksDir}/):`,
  ];
  const words = report.dryRun ? DRY_ACTION_WORDS : ACTION_WORDS;
  const width = Math.max(...report.scripts.map((p) => p.script.length)) + 3;
  for (const { script, action, backup } of report.scripts) {
    const note = backup ? ` → ${backup}` : "";
    lines.push(`  ${`${script}.sh`.padEnd(width)}  ${words[action]}${note}`);
  }
  lines.push("", `Settings: ${settings.shown}`);
  if (!settings.changed) lines.push("  already wired: no change.");
  else if (report.dryRun) lines.push("", settings.diff ?? "");
  else {
    const created = settings.newFile ? " (new file)" : "";
    lines.push(
      settings.added > 0
        ? `  ${entries(settings.added)} added; ${settings.events} events now run mpm${created}.`
        : `  hooks already wired (${settings.events} events run mpm).`,
    );
    if (settings.backup) lines.push(`  Previous file backed up to ${settings.backup}`);
  }
  const theirs = report.statusLineTheirs === undefined
    ? ""
    : ` (\`${shortCommand(report.statusLineTheirs)}\`)`;
  if (report.statusLine === "borrowed") {
    lines.push(
      `  Status line: yours, from ${report.statusLineFrom}, kept${theirs}; mpm's part now ` +
        "follows it (uninstall takes the copy out again).",
    );
  } else if (report.statusLine === "instead" || report.statusLine === "replaced") {
    lines.push(
      `  Status line: ${repositoryLine(report.statusLine, report.statusLineFrom, settings.shown)}`,
    );
  } else if (report.statusLine === "wrapped") {
    lines.push(`  Status line: yours${theirs} ${STATUS_LINE_WORDS.wrapped}`);
  } else if (report.statusLine !== "skipped") {
    lines.push(`  Status line: ${STATUS_LINE_WORDS[report.statusLine]}`);
  }
  if (report.statusLine !== "skipped" && report.statusLineHiddenBy) {
    lines.push(
      `  Note: ${report.statusLineHiddenBy} sets a status line, which Claude Code shows instead ` +
        "of this one.",
    );
  }
  if (report.leftOut.length > 0) {
    const since = report.leftOut.map((e) => `${e.event} (${e.since})`).join(", ");
    lines.push(
      "",
      `Note: Claude Code ${report.claudeVersion} does not know ${since}; left out, because an ` +
        "older Claude Code discards a settings file that names an unknown event. Upgrade " +
        "Claude Code and run `mpm hooks install` again.",
    );
  }
  const untrusted = report.scripts.filter((p) => p.action === "untrusted");
  if (untrusted.length > 0) {
    const names = untrusted.map((p) => `${p.script}.sh`).join(", ");
    const one = untrusted.length === 1;
    lines.push(
      "",
      `Note: ${names} ${one ? "was" : "were"} in ${report.hooksDir}/ but no install on this ` +
        `machine wrote ${one ? "it" : "them"} (a cloned repository's, or edited under an older ` +
        `mpm): the repository's script${one ? " was" : "s were"} not trusted, never run, and ` +
        `replaced by mpm's own; the old ${one ? "copy is" : "copies are"} in the backups above. ` +
        "A script of yours put back from there is kept as your edit from now on.",
    );
  }
  if (report.scripts.some((p) => p.action === "kept")) {
    lines.push("", "Note: your edited scripts were kept; `--force` replaces them (with a backup).");
  }
  if (report.scope === "user") {
    lines.push(
      "",
      `Note: your user settings now run these hooks in every project, from ${report.hooksDir}/: ` +
        "scripts of your own, never a project's (a cloned repository's .claude-mpm/hooks/ is " +
        "never run).",
    );
  }
  if (report.scope === "project") {
    lines.push(
      "",
      "Note: .claude/settings.json is shared, but .claude-mpm/hooks/ is not in git: each " +
        "teammate runs `mpm hooks install` once.",
    );
  }
  return lines;
}

function entries(n: number): string {
  return `${n} entr${n === 1 ? "y" : "ies"}`;
}

/** mpm's own status line in place of the repository's, and how to keep that anyway. */
function repositoryLine(action: "instead" | "replaced", from = "", shown: string): string {
  const what = action === "instead"
    ? `mpm's added; the repository's, from ${from} (git tracks it), is not run inside mpm's`
    : `mpm's put in place of the copy made of the repository's, from ${from} ` +
      "(git tracks it), which is no longer run inside mpm's";
  return `${what}: to keep it, copy its command into the statusLine of ${shown} yourself ` +
    "and run `mpm hooks install` again.";
}

/** A command as one short line: its first line, cut at 60 characters. */
function shortCommand(command: string): string {
  const first = command.trim().split("\n")[0];
  const cut = first.length > 60 ? `${first.slice(0, 59)}…` : first;
  return cut + (cut === command.trim() ? "" : first.length > 60 ? "" : " …");
}

export interface ListedScript {
  name: string;
  state: ScriptState;
  events: string[];
}

export interface ListedSettings {
  scope: string;
  file: string;
  exists: boolean;
  error: string | null;
  events: string[];
  status_line?: StatusLineKind;
}

const STATE_WORDS: Record<ScriptState, string> = {
  installed: "installed",
  outdated: "installed (an older mpm's version; `mpm hooks install` updates it)",
  edited: "installed, edited by you",
  foreign: "not written by this machine's install (a cloned repository's?): not trusted, " +
    "never run by mpm; `mpm hooks install` replaces it, keeping a backup",
  missing: "not installed",
};

export function renderList(
  scripts: ListedScript[],
  settings: ListedSettings[],
  totalEntries: number,
  plugin: MpmPlugin | null = null,
  others: readonly string[] = [],
): string[] {
  const width = Math.max(...scripts.map((s) => s.name.length));
  const lines = ["Hooks:"];
  for (const { name, state, events } of scripts) {
    lines.push(`  ${name.padEnd(width)}  ${events.join("; ")}`);
    lines.push(`  ${"".padEnd(width)}  ${STATE_WORDS[state]}`);
  }
  lines.push("", "Wired in Claude Code's settings:");
  for (const entry of settings) {
    const status = entry.error
      ? `cannot be read: ${entry.error}`
      : !entry.exists
      ? "no file"
      : entry.events.length === 0
      ? "not wired"
      : `${entry.events.length} of ${totalEntries} events (${entry.events.join(", ")})`;
    lines.push(`  ${entry.scope.padEnd(7)}  ${entry.file}: ${status}`);
  }
  const shown = settings.filter((s) => s.status_line === "mpm" || s.status_line === "wrapped");
  if (shown.length > 0) {
    lines.push(
      "",
      `Status line: \`mpm statusline\` runs from ${shown.map((s) => s.file).join(" and ")}.`,
    );
  }
  if (plugin?.installed) {
    lines.push(
      "",
      `Plugin: ${plugin.id} (enabled in ${plugin.enabledIn}) runs mpm's hooks in Claude Code; ` +
        "`mpm hooks install` is not needed.",
    );
    if (settings.some((s) => s.events.length > 0)) {
      lines.push(
        "  The settings above run them too: each event would run twice (mpm skips the second);" +
          " `mpm hooks uninstall` removes them.",
      );
    }
  }
  lines.push(...others);
  if (!plugin?.installed && scripts.every((s) => s.state === "missing")) {
    lines.push(
      "",
      "Install them for Claude Code with `mpm hooks install` (`--dry-run` shows what it would do).",
    );
  }
  return lines;
}
