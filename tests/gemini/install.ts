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
 * `<cache>/node-22/`. Installed as every client is (tests/npm_client.ts). `gemini --version` is
 * run with a HOME of its own (it writes `~/.gemini/` even then).
 *
 * Run as a script (`deno run -A tests/gemini/install.ts`, as `.ci/run` does), it installs and
 * prints one line: the program's path, or why Gemini CLI is unavailable (and exits 1).
 */
import { join } from "node:path";
import {
  cacheDir,
  clientOrSkip,
  findOrInstall as npmFindOrInstall,
  installScript,
  isFile,
  type NpmClient,
  pinnedVersion,
  printedInOwnHome,
  run,
  type Unavailable,
} from "../npm_client.ts";

export type { Unavailable };

/** The version every end-to-end test runs, or `MPM_GEMINI_VERSION` (a newer one, tried first). */
export const GEMINI_VERSION = pinnedVersion("MPM_GEMINI_VERSION", "0.61.0");

const PACKAGE = "@google/gemini-cli";
const LABEL = "Gemini CLI";
/** The oldest Node the package's `engines` accepts. */
const NODE_MAJOR = 20;
/** The Node installed from npm where the machine's is older. */
const NODE_PACKAGE = "node@22";
/** npm's install of Node fetches ~30 MB; a slow link gets five minutes before the tests give up. */
const INSTALL_TIMEOUT_MS = 300_000;

export interface GeminiCli {
  /** The Node that runs it. */
  node: string;
  /** `bundle/gemini.js`. */
  path: string;
  version: string;
}

/** The folder that holds installed versions: `$MPM_GEMINI_CACHE`, or one under ~/.cache. */
export function geminiCacheDir(): string {
  return cacheDir("MPM_GEMINI_CACHE", "gemini");
}

function bundleIn(prefix: string): string {
  return join(prefix, "node_modules", "@google", "gemini-cli", "bundle", "gemini.js");
}

function npmClient(): NpmClient {
  return {
    label: LABEL,
    package: PACKAGE,
    cache: geminiCacheDir(),
    // Its native dependencies are optional, and it runs without them.
    flags: ["--omit=optional"],
    builtHere: true,
    installed: async (prefix) => await isFile(bundleIn(prefix)) ? bundleIn(prefix) : undefined,
  };
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
  const printed = await printedInOwnHome(node, [path, "--version"], (home) => ({
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    GEMINI_CLI_NO_RELAUNCH: "true",
  }));
  if (printed !== version) {
    return { skip: `Gemini CLI ${version} in ${path} does not run on this machine.` };
  }
  return { node, path, version };
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
  const node = await nodeProgram(geminiCacheDir());
  if (typeof node !== "string") return node;
  const path = await npmFindOrInstall(npmClient(), version);
  return typeof path === "string" ? checkRuns(node, path, version) : path;
}

if (import.meta.main) {
  await installScript(npmClient(), GEMINI_VERSION, () => geminiCli());
}

/**
 * For a test file's top level: the client, or undefined after printing the one line that says
 * why every Gemini CLI test in the file is skipped. Use as `const gemini = await geminiOrSkip();`
 * and `ignore: !gemini` in each `Deno.test`.
 */
export function geminiOrSkip(): Promise<GeminiCli | undefined> {
  return clientOrSkip(LABEL, geminiCli());
}
