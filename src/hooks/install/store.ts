/**
 * The hook scripts installed under `.claude-mpm/hooks/`, and a manifest of what mpm wrote, so a
 * script the user edited is recognised. What the hooks write while they run is hooks/records/records.ts.
 */
import { basename, join } from "../../kernel/path.ts";
import * as z from "../../kernel/zod.ts";
import { HOOK_SCRIPTS, type HookScript } from "../../claude/hook_entries.ts";
import { SHIPPED_SCRIPTS } from "./scripts.ts";
import { sha256Hex } from "../../kernel/checksum.ts";
import { backupName } from "../records/names.ts";
import type { ScriptAction, ScriptState } from "./report.ts";
import { ensureDir, readTextIfExists, writeAtomic } from "../../disk/atomic.ts";
import type { ProjectPaths } from "../../disk/paths.ts";
import { createUnique } from "../records/unique_file.ts";

const IS_WINDOWS = Deno.build.os === "windows";
export const SCRIPT_MODE = 0o700;

export { createUnique };

export function scriptPath(paths: ProjectPaths, script: HookScript): string {
  return join(paths.hooks, `${script}.sh`);
}

/** The schema, built on first use (src/kernel/zod.ts says why). */
function buildSchemas() {
  /**
   * `.claude-mpm/hooks/.mpm-manifest.json`: the sha256 of each script as mpm last wrote it. A
   * script matching neither that nor the shipped text was edited by the user. A damaged manifest
   * reads as empty: at worst an old unedited script is taken for edited and kept.
   */
  const ManifestSchema = z.object({
    schema_version: z.literal(1),
    scripts: z.record(z.string(), z.object({ sha256: z.string(), installed_at: z.string() })),
  });

  return { ManifestSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

const storeSchemas: () => Schemas = z.builtOnce(buildSchemas);

type Manifest = z.infer<Schemas["ManifestSchema"]>;

function manifestPath(paths: ProjectPaths): string {
  return join(paths.hooks, ".mpm-manifest.json");
}

async function readManifest(paths: ProjectPaths): Promise<Manifest> {
  try {
    const text = await readTextIfExists(manifestPath(paths));
    if (text !== undefined) return storeSchemas().ManifestSchema.parse(JSON.parse(text));
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

export async function readScriptStates(paths: ProjectPaths): Promise<ScriptStatus[]> {
  const manifest = await readManifest(paths);
  return await Promise.all(HOOK_SCRIPTS.map(async (script) => {
    const path = scriptPath(paths, script);
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
 * execute bit), an edited script backed up under `.claude-mpm/backups/hooks/` before `--force`
 * replaces it. Returns the backups made.
 */
export async function installScripts(
  paths: ProjectPaths,
  plans: ScriptPlan[],
  now: Date,
): Promise<Partial<Record<HookScript, string>>> {
  await ensureDir(paths.hooks);
  const manifest = await readManifest(paths);
  const backups: Partial<Record<HookScript, string>> = {};
  for (const plan of plans) {
    if (plan.action === "kept") continue;
    if (plan.action === "replace") {
      const old = await Deno.readFile(plan.path);
      backups[plan.script] = await createUnique(
        join(paths.backups, "hooks"),
        (attempt) => backupName(plan.script, now, ".sh", attempt),
        old,
        paths.base,
      );
    }
    if (plan.action === "unchanged") await ensureMode(plan.path);
    else await writeExecutable(paths, plan.path, SHIPPED_SCRIPTS[plan.script]);
    const previous = manifest.scripts[plan.script];
    manifest.scripts[plan.script] = {
      sha256: sha256Hex(SHIPPED_SCRIPTS[plan.script]),
      installed_at: plan.action === "unchanged" && previous
        ? previous.installed_at
        : now.toISOString(),
    };
  }
  await writeManifest(paths, manifest);
  return backups;
}

/**
 * Removes the scripts mpm wrote and the user did not edit; an edited one stays. Returns what
 * went and what stayed.
 */
export async function removeScripts(
  paths: ProjectPaths,
): Promise<{ removed: HookScript[]; kept: HookScript[] }> {
  const states = await readScriptStates(paths);
  const manifest = await readManifest(paths);
  const removed: HookScript[] = [];
  const kept: HookScript[] = [];
  for (const { script, path, state } of states) {
    if (state === "missing") continue;
    if (state === "edited") {
      kept.push(script);
      continue;
    }
    await Deno.remove(path);
    delete manifest.scripts[script];
    removed.push(script);
  }
  if (Object.keys(manifest.scripts).length > 0) await writeManifest(paths, manifest);
  else await Deno.remove(manifestPath(paths)).catch(() => {});
  // The folder goes too when nothing of the user's is left in it.
  await Deno.remove(paths.hooks).catch(() => {});
  return { removed, kept };
}

async function writeManifest(paths: ProjectPaths, manifest: Manifest): Promise<void> {
  const sorted = Object.fromEntries(
    Object.entries(manifest.scripts).sort(([a], [b]) => a < b ? -1 : 1),
  );
  const text = JSON.stringify({ ...manifest, scripts: sorted }, null, 2) + "\n";
  await writeAtomic(manifestPath(paths), text, { root: paths.base });
}

async function writeExecutable(paths: ProjectPaths, path: string, text: string): Promise<void> {
  const random = crypto.getRandomValues(new Uint32Array(1))[0];
  const temp = join(paths.hooks, `.${basename(path)}.${Deno.pid}.${random}.new`);
  await writeAtomic(temp, text, { root: paths.base });
  try {
    if (!IS_WINDOWS) await Deno.chmod(temp, SCRIPT_MODE);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function ensureMode(path: string): Promise<void> {
  if (IS_WINDOWS) return;
  const info = await Deno.stat(path);
  if (((info.mode ?? 0) & 0o777) !== SCRIPT_MODE) await Deno.chmod(path, SCRIPT_MODE);
}
