/**
 * What the real clients of the end-to-end tests share (tests/claude_code/install.ts,
 * tests/codex/install.ts, tests/gemini/install.ts): each is an npm package pinned to one version,
 * found in a cache folder of its own or installed there from npm once. Each client's file says
 * what its package ships and where its program is; this one does the rest the same way for all:
 *
 * - the version: the pinned one, or a newer one the environment names, tried with the same tests;
 * - the cache: `$MPM_<CLIENT>_CACHE`, or `~/.cache/mpm-ci/<client>`, one folder a version;
 * - the install: `npm install --ignore-scripts` into a temp folder beside the version's, renamed
 *   into place, so test files installing at the same time never see half a package; a failed one
 *   leaves `<version>.failed` holding the reason, and for an hour every later test file skips at
 *   once with it, instead of each waiting on npm again;
 * - the script (`deno run -A tests/<client>/install.ts`, as `.ci/run` does): npm gets a fresh
 *   chance, and one line says the program's path or why the client is unavailable (exit 1);
 * - a test file's top level: the client, or one line saying why its tests are skipped.
 */
import { join } from "node:path";

/** Why the real client cannot run here, in one sentence. */
export interface Unavailable {
  skip: string;
}

/** A cold install fetches up to ~100 MB; a slow link gets five minutes before the tests give up. */
const INSTALL_TIMEOUT_MS = 300_000;
/** How long a failed install is believed before npm is asked again. */
const FAILURE_MEMORY_MS = 3_600_000;

/** `pinned`, or the version the environment's `variable` names (a newer client tried first). */
export function pinnedVersion(variable: string, pinned: string): string {
  const given = Deno.env.get(variable) ?? "";
  return /^\d+\.\d+\.\d+$/.test(given) ? given : pinned;
}

/** The folder that holds a client's installed versions: `$variable`, or one under ~/.cache. */
export function cacheDir(variable: string, name: string): string {
  const configured = Deno.env.get(variable);
  if (configured) return configured;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? Deno.cwd();
  return join(home, ".cache", "mpm-ci", name);
}

/** Runs `program ARGS` (with only `env`, if given); undefined when it cannot be started at all. */
export async function run(
  program: string,
  args: string[],
  timeoutMs: number,
  env?: Record<string, string>,
): Promise<Deno.CommandOutput | undefined> {
  try {
    return await new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
      ...(env ? { clearEnv: true, env } : {}),
    }).output();
  } catch {
    return undefined;
  }
}

/**
 * What `program ARGS` prints, trimmed, run with only the variables `env(home)` gives, in a HOME
 * of its own removed after (a client that writes there even for `--version`); "" when it fails.
 * Three minutes, a hang guard only: on a busy machine a slow start must not skip the tests.
 */
export async function printedInOwnHome(
  program: string,
  args: string[],
  env: (home: string) => Record<string, string>,
): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "mpm-client-version-" });
  try {
    const out = await run(program, args, 180_000, env(home));
    return out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

/** Whether a file (not a folder) is at `path`. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** One client as npm ships it. */
export interface NpmClient {
  /** How a person names it: "Claude Code", "Codex CLI", "Gemini CLI". */
  label: string;
  package: string;
  /** The folder of its versions (`cacheDir`). */
  cache: string;
  /** npm's flags beyond the ones every install takes (`--omit=optional`). */
  flags?: string[];
  /** Whether npm has a build of it for this machine: false skips without asking npm. */
  builtHere: boolean;
  /** Its program under an npm `--prefix`, or undefined: no npm, no process. */
  installed(prefix: string): Promise<string | undefined>;
}

/** The client's program at `version`: the cache's, else installed there from npm; or why not. */
export async function findOrInstall(
  client: NpmClient,
  version: string,
): Promise<string | Unavailable> {
  return await client.installed(join(client.cache, version)) ?? npmInstall(client, version);
}

/** npm's own sentence about what failed, without its "npm error" prefixes and key lines. */
export function npmReason(out: Deno.CommandOutput | undefined): string {
  if (!out) return "npm did not finish in time";
  const lines = new TextDecoder().decode(out.stderr).split("\n")
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, "").replace(/^notarget\s+/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("npm warn"))
    // "code ECONNREFUSED", "syscall connect": npm's key lines, not sentences.
    .filter((line) => !/^(code|syscall|errno|path|dest)\s+\S+$/.test(line));
  return lines[0] ?? `npm exited with code ${out.code}`;
}

async function recentFailure(marker: string): Promise<string | undefined> {
  try {
    const info = await Deno.stat(marker);
    if (Date.now() - (info.mtime?.getTime() ?? 0) > FAILURE_MEMORY_MS) return undefined;
    return (await Deno.readTextFile(marker)).trim();
  } catch {
    return undefined;
  }
}

async function npmInstall(client: NpmClient, version: string): Promise<string | Unavailable> {
  const { cache, label } = client;
  const marker = join(cache, `${version}.failed`);
  const remembered = await recentFailure(marker);
  if (remembered) return { skip: remembered };
  if (!client.builtHere) {
    return { skip: `${label} has no native build for ${Deno.build.os} ${Deno.build.arch}.` };
  }
  await Deno.mkdir(cache, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: cache, prefix: `.${version}-` });
  const out = await run("npm", [
    "install",
    "--prefix",
    staging,
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--no-save",
    ...(client.flags ?? []),
    "--loglevel=error",
    `${client.package}@${version}`,
  ], INSTALL_TIMEOUT_MS);
  const target = join(cache, version);
  if (out?.success && await client.installed(staging)) {
    try {
      await Deno.rename(staging, target);
    } catch {
      // Another test file finished first: its copy is as good as ours.
    }
  }
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  const path = await client.installed(target);
  if (path) {
    await Deno.remove(marker).catch(() => {});
    return path;
  }
  const reason = out === undefined && !(await run("npm", ["--version"], 10_000))?.success
    ? `npm is not available, so ${label} ${version} could not be installed.`
    : `npm could not install ${client.package}@${version} (${npmReason(out)}).`;
  await Deno.writeTextFile(marker, reason + "\n").catch(() => {});
  return { skip: reason };
}

/**
 * The install script's run: whatever failed before is forgotten (CI's setup asks npm afresh),
 * then one line, the program's path or why the client is unavailable, and exit code 1 for that.
 */
export async function installScript(
  client: Pick<NpmClient, "label" | "cache">,
  version: string,
  find: () => Promise<{ path: string } | Unavailable>,
): Promise<void> {
  await Deno.remove(join(client.cache, `${version}.failed`)).catch(() => {});
  const found = await find();
  console.log("skip" in found ? `${client.label} is unavailable: ${found.skip}` : found.path);
  if ("skip" in found) Deno.exitCode = 1;
}

/**
 * For a test file's top level: the client, or undefined after printing the one line that says
 * why every test of it in the file is skipped.
 */
export async function clientOrSkip<T extends { path: string }>(
  label: string,
  found: Promise<T | Unavailable>,
): Promise<T | undefined> {
  const client = await found;
  if ("path" in client) return client;
  console.log(`Skipping the real ${label} tests: ${client.skip}`);
  return undefined;
}
