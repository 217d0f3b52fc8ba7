/**
 * The real Codex CLI for the end-to-end tests: found in a cache folder, or installed there from
 * npm once, pinned to one version so every run talks to the same client.
 *
 * What npm ships (checked on 0.169.0): `@openai/codex` is a Node launcher (`bin/codex.js`) whose
 * optionalDependencies are one native package per platform, each an alias of a tagged version
 * of the same package (`@openai/codex-linux-x64` → `@openai/codex@0.169.0-linux-x64`,
 * `-linux-arm64`, `-darwin-x64`, `-darwin-arm64`, `-win32-x64`, `-win32-arm64`). The platform
 * package holds `vendor/<target triple>/bin/codex` (a static musl build on Linux, ~200 MB) with
 * `codex-path/rg` beside it. The launcher only picks that file and execs it, so we install with
 * `--ignore-scripts` and run the native binary directly: no Node at run time.
 *
 * Layout: `<cache>/<version>/node_modules/@openai/codex-<platform>/vendor/<triple>/bin/codex`,
 * where `<cache>` is `$MPM_CODEX_CACHE` or `~/.cache/mpm-ci/codex`, installed as every client is
 * (tests/npm_client.ts). Even `codex --version` writes under `$CODEX_HOME`: it is run with a HOME
 * of its own.
 *
 * Run as a script (`deno run -A tests/codex/install.ts`, as `.ci/run` does), it installs and
 * prints one line: the binary's path, or why Codex CLI is unavailable (and exits 1).
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
  type Unavailable,
} from "../npm_client.ts";

export type { Unavailable };

/**
 * The version every end-to-end test runs: the newest on npm when the harness was written, or
 * `MPM_CODEX_VERSION` (a newer client tried with the same tests before it is pinned).
 */
export const CODEX_VERSION = pinnedVersion("MPM_CODEX_VERSION", "0.169.0");

const PACKAGE = "@openai/codex";
const LABEL = "Codex CLI";

export interface CodexCli {
  /** The native executable. */
  path: string;
  version: string;
}

/** The folder that holds installed versions: `$MPM_CODEX_CACHE`, or one under ~/.cache. */
export function codexCacheDir(): string {
  return cacheDir("MPM_CODEX_CACHE", "codex");
}

/** The platform package and binary of this machine, if Codex has a build for it. */
function platformPackages(): { name: string; binary: string }[] {
  const triples: Record<string, [string, string]> = {
    "linux-x86_64": ["linux-x64", "x86_64-unknown-linux-musl"],
    "linux-aarch64": ["linux-arm64", "aarch64-unknown-linux-musl"],
    "darwin-x86_64": ["darwin-x64", "x86_64-apple-darwin"],
    "darwin-aarch64": ["darwin-arm64", "aarch64-apple-darwin"],
    "windows-x86_64": ["win32-x64", "x86_64-pc-windows-msvc"],
    "windows-aarch64": ["win32-arm64", "aarch64-pc-windows-msvc"],
  };
  const triple = triples[`${Deno.build.os}-${Deno.build.arch}`];
  if (!triple) return [];
  const exe = Deno.build.os === "windows" ? "codex.exe" : "codex";
  return [{ name: `${PACKAGE}-${triple[0]}`, binary: join("vendor", triple[1], "bin", exe) }];
}

/** The binary installed under `prefix` (npm's `--prefix`), or undefined. No npm, no process. */
async function installedBinary(prefix: string): Promise<string | undefined> {
  for (const pkg of platformPackages()) {
    const path = join(prefix, "node_modules", pkg.name, pkg.binary);
    if (await isFile(path)) return path;
  }
  return undefined;
}

function npmClient(): NpmClient {
  return {
    label: LABEL,
    package: PACKAGE,
    cache: codexCacheDir(),
    builtHere: platformPackages().length > 0,
    installed: installedBinary,
  };
}

/** The binary's own `--version` ("codex-cli 0.169.0"), in a home of its own: it runs here. */
async function checkRuns(path: string, version: string): Promise<CodexCli | Unavailable> {
  const printed = await printedInOwnHome(path, ["--version"], (home) => ({
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    CODEX_HOME: home,
  }));
  if (printed !== `codex-cli ${version}`) {
    return { skip: `the Codex CLI ${version} binary in ${path} does not run on this machine.` };
  }
  return { path, version };
}

let pending: Promise<CodexCli | Unavailable> | undefined;

/**
 * The pinned Codex CLI, installed from npm on first use; `{skip}` when it cannot be had.
 * Already installed, it costs a stat and one `codex --version`, and no npm.
 */
export function codexCli(version = CODEX_VERSION): Promise<CodexCli | Unavailable> {
  if (version !== CODEX_VERSION) return findOrInstall(version);
  pending ??= findOrInstall(version);
  return pending;
}

async function findOrInstall(version: string): Promise<CodexCli | Unavailable> {
  const path = await npmFindOrInstall(npmClient(), version);
  return typeof path === "string" ? checkRuns(path, version) : path;
}

if (import.meta.main) {
  await installScript(npmClient(), CODEX_VERSION, () => codexCli());
}

/**
 * For a test file's top level: the binary's path, or undefined after printing the one line
 * that says why every Codex CLI test in the file is skipped. Use as
 * `const codex = await codexOrSkip();` and `ignore: !codex` in each `Deno.test`.
 */
export async function codexOrSkip(): Promise<string | undefined> {
  return (await clientOrSkip(LABEL, codexCli()))?.path;
}
