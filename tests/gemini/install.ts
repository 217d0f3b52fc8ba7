/**
 * The real Gemini CLI for the end-to-end tests: found in a cache folder, or installed there from
 * npm once, pinned to one version so every run talks to the same client.
 *
 * What npm ships (checked on 0.61.0): `@google/gemini-cli` is one bundled Node program
 * (`bundle/gemini.js`, its `bin`, ~100 MB with its chunks) and no dependencies but optional
 * native ones (node-pty, keytar), which it runs without. Its `engines` asks for Node >= 20. So we
 * install with `--ignore-scripts` and run `node bundle/gemini.js`: the `node` on PATH when it is
 * 20 or newer, else one installed into the same cache from npm's `node` package (`node@22`,
 * whose install script fetches the platform's Node from npm).
 *
 * Layout: `<cache>/<version>/node_modules/@google/gemini-cli/bundle/gemini.js`, where `<cache>`
 * is `$MPM_GEMINI_CACHE` or `~/.cache/mpm-ci/gemini`; a Node of its own, when needed, in
 * `<cache>/node-22/`. Installs go into a temp folder beside it and are renamed into place; a
 * failed install leaves `<version>.failed` for an hour. `gemini --version` is run with a HOME of
 * its own (it writes `~/.gemini/` even then).
 *
 * Run as a script (`deno run -A tests/gemini/install.ts`, as `.ci/run` does), it installs and
 * prints one line: the program's path, or why Gemini CLI is unavailable (and exits 1).
 */
import { join } from "node:path";

/** The version every end-to-end test runs, or `MPM_GEMINI_VERSION` (a newer one, tried first). */
export const GEMINI_VERSION = /^\d+\.\d+\.\d+$/.test(Deno.env.get("MPM_GEMINI_VERSION") ?? "")
  ? Deno.env.get("MPM_GEMINI_VERSION")!
  : "0.61.0";

const PACKAGE = "@google/gemini-cli";
/** The oldest Node the package's `engines` accepts. */
const NODE_MAJOR = 20;
/** The Node installed from npm where the machine's is older. */
const NODE_PACKAGE = "node@22";
/** A cold install downloads ~25 MB; a slow link gets five minutes before the tests give up. */
const INSTALL_TIMEOUT_MS = 300_000;
/** How long a failed install is believed before npm is asked again. */
const FAILURE_MEMORY_MS = 3_600_000;

export interface GeminiCli {
  /** The Node that runs it. */
  node: string;
  /** `bundle/gemini.js`. */
  path: string;
  version: string;
}

/** Why the real client cannot run here, in one sentence. */
export interface Unavailable {
  skip: string;
}

/** The folder that holds installed versions: `$MPM_GEMINI_CACHE`, or one under ~/.cache. */
export function geminiCacheDir(): string {
  const configured = Deno.env.get("MPM_GEMINI_CACHE");
  if (configured) return configured;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? Deno.cwd();
  return join(home, ".cache", "mpm-ci", "gemini");
}

function bundleIn(prefix: string): string {
  return join(prefix, "node_modules", "@google", "gemini-cli", "bundle", "gemini.js");
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Runs `program ARGS`; undefined when it cannot be started at all. */
async function run(
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

/** A Node at least NODE_MAJOR: this machine's, or one from npm in the cache. */
async function nodeProgram(cache: string): Promise<string | Unavailable> {
  for (const node of ["node", join(cache, "node-22", "node_modules", "node", "bin", "node")]) {
    const out = await run(node, ["--version"], 30_000);
    const major = Number(/^v(\d+)\./.exec(new TextDecoder().decode(out?.stdout))?.[1] ?? 0);
    if (out?.success && major >= NODE_MAJOR) return node;
  }
  await Deno.mkdir(cache, { recursive: true });
  // The `node` package's install script fetches the platform's Node (an npm package too).
  const out = await run("npm", [
    "install",
    "--prefix",
    join(cache, "node-22"),
    "--no-audit",
    "--no-fund",
    "--no-save",
    "--loglevel=error",
    NODE_PACKAGE,
  ], INSTALL_TIMEOUT_MS);
  const node = join(cache, "node-22", "node_modules", "node", "bin", "node");
  if (out?.success && (await run(node, ["--version"], 30_000))?.success) return node;
  return { skip: `there is no Node ${NODE_MAJOR} or newer, and npm could not install one.` };
}

/** `node gemini.js --version` in a home of its own prints the version: it runs here. */
async function checkRuns(
  node: string,
  path: string,
  version: string,
): Promise<GeminiCli | Unavailable> {
  const home = await Deno.makeTempDir({ prefix: "mpm-gemini-version-" });
  let printed = "";
  try {
    const out = await run(node, [path, "--version"], 180_000, {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home,
      GEMINI_CLI_NO_RELAUNCH: "true",
    });
    printed = out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
  if (printed !== version) {
    return { skip: `Gemini CLI ${version} in ${path} does not run on this machine.` };
  }
  return { node, path, version };
}

/** npm's own sentence about what failed, without its "npm error" prefixes and key lines. */
function npmReason(out: Deno.CommandOutput | undefined): string {
  if (!out) return "npm did not finish in time";
  const lines = new TextDecoder().decode(out.stderr).split("\n")
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, "").replace(/^notarget\s+/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("npm warn"))
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

async function npmInstall(cache: string, version: string): Promise<string | Unavailable> {
  const marker = join(cache, `${version}.failed`);
  const remembered = await recentFailure(marker);
  if (remembered) return { skip: remembered };
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
    "--omit=optional",
    "--loglevel=error",
    `${PACKAGE}@${version}`,
  ], INSTALL_TIMEOUT_MS);
  const target = join(cache, version);
  if (out?.success && await isFile(bundleIn(staging))) {
    try {
      await Deno.rename(staging, target);
    } catch {
      // Another test file finished first: its copy is as good as ours.
    }
  }
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  if (await isFile(bundleIn(target))) {
    await Deno.remove(marker).catch(() => {});
    return bundleIn(target);
  }
  const reason = out === undefined && !(await run("npm", ["--version"], 10_000))?.success
    ? `npm is not available, so Gemini CLI ${version} could not be installed.`
    : `npm could not install ${PACKAGE}@${version} (${npmReason(out)}).`;
  await Deno.writeTextFile(marker, reason + "\n").catch(() => {});
  return { skip: reason };
}

let pending: Promise<GeminiCli | Unavailable> | undefined;

/**
 * The pinned Gemini CLI, installed from npm on first use; `{skip}` when it cannot be had.
 * Already installed, it costs a stat and one `gemini --version`, and no npm.
 */
export function geminiCli(version = GEMINI_VERSION): Promise<GeminiCli | Unavailable> {
  if (version !== GEMINI_VERSION) return findOrInstall(version);
  pending ??= findOrInstall(version);
  return pending;
}

async function findOrInstall(version: string): Promise<GeminiCli | Unavailable> {
  const cache = geminiCacheDir();
  const node = await nodeProgram(cache);
  if (typeof node !== "string") return node;
  const bundle = bundleIn(join(cache, version));
  const path = await isFile(bundle) ? bundle : await npmInstall(cache, version);
  return typeof path === "string" ? checkRuns(node, path, version) : path;
}

if (import.meta.main) {
  // Asked directly (CI's setup), npm gets a fresh chance whatever failed before.
  await Deno.remove(join(geminiCacheDir(), `${GEMINI_VERSION}.failed`)).catch(() => {});
  const found = await geminiCli();
  console.log("skip" in found ? `Gemini CLI is unavailable: ${found.skip}` : found.path);
  if ("skip" in found) Deno.exitCode = 1;
}

/**
 * For a test file's top level: the client, or undefined after printing the one line that says
 * why every Gemini CLI test in the file is skipped. Use as `const gemini = await geminiOrSkip();`
 * and `ignore: !gemini` in each `Deno.test`.
 */
export async function geminiOrSkip(): Promise<GeminiCli | undefined> {
  const found = await geminiCli();
  if ("path" in found) return found;
  console.log(`Skipping the real Gemini CLI tests: ${found.skip}`);
  return undefined;
}
