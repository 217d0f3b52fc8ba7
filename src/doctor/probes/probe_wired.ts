/**
 * Runs each wired hook command and the status line as Claude Code would, from the root and a
 * subfolder, changing nothing.
 */
import { join, relative } from "../../kernel/path.ts";
import { runAsClaudeCode } from "../../claude/settings/program/run_as_claude.ts";
import {
  type HookRun,
  type LineRun,
  probePayload,
  probeStatusInput,
} from "../judges/judge_wired.ts";
import { exists } from "../../disk/read/stat.ts";
import { jsonObject } from "../../hooks/install/settings/settings_file.ts";

/** Each probe's bound: a hook that takes longer delays Claude Code; doctor must stay quick. */
export const PROBE_TIMEOUT_MS = 2_000;

/** The bound, or another from MPM_DOCTOR_PROBE_MS (a loaded test machine). */
export function probeTimeout(vars: Readonly<Record<string, string>>): number {
  const raw = vars.MPM_DOCTOR_PROBE_MS;
  return raw !== undefined && /^\d{1,6}$/.test(raw) && Number(raw) > 0
    ? Number(raw)
    : PROBE_TIMEOUT_MS;
}

export interface ProbeFolder {
  /** As shown: "the project root", "src/". */
  label: string;
  path: string;
}

/** The root, and doctor's folder below it or else the root's first plain subfolder. */
export async function probeFolders(
  root: string,
  cwd: string,
  rootLabel = "the project root",
): Promise<ProbeFolder[]> {
  const folders = [{ label: rootLabel, path: root }];
  const below = relative(root, cwd);
  if (below !== "" && !below.startsWith("..")) {
    return [...folders, { label: `${below}/`, path: cwd }];
  }
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory && !entry.name.startsWith(".")) names.push(entry.name);
    }
  } catch {
    return folders;
  }
  for (const name of names.sort()) {
    const path = join(root, name);
    if (await exists(join(path, ".git")) || await exists(join(path, ".claude-mpm"))) continue;
    return [...folders, { label: `${name}/`, path }];
  }
  return folders;
}

/** Claude Code's environment for hooks, settings' `env` over it, no plugin-only variables. */
export function claudeCodeEnv(
  vars: Readonly<Record<string, string>>,
  texts: readonly (string | undefined)[],
): Record<string, string> {
  const env: Record<string, string> = { ...vars };
  delete env.CLAUDE_PLUGIN_ROOT;
  delete env.MPM_FROM_PLUGIN;
  for (const text of [...texts].reverse()) Object.assign(env, settingsEnv(text));
  return env;
}

/** A settings file's `env`: its names with string, number or boolean values, as strings. */
export function settingsEnv(text: string | undefined): Record<string, string> {
  const given = jsonObject(text)?.env;
  if (typeof given !== "object" || given === null || Array.isArray(given)) return {};
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (["string", "number", "boolean"].includes(typeof value)) env[name] = String(value);
  }
  return env;
}

/** Deno's cache folder, set explicitly so a probe's XDG_CACHE_HOME does not move it. */
export function denoCache(env: Readonly<Record<string, string>>): Record<string, string> {
  if (env.DENO_DIR) return {};
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return base === undefined ? {} : { DENO_DIR: join(base, "deno") };
}

export interface WiredCommand {
  command: string;
  events: readonly string[];
  script: string;
}

/** Every wired command from every folder, at once. */
export async function probeHooks(
  wired: readonly WiredCommand[],
  folders: readonly ProbeFolder[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<HookRun[]> {
  const jobs = wired.flatMap(({ command, events, script }) =>
    folders.map((folder) => async (): Promise<HookRun> => ({
      events,
      script,
      folder: folder.label,
      run: await runAsClaudeCode(command, {
        cwd: folder.path,
        // Nothing remembered; a `deno run` of mpm keeps its own cache where it was.
        env: {
          ...env,
          CLAUDE_PROJECT_DIR: folder.path,
          XDG_CACHE_HOME: "/dev/null",
          ...denoCache(env),
        },
        stdin: probePayload(folder.path),
        timeoutMs,
      }),
    }))
  );
  return await inPool(jobs, HOOKS_AT_ONCE);
}

/** Eight mpm starts at once on two cores overrun the bound; four finish in the time of two. */
const HOOKS_AT_ONCE = 4;

/** The jobs' results in their order, at most `size` running at once. */
async function inPool<T>(jobs: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const at = next++;
      results[at] = await jobs[at]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return results;
}

/** The status line from every folder at once, mpm standing aside (`true`). */
export async function probeStatusLine(
  command: string,
  folders: readonly ProbeFolder[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<LineRun[]> {
  return await Promise.all(folders.map(async (folder): Promise<LineRun> => ({
    folder: folder.label,
    run: await runAsClaudeCode(command, {
      cwd: folder.path,
      env: { ...env, CLAUDE_PROJECT_DIR: folder.path, MPM_BIN: "true" },
      stdin: probeStatusInput(folder.path),
      timeoutMs,
    }),
  })));
}
