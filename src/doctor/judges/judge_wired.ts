/**
 * `mpm doctor` on what Claude Code will run (pure). Hooks are probed with an event no mpm hook
 * serves, which proves the script found mpm.
 */
import type { Check } from "./judge.ts";
import type { CommandRun } from "../../claude/settings/program/run_as_claude.ts";

/** The event name doctor's payloads carry: served by no hook, so every `mpm hook` ignores it. */
export const PROBE_EVENT = "MpmDoctorProbe";

/** The payload a probed hook reads on stdin, as Claude Code would send it from `folder`. */
export function probePayload(folder: string): string {
  return JSON.stringify({ session_id: "mpm-doctor", cwd: folder, hook_event_name: PROBE_EVENT });
}

/** The status line's input from `folder`: no window, so mpm's part shows no fill. */
export function probeStatusInput(folder: string): string {
  return JSON.stringify({
    session_id: "mpm-doctor",
    cwd: folder,
    workspace: { current_dir: folder, project_dir: folder },
    model: { id: "mpm-doctor", display_name: "mpm doctor" },
  });
}

/** One run of a command as Claude Code runs it. */
export type RunFacts = CommandRun;

export interface HookRun {
  /** The events that run this command. */
  events: readonly string[];
  /** The script it runs, as shown (`.claude-mpm/hooks/pre-session.sh`). */
  script: string;
  /** Where Claude Code was started, as shown (`the project root`, `src/`). */
  folder: string;
  run: RunFacts;
}

export type HookOutcome = "ran" | "no-mpm" | "no-script" | "failed" | "slow";

/** What one run shows: mpm answered, the script found no mpm, no script ran, or it failed. */
export function hookOutcome(run: RunFacts): { outcome: HookOutcome; detail?: string } {
  if (run.timedOut) return { outcome: "slow" };
  if (run.stderr.includes("mpm not found")) return { outcome: "no-mpm" };
  if (run.stderr.includes(`got a ${PROBE_EVENT} payload`)) return { outcome: "ran" };
  // No script found (silent exit 0), or the named script is missing (127) or not executable (126).
  const silent = run.stdout.trim() === "" && run.stderr.trim() === "";
  if ((run.code === 0 && silent) || run.code === 126 || run.code === 127) {
    return { outcome: "no-script" };
  }
  const line = [run.stderr, run.stdout].flatMap((text) => text.split("\n"))
    .map((text) => text.trim()).find((text) => text !== "");
  return { outcome: "failed", detail: line ?? `exit ${run.code}` };
}

/** What fixes hooks that find no mpm (shared with judge_status_line.ts's check). */
export const MPM_NOT_FOUND_FIX = 'Put mpm on PATH (e.g. ln -s "$(command -v mpm)" ' +
  '~/.local/bin/mpm) or set MPM_BIN to its path in Claude Code\'s settings ("env").';

/** One check per kind of problem, or one that says every command reached mpm. */
export function wiredChecks(runs: readonly HookRun[], timeoutMs: number, main?: string): Check[] {
  if (runs.length === 0) return [];
  const judged = runs.map((run) => ({ ...run, ...hookOutcome(run.run) }));
  const of = (outcome: HookOutcome) => judged.filter((run) => run.outcome === outcome);
  const checks: Check[] = [];
  const lost = of("no-mpm");
  if (lost.length > 0) {
    checks.push({
      id: "mpm-path",
      status: "fail",
      message: `Claude Code's ${events(lost)} hooks will not find mpm (${scripts(lost)} look ` +
        "for MPM_BIN, mpm on PATH, then ~/.local/bin/mpm, with the settings' env): each of " +
        "those events does nothing.",
      fix: MPM_NOT_FOUND_FIX,
    });
  }
  for (const folder of unique(of("no-script").map((run) => run.folder))) {
    const here = of("no-script").filter((run) => run.folder === folder);
    checks.push({
      id: "hooks-run",
      status: "fail",
      message: `Started in ${folder}, Claude Code's ${events(here)} hook commands find no ` +
        `${scripts(here)}: those events do nothing there.`,
      fix: main === undefined
        ? "mpm hooks install, at the project's root (its commands find the scripts from any " +
          "subfolder)"
        : `mpm hooks install, in ${main} (its commands find the scripts from its worktrees)`,
    });
  }
  for (const script of unique(of("failed").map((run) => run.script))) {
    const here = of("failed").filter((run) => run.script === script);
    checks.push({
      id: "hooks-run",
      status: "fail",
      message: `Claude Code's ${events(here)} hook failed, run from ${folders(here)}: ` +
        `${here[0].detail}`,
      fix: `Run \`mpm --version\` with the mpm the hooks find; mpm hooks install --force ` +
        `restores ${script}, keeping a backup.`,
    });
  }
  const slow = of("slow");
  if (slow.length > 0) {
    checks.push({
      id: "hooks-run",
      status: "warn",
      message: `Claude Code's ${events(slow)} hooks did not finish within ${timeoutMs / 1000} s ` +
        `from ${folders(slow)} (mpm answers a probe in well under a second).`,
      fix: "Time the mpm the hooks find (`time mpm --version`); a slow disk or a wrapper " +
        "script in MPM_BIN delays every event.",
    });
  }
  if (checks.length === 0) {
    const slowest = Math.max(...runs.map((run) => run.run.ms));
    checks.push({
      id: "hooks-run",
      status: "ok",
      message: `Claude Code's hook commands reach mpm from ${folders(judged)}: ${events(judged)} ` +
        `(slowest ${slowest} ms).`,
    });
  }
  return checks;
}

export interface LineRun {
  folder: string;
  run: RunFacts;
}

/** The status line must end in time, exit 0 and show mpm's cached line where there is one. */
export function statusLineRunCheck(
  runs: readonly LineRun[],
  shown: string,
  cached: string | undefined,
  timeoutMs: number,
): Check | undefined {
  if (runs.length === 0) return undefined;
  const line = `The status line (from ${shown})`;
  const slow = runs.filter((r) => r.run.timedOut);
  if (slow.length > 0) {
    return {
      id: "statusline-run",
      status: "warn",
      message: `${line} did not finish within ${timeoutMs / 1000} s from ${
        folders(slow)
      }: Claude Code shows nothing while it runs.`,
      fix: "Make your own status line command faster: mpm's part only reads a cached line.",
    };
  }
  const failed = runs.find((r) => r.run.code !== 0);
  if (failed) {
    const detail = failed.run.stderr.trim().split("\n")[0] || "no message";
    return {
      id: "statusline-run",
      status: "warn",
      message: `${line} exits ${failed.run.code} from ${failed.folder} (${detail}).`,
      fix: `Run your own status line command from ${failed.folder} to see why; mpm's part ` +
        "never fails.",
    };
  }
  const bare = cached === undefined ? [] : runs.filter((r) => !r.run.stdout.includes(cached));
  if (bare.length > 0) {
    return {
      id: "statusline-run",
      status: "warn",
      message: `${line} does not show mpm's part from ${folders(bare)}.`,
      fix: "mpm hooks install (it puts mpm's part back after your own)",
    };
  }
  const slowest = Math.max(...runs.map((r) => r.run.ms));
  return {
    id: "statusline-run",
    status: "ok",
    message: `${line} runs from ${folders(runs)} (slowest ${slowest} ms).`,
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function events(runs: readonly { events: readonly string[] }[]): string {
  return unique(runs.flatMap((run) => run.events)).join(", ");
}

function scripts(runs: readonly { script: string }[]): string {
  return unique(runs.map((run) => run.script)).join(", ");
}

function folders(runs: readonly { folder: string }[]): string {
  return unique(runs.map((run) => run.folder)).join(" and ");
}

/** A command mpm writes into settings, and whether its script may be run (see wiredCommands). */
export interface KnownCommand {
  command: string;
  /** The script it runs, as shown. */
  script: string;
  /** Installed, executable, and the shipped text: running it runs nothing of the person's. */
  runnable: boolean;
}

/** mpm's wired commands, once each, whose script may be run (an edited one is not). */
export function wiredCommands(
  settings: readonly { hooks: readonly { event: string; command: string }[] }[],
  known: readonly KnownCommand[],
): { command: string; script: string; events: string[] }[] {
  const wired = new Map<string, { command: string; script: string; events: string[] }>();
  for (const { command, script, runnable } of known) {
    if (!runnable || wired.has(command)) continue;
    const events = unique(
      settings.flatMap((file) => file.hooks.filter((h) => h.command === command))
        .map((h) => h.event),
    );
    if (events.length > 0) wired.set(command, { command, script, events });
  }
  return [...wired.values()];
}
