/**
 * The hook scripts in a scripts folder and the sealed record of what this machine's install wrote
 * there.
 */
import { dirname, join } from "../../kernel/path.ts";
import {
  HOOK_SCRIPTS,
  type HookScript,
  userHooksDir,
} from "../../claude/settings/hooks/hook_entries.ts";
import { SHIPPED_SCRIPTS } from "./scripts/scripts.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { backupName } from "../../sessions/store/claude/names.ts";
import type { ScriptAction, ScriptState } from "./scripts/report.ts";
import { confine } from "../../disk/files/confine/confine.ts";
import { createUnique } from "../../disk/files/atomic.ts";
import { ensureDir } from "../../disk/files/confine/folders.ts";
import { lstatIfExists } from "../../disk/read/stat.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import {
  removeEntry,
  removeQuietly,
  renameEntry,
  setMode,
  writeExecutable,
} from "../../disk/files/entries.ts";
import { MpmError } from "../../kernel/errors.ts";
import { readInstallRecord, writeInstallRecord } from "./settings/install_record.ts";
import { judgeScript, type ScriptFound } from "./scripts/script_state.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

const IS_WINDOWS = Deno.build.os === "windows";
export const SCRIPT_MODE = 0o700;

/** A scripts folder: where the scripts and their manifest are, and where backups go. */
export interface ScriptHome {
  /** The scripts' folder. */
  dir: string;
  /** Where install keeps a script it replaces: one the person edited (`--force`), a stranger's. */
  backups: string;
  /** The folder no write may leave. */
  root: string;
}

/** The project's scripts, run by its local and project settings. */
export function projectScriptHome(paths: ProjectPaths): ScriptHome {
  return { dir: paths.hooks, backups: join(paths.backups, "hooks"), root: paths.base };
}

/** The user's scripts, run by the user settings: `<Claude config dir>/mpm/hooks/`. */
export function userScriptHome(configDir: string): ScriptHome {
  const dir = userHooksDir(configDir);
  const root = join(dir, "..");
  return { dir, backups: join(root, "backups", "hooks"), root };
}

export function scriptPath(home: ScriptHome, script: HookScript): string {
  return join(home.dir, `${script}.sh`);
}

/** installed, outdated, edited, foreign: see script_state.ts. */
export type { ScriptAction, ScriptState };

export interface ScriptStatus {
  script: HookScript;
  path: string;
  state: ScriptState;
}

/** A script larger than this is not one of mpm's (they are a few KB). */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** What is at a script's path: a plain file is read, anything else is not. */
async function foundAt(path: string): Promise<ScriptFound> {
  try {
    const info = await lstatIfExists(path);
    if (info === undefined) return "missing";
    if (!info.isFile) return "not-a-file";
    const text = await readTextIfExists(path, MAX_SCRIPT_BYTES);
    return text === undefined ? "missing" : { sha256: sha256Hex(text) };
  } catch {
    // Unreadable or too large: not a script of mpm's, and not one to run.
    return "not-a-file";
  }
}

export async function readScriptStates(home: ScriptHome): Promise<ScriptStatus[]> {
  const record = await readInstallRecord(home.dir);
  return await Promise.all(HOOK_SCRIPTS.map(async (script) => {
    const path = scriptPath(home, script);
    const recorded = record.scripts[script]?.sha256;
    const shipped = sha256Hex(SHIPPED_SCRIPTS[script]);
    return { script, path, state: judgeScript(await foundAt(path), recorded, shipped) };
  }));
}

export interface ScriptPlan extends ScriptStatus {
  action: ScriptAction;
}

/** write, update, kept (the person's edit, no --force), untrusted (moved to the backups). */
export function planScripts(states: ScriptStatus[], force: boolean): ScriptPlan[] {
  const actions: Record<ScriptState, ScriptAction> = {
    missing: "write",
    installed: "unchanged",
    outdated: "update",
    edited: force ? "replace" : "kept",
    foreign: "untrusted",
  };
  return states.map((status) => ({ ...status, action: actions[status.state] }));
}

/**
 * Carries out a plan: scripts written atomically at 0700, the person's edit or a stranger's moved
 * to the backups first. Records what it wrote; returns the backups.
 */
export async function installScripts(
  home: ScriptHome,
  plans: ScriptPlan[],
  now: Date,
  created: readonly string[] = [],
): Promise<Partial<Record<HookScript, string>>> {
  await ensureDir(home.dir);
  // A scripts folder behind a committed link is refused before anything is written.
  await confine(home.root, home.dir);
  const record = await readInstallRecord(home.dir);
  const backups: Partial<Record<HookScript, string>> = {};
  for (const plan of plans) {
    if (plan.action === "kept") continue;
    if (plan.action === "replace") {
      const old = await Deno.readFile(plan.path);
      backups[plan.script] = await createUnique(
        home.backups,
        (attempt) => backupName(plan.script, now, ".sh", attempt),
        old,
        home.root,
      );
    }
    if (plan.action === "untrusted") backups[plan.script] = await moveAside(home, plan, now);
    if (plan.action === "unchanged") await ensureMode(plan.path);
    else {
      await writeExecutable(plan.path, SHIPPED_SCRIPTS[plan.script], SCRIPT_MODE, {
        root: home.root,
      });
    }
    const previous = record.scripts[plan.script];
    record.scripts[plan.script] = {
      sha256: sha256Hex(SHIPPED_SCRIPTS[plan.script]),
      installed_at: plan.action === "unchanged" && previous
        ? previous.installed_at
        : now.toISOString(),
    };
  }
  await writeInstallRecord(
    home.dir,
    { ...record, created: [...record.created, ...created] },
    home.root,
  );
  return backups;
}

/** Moves a stranger's script to the backups, unread and unfollowed, not executable. */
async function moveAside(home: ScriptHome, plan: ScriptPlan, now: Date): Promise<string> {
  await ensureDir(home.backups);
  const folder = await confine(home.root, home.backups);
  for (let attempt = 1; attempt <= 1000; attempt++) {
    const to = join(folder, backupName(plan.script, now, ".sh", attempt));
    if (await lstatIfExists(to)) continue;
    await renameEntry(plan.path, to);
    if ((await lstatIfExists(to))?.isFile) await setMode(to, 0o600);
    return to;
  }
  throw new MpmError(`Could not find a free file name in ${folder}.`);
}

/** Removes the unedited scripts mpm wrote, then install's emptied folders up to `upTo`. */
export async function removeScripts(
  home: ScriptHome,
  folders: { made: ReadonlySet<string>; upTo: string } = { made: new Set(), upTo: home.root },
): Promise<{ removed: HookScript[]; kept: HookScript[]; foreign: HookScript[] }> {
  const states = await readScriptStates(home);
  const record = await readInstallRecord(home.dir);
  const removed: HookScript[] = [];
  const kept: HookScript[] = [];
  const foreign: HookScript[] = [];
  for (const { script, path, state } of states) {
    if (state === "missing") continue;
    if (state === "edited" || state === "foreign") {
      (state === "edited" ? kept : foreign).push(script);
      continue;
    }
    await removeEntry(path);
    delete record.scripts[script];
    removed.push(script);
  }
  const left = kept.length + foreign.length > 0;
  const made = left ? [] : foldersUp(home.dir, folders.upTo).filter((at) => folders.made.has(at));
  // Forgotten with the scripts, so the record leaves their folder empty.
  record.created = record.created.filter((path) => !made.includes(path));
  await writeInstallRecord(home.dir, record, home.root);
  // The folder goes too when nothing of the person's is left in it.
  await removeQuietly(home.dir);
  for (const at of made) {
    if (at === home.dir) continue;
    // A link in its place is not the folder install made; removeQuietly takes only an empty one.
    if (!(await lstatIfExists(at))?.isDirectory || !(await removeQuietly(at))) break;
  }
  return { removed, kept, foreign };
}

/** `dir` and the folders above it, innermost first, up to (not including) `upTo`. */
function foldersUp(dir: string, upTo: string): string[] {
  const folders: string[] = [];
  for (let at = dir; at !== upTo && at !== dirname(at); at = dirname(at)) folders.push(at);
  return folders;
}

async function ensureMode(path: string): Promise<void> {
  if (IS_WINDOWS) return;
  const info = await Deno.stat(path);
  if (((info.mode ?? 0) & 0o777) !== SCRIPT_MODE) await setMode(path, SCRIPT_MODE);
}
