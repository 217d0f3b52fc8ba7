/**
 * Runs what Claude Code will run — each wired hook command and the status line — as Claude Code
 * runs it (claude/settings/program/run_as_claude.ts): its environment with the settings' `env`
 * merged, CLAUDE_PROJECT_DIR the folder it starts in, from the project's root and from a subfolder,
 * all at once, each stopped after a bound. What the runs show is judged in
 * doctor/judges/judge_wired.ts.
 *
 * Nothing is changed: a hook gets an event no mpm hook serves; SessionStart's once-per-project
 * note where mpm or its scripts are missing cannot be remembered (its cache folder is
 * /dev/null), so the person is still told; the status line runs with mpm itself standing aside.
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

/**
 * The folders Claude Code may start in: the root, and the folder doctor runs in when it is below
 * the root, else the root's first plain subfolder (not hidden, not a repository or project of
 * its own).
 */
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

/**
 * The environment Claude Code gives its hooks and status line: its own (the one doctor runs in),
 * the settings' `env` over it — `texts` highest first (managed, local, project, user), the higher
 * winning — without what only the plugin's hooks are given.
 */
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
  let settings: unknown;
  try {
    settings = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return {};
  }
  const given = (settings as { env?: unknown } | undefined)?.env;
  if (typeof given !== "object" || given === null || Array.isArray(given)) return {};
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (["string", "number", "boolean"].includes(typeof value)) env[name] = String(value);
  }
  return env;
}

/**
 * Deno's cache folder as the person's environment has it (DENO_DIR, else under XDG_CACHE_HOME or
 * ~/.cache): set explicitly, so that a probe's XDG_CACHE_HOME does not move it.
 */
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
        // Nothing remembered: SessionStart's note to install mpm is the person's to see. A
        // `deno run` of mpm (a source checkout's) keeps its own cache where it was.
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

/**
 * How many hook probes run at once: each starts an mpm, and eight starting together on a
 * two-core machine take longer each than the bound allows; four finish all eight in about the
 * time of two.
 */
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

/**
 * The status line from every folder, at once. mpm itself stands aside (`true` in its place):
 * `mpm statusline` records the window of the Claude session it is given, and the hooks' probes
 * already show whether mpm is found.
 */
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
