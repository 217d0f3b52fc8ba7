/**
 * `mpm doctor`'s judgement of the installed hook scripts against the settings that run them (pure).
 */
import { isRecord as isObject } from "../../kernel/check.ts";
import type { Check } from "./judge.ts";
import { shellQuote } from "../../kernel/format/text.ts";

export interface HookPair {
  event: string;
  command: string;
}

/** Every (event, command) pair a Claude Code settings document holds under `hooks`. */
export function settingsCommands(settings: unknown): HookPair[] {
  const pairs: HookPair[] = [];
  const hooks = (settings as { hooks?: unknown } | null)?.hooks;
  if (!isObject(hooks)) return pairs;
  for (const [event, blocks] of Object.entries(hooks)) {
    if (!Array.isArray(blocks)) continue;
    for (const block of blocks) {
      const list = isObject(block) ? block.hooks : undefined;
      if (!Array.isArray(list)) continue;
      for (const hook of list) {
        if (isObject(hook) && typeof hook.command === "string") {
          pairs.push({ event, command: hook.command });
        }
      }
    }
  }
  return pairs;
}

export interface ScriptFacts {
  script: string;
  /** Absolute path, for a chmod fix. */
  path: string;
  installed: boolean;
  executable: boolean;
  /** Against this mpm's script: the same, another mpm's install here, edited, or nobody's. */
  state?: "current" | "outdated" | "edited" | "foreign";
}

export interface SettingsFacts {
  scope: string;
  /** As shown to the user (`.claude/settings.local.json`, `~/.claude/settings.json`). */
  shown: string;
  exists: boolean;
  /** Why the file could not be read as JSON, with its line and column. */
  error?: string;
  /** What an unreadable file holds of mpm's (Claude Code ignores it whole). */
  mpmInside?: string;
  /** Git tracks it (or a link on its way): the repository's, come with the clone. */
  repository?: boolean;
  hooks: HookPair[];
}

export interface WantedHook extends HookPair {
  script: string;
}

const INSTALL = "mpm hooks install";

/** Installed scripts against the settings running them; half an install fails. */
export function hookChecks(
  scripts: readonly ScriptFacts[],
  settings: readonly SettingsFacts[],
  wanted: readonly WantedHook[],
  /** The scripts' folder as shown: the project's, or the user's (`~/.claude/mpm/hooks`). */
  dir = ".claude-mpm/hooks",
): Check[] {
  const checks: Check[] = settings.filter((file) => file.error).map(unreadableCheck);
  // What an unreadable file held of mpm's is said by its own check, once.
  const hidden = settings.some((file) => file.error && file.mpmInside);
  const wiredIn = (pair: WantedHook) =>
    settings.filter((file) =>
      file.hooks.some((h) => h.event === pair.event && h.command === pair.command)
    ).map((file) => file.shown);
  const commands = new Set(wanted.map((w) => w.command));
  const anyWired = settings.some((file) => file.hooks.some((h) => commands.has(h.command)));
  const installed = scripts.some((s) => s.installed);
  if (!anyWired && !installed && hidden) return checks;
  const clone = anyWired && !installed ? teammateClone(settings, commands) : undefined;
  if (clone !== undefined) return [...checks, clone];
  if (!anyWired && !installed) {
    checks.push({
      id: "hooks",
      status: "info",
      message: "Claude Code hooks are not set up (optional: they pause and resume automatically).",
      fix: INSTALL,
    });
    return checks;
  }
  // What `mpm hooks uninstall` leaves on purpose: scripts the user edited, run by nothing.
  const kept = scripts.filter((s) => s.installed);
  const foreign = kept.filter((s) => s.state === "foreign");
  const notSetUp = (list: readonly ScriptFacts[], why: string, fix: (it: string) => string) => {
    const names = list.map((s) => `${dir}/${s.script}.sh`);
    const [it, was] = names.length === 1 ? ["it", "was"] : ["them", "were"];
    const message = `Claude Code hooks are not set up; ${names.join(", ")} ${was} ` +
      why.replaceAll("IT", it);
    return [...checks, { id: "hooks", status: "info" as const, message, fix: fix(it) }];
  };
  if (!anyWired && foreign.length > 0 && kept.every((s) => s.state !== "current")) {
    // A cloned repository's scripts, run by nothing here: not the person's, and not a fault.
    return notSetUp(
      foreign,
      "not written by mpm on this machine (the repository's?): not trusted, and nothing runs IT.",
      () => `${INSTALL} (it replaces them with mpm's own, keeping a backup)`,
    );
  }
  if (!anyWired && kept.every((s) => s.state === "edited")) {
    return notSetUp(
      kept,
      "kept because you edited IT, and nothing runs IT.",
      (it) => `Delete ${it} if no longer wanted, or ${INSTALL}`,
    );
  }
  const unreadable = settings.filter((file) => file.error).map((file) => file.shown);
  const where = new Set<string>();
  let problems = 0;
  const fail = (message: string, fix: string) => {
    problems++;
    checks.push({ id: "hooks", status: "fail", message, fix });
  };
  for (const script of scripts) {
    const shown = `${dir}/${script.script}.sh`;
    const entries = wanted.filter((w) => w.script === script.script);
    const wired = entries.filter((e) => wiredIn(e).length > 0);
    const unwired = entries.filter((e) => wiredIn(e).length === 0);
    for (const entry of wired) for (const file of wiredIn(entry)) where.add(file);
    if (!script.installed) {
      // mpm's commands find no script and do nothing.
      fail(
        wired.length > 0
          ? `${shown} is missing, but ${wiredIn(wired[0]).join(" and ")} still runs it on ${
            eventList(wired)
          }; those events do nothing.`
          : `${shown} is missing while other mpm hooks are installed.`,
        `${INSTALL} (or \`mpm hooks uninstall\` to remove mpm's entries)`,
      );
      continue;
    }
    if (!script.executable) {
      fail(`${shown} is not executable.`, `chmod 700 ${shellQuote(script.path)}`);
    }
    if (unwired.length > 0 && hidden) {
      // They are in the file that cannot be read, whose own check says so.
      problems++;
    } else if (unwired.length > 0 && unreadable.length > 0) {
      // The entries may well be in the file that cannot be read; install would refuse it too.
      fail(
        `${shown} is installed but no readable settings file runs it on ${eventList(unwired)} (${
          unreadable.join(" and ")
        } cannot be read).`,
        `Fix ${unreadable[0]} first, then ${INSTALL} if it is still needed.`,
      );
    } else if (unwired.length > 0) {
      fail(
        `${shown} is installed but no settings file runs it on ${eventList(unwired)}.`,
        `${INSTALL} (it adds only what is missing)`,
      );
    }
    if (script.state === "outdated") {
      checks.push({
        id: "hooks",
        status: "warn",
        message: `${shown} is another mpm's version of the script.`,
        fix: `${INSTALL} (it updates scripts you did not edit)`,
      });
    } else if (script.state === "foreign") {
      // Not the person's: no install of this machine's wrote it (hooks/install/scripts/script_state.ts).
      fail(
        `${shown} was not written by mpm on this machine (a cloned repository's?): not trusted, ` +
          "and doctor does not run it; Claude Code would, where a settings file runs it.",
        `${INSTALL} (it replaces it with mpm's own, keeping a backup)`,
      );
    } else if (script.state === "edited") {
      checks.push({
        id: "hooks",
        status: "info",
        message: `${shown} differs from the shipped script (your own lines?); mpm leaves it be.`,
        fix: `${INSTALL} --force replaces it, keeping a backup`,
      });
    }
  }
  if (problems === 0) {
    checks.push({
      id: "hooks",
      status: "ok",
      message: `Claude Code hooks: ${scripts.length} scripts installed and wired in ${
        [...where].join(", ")
      }.`,
    });
  }
  return checks;
}

/** An unreadable settings file: a failure where it holds mpm's entries, else a warning. */
function unreadableCheck(file: SettingsFacts): Check {
  return file.mpmInside
    ? {
      id: "settings",
      status: "fail",
      message: `${file.shown} cannot be read: ${file.error} Claude Code ignores it whole, so ` +
        `mpm's ${file.mpmInside} in it ${
          file.mpmInside === "status line" ? "does" : "do"
        } not run.`,
      fix: `Fix ${file.shown} by hand (JSON allows no comments or trailing commas).`,
    }
    : {
      id: "settings",
      status: "warn",
      message: `${file.shown} cannot be read: ${file.error}`,
      fix: `Fix ${file.shown} by hand; Claude Code ignores a settings file it cannot parse.`,
    };
}

/** A teammate's clone (tracked settings wire mpm, no script here): a note, not a failure. */
function teammateClone(
  settings: readonly SettingsFacts[],
  current: ReadonlySet<string>,
): Check | undefined {
  const wiring = settings.filter((file) => file.hooks.some((h) => current.has(h.command)));
  if (wiring.length === 0 || !wiring.every((file) => file.repository)) return undefined;
  return {
    id: "hooks",
    status: "warn",
    message:
      `${
        wiring.map((file) => file.shown).join(" and ")
      } (the repository's) wires mpm's hooks, but they are not installed in this clone: they do ` +
      "nothing here yet.",
    fix: INSTALL,
  };
}

function eventList(entries: readonly HookPair[]): string {
  return [...new Set(entries.map((e) => e.event))].join(", ");
}
