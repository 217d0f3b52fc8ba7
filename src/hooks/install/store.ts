/**
 * The hook scripts installed in a scripts folder — the project's `.claude-mpm/hooks/` (local and
 * project settings) or the user's `<Claude config dir>/mpm/hooks/` (user settings: a folder of
 * the user's, never a project's; claude/settings/hook_entries.ts) — and a manifest of what mpm
 * wrote there, so a script the user edited is recognised. Both folders follow the same rules. What
 * the hooks write while they run is sessions/store/claude/records.ts.
 */
import { join } from "../../kernel/path.ts";
import { checkValue, literal, object, type Out, record, string } from "../../kernel/check.ts";
import { HOOK_SCRIPTS, type HookScript, userHooksDir } from "../../claude/settings/hook_entries.ts";
import { SHIPPED_SCRIPTS } from "./scripts.ts";
import { sha256Hex } from "../../kernel/hashing/checksum.ts";
import { backupName } from "../../sessions/store/claude/names.ts";
import type { ScriptAction, ScriptState } from "./report.ts";
import { createUnique, ensureDir, readTextIfExists, writeAtomic } from "../../disk/files/atomic.ts";
import { removeEntry, removeQuietly, setMode, writeExecutable } from "../../disk/files/entries.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

const IS_WINDOWS = Deno.build.os === "windows";
export const SCRIPT_MODE = 0o700;

/** A scripts folder: where the scripts and their manifest are, and where backups go. */
export interface ScriptHome {
  /** The scripts' folder. */
  dir: string;
  /** Where `--force` keeps a copy of a script the user edited. */
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

/**
 * `<scripts folder>/.mpm-manifest.json`: the sha256 of each script as mpm last wrote it. A script
 * matching neither that nor the shipped text was edited by the user. A damaged manifest reads as
 * empty: at worst an old unedited script is taken for edited and kept.
 */
const scriptsManifestCheck = object({
  schema_version: literal(1),
  /** Each script by its name, with the sha256 mpm wrote and when it wrote it. */
  scripts: record(string(), object({ sha256: string(), installed_at: string() }, "strip")),
}, "strip");

type Manifest = Out<typeof scriptsManifestCheck>;

function manifestPath(home: ScriptHome): string {
  return join(home.dir, ".mpm-manifest.json");
}

async function readManifest(home: ScriptHome): Promise<Manifest> {
  try {
    const text = await readTextIfExists(manifestPath(home));
    if (text !== undefined) {
      const checked = checkValue(scriptsManifestCheck, JSON.parse(text));
      if (checked.ok) return checked.value;
    }
  } catch {
    // Damaged: see above.
  }
  return { schema_version: 1, scripts: {} };
}

/** installed: the shipped text; outdated: what an older mpm wrote; edited: changed by the user. */
export type { ScriptAction, ScriptState };

export interface ScriptStatus {
  script: HookScript;
  path: string;
  state: ScriptState;
}

export async function readScriptStates(home: ScriptHome): Promise<ScriptStatus[]> {
  const manifest = await readManifest(home);
  return await Promise.all(HOOK_SCRIPTS.map(async (script) => {
    const path = scriptPath(home, script);
    const text = await readTextIfExists(path).catch(() => undefined);
    let state: ScriptState = "missing";
    if (text !== undefined) {
      const sha = sha256Hex(text);
      if (sha === sha256Hex(SHIPPED_SCRIPTS[script])) state = "installed";
      else if (sha === manifest.scripts[script]?.sha256) state = "outdated";
      else state = "edited";
    }
    return { script, path, state };
  }));
}

export interface ScriptPlan extends ScriptStatus {
  action: ScriptAction;
}

/** write: new; update: replaces mpm's older text; kept: the user's edit stays (no --force). */
export function planScripts(states: ScriptStatus[], force: boolean): ScriptPlan[] {
  const actions: Record<ScriptState, ScriptAction> = {
    missing: "write",
    installed: "unchanged",
    outdated: "update",
    edited: force ? "replace" : "kept",
  };
  return states.map((status) => ({ ...status, action: actions[status.state] }));
}

/**
 * Carries out a plan: scripts written atomically with mode 0700 (never a moment without the
 * execute bit), an edited script backed up (`.claude-mpm/backups/hooks/`, or the user folder's
 * `backups/hooks/`) before `--force` replaces it. Returns the backups made.
 */
export async function installScripts(
  home: ScriptHome,
  plans: ScriptPlan[],
  now: Date,
): Promise<Partial<Record<HookScript, string>>> {
  await ensureDir(home.dir);
  const manifest = await readManifest(home);
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
    if (plan.action === "unchanged") await ensureMode(plan.path);
    else {
      await writeExecutable(plan.path, SHIPPED_SCRIPTS[plan.script], SCRIPT_MODE, {
        root: home.root,
      });
    }
    const previous = manifest.scripts[plan.script];
    manifest.scripts[plan.script] = {
      sha256: sha256Hex(SHIPPED_SCRIPTS[plan.script]),
      installed_at: plan.action === "unchanged" && previous
        ? previous.installed_at
        : now.toISOString(),
    };
  }
  await writeManifest(home, manifest);
  return backups;
}

/**
 * Removes the scripts mpm wrote and the user did not edit; an edited one stays. Returns what
 * went and what stayed.
 */
export async function removeScripts(
  home: ScriptHome,
): Promise<{ removed: HookScript[]; kept: HookScript[] }> {
  const states = await readScriptStates(home);
  const manifest = await readManifest(home);
  const removed: HookScript[] = [];
  const kept: HookScript[] = [];
  for (const { script, path, state } of states) {
    if (state === "missing") continue;
    if (state === "edited") {
      kept.push(script);
      continue;
    }
    await removeEntry(path);
    delete manifest.scripts[script];
    removed.push(script);
  }
  if (Object.keys(manifest.scripts).length > 0) await writeManifest(home, manifest);
  else await removeQuietly(manifestPath(home));
  // The folder goes too when nothing of the user's is left in it.
  await removeQuietly(home.dir);
  return { removed, kept };
}

async function writeManifest(home: ScriptHome, manifest: Manifest): Promise<void> {
  const sorted = Object.fromEntries(
    Object.entries(manifest.scripts).sort(([a], [b]) => a < b ? -1 : 1),
  );
  const text = JSON.stringify({ ...manifest, scripts: sorted }, null, 2) + "\n";
  await writeAtomic(manifestPath(home), text, { root: home.root });
}

async function ensureMode(path: string): Promise<void> {
  if (IS_WINDOWS) return;
  const info = await Deno.stat(path);
  if (((info.mode ?? 0) & 0o777) !== SCRIPT_MODE) await setMode(path, SCRIPT_MODE);
}
