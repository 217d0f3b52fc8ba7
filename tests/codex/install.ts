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
 * where `<cache>` is `$MPM_CODEX_CACHE` or `~/.cache/mpm-ci/codex`. Installs go into a temp folder
 * beside it and are renamed into place; a failed install leaves `<version>.failed` for an hour.
 * Even `codex --version` writes under `$CODEX_HOME`: it is run with a HOME of its own.
 *
 * Run as a script (`deno run -A tests/codex/install.ts`, as `.ci/run` does), it installs and
 * prints one line: the binary's path, or why Codex CLI is unavailable (and exits 1).
 */
import { join } from "node:path";

/**
 * The version every end-to-end test runs: the newest on npm when the harness was written, or
 * `MPM_CODEX_VERSION` (a newer client tried with the same tests before it is pinned).
 */
export const CODEX_VERSION = /^\d+\.\d+\.\d+$/.test(Deno.env.get("MPM_CODEX_VERSION") ?? "")
  ? Deno.env.get("MPM_CODEX_VERSION")!
  : "0.169.0";

const PACKAGE = "@openai/codex";
/** A cold install downloads ~100 MB; a slow link gets five minutes before the tests give up. */
const INSTALL_TIMEOUT_MS = 300_000;
/** How long a failed install is believed before npm is asked again. */
const FAILURE_MEMORY_MS = 3_600_000;

export interface CodexCli {
  /** The native executable. */
  path: string;
  version: string;
}

/** Why the real client cannot run here, in one sentence. */
export interface Unavailable {
  skip: string;
}

/** The folder that holds installed versions: `$MPM_CODEX_CACHE`, or one under ~/.cache. */
export function codexCacheDir(): string {
  const configured = Deno.env.get("MPM_CODEX_CACHE");
  if (configured) return configured;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? Deno.cwd();
  return join(home, ".cache", "mpm-ci", "codex");
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
    try {
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // Not this flavour.
    }
  }
  return undefined;
}

/** Runs `program ARGS`; undefined when it cannot be started at all. */
async function run(
  program: string,
  args: string[],
  timeoutMs: number,
): Promise<Deno.CommandOutput | undefined> {
  try {
    return await new Deno.Command(program, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
  } catch {
    return undefined;
  }
}

/** The binary's own `--version` ("codex-cli 0.169.0"), in a home of its own: it runs here. */
async function checkRuns(path: string, version: string): Promise<CodexCli | Unavailable> {
  const home = await Deno.makeTempDir({ prefix: "mpm-codex-version-" });
  let printed = "";
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      clearEnv: true,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, CODEX_HOME: home },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // A hang guard only, as for Claude Code.
      signal: AbortSignal.timeout(180_000),
    }).output().catch(() => undefined);
    printed = out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
  if (printed !== `codex-cli ${version}`) {
    return { skip: `the Codex CLI ${version} binary in ${path} does not run on this machine.` };
  }
  return { path, version };
}

/** npm's own sentence about what failed, without its "npm error" prefixes and key lines. */
function npmReason(out: Deno.CommandOutput | undefined): string {
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

async function npmInstall(cache: string, version: string): Promise<CodexCli | Unavailable> {
  const marker = join(cache, `${version}.failed`);
  const remembered = await recentFailure(marker);
  if (remembered) return { skip: remembered };
  if (platformPackages().length === 0) {
    return { skip: `Codex CLI has no native build for ${Deno.build.os} ${Deno.build.arch}.` };
  }
  await Deno.mkdir(cache, { recursive: true });
  const staging = await Deno.makeTempDir({ dir: cache, prefix: `.${version}-` });
  const out = await run(
    "npm",
    [
      "install",
      "--prefix",
      staging,
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--no-save",
      "--loglevel=error",
      `${PACKAGE}@${version}`,
    ],
    INSTALL_TIMEOUT_MS,
  );
  const target = join(cache, version);
  if (out?.success && await installedBinary(staging)) {
    try {
      await Deno.rename(staging, target);
    } catch {
      // Another test file finished first: its copy is as good as ours.
    }
  }
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  const path = await installedBinary(target);
  if (path) {
    await Deno.remove(marker).catch(() => {});
    return checkRuns(path, version);
  }
  const reason = out === undefined && !(await run("npm", ["--version"], 10_000))?.success
    ? `npm is not available, so Codex CLI ${version} could not be installed.`
    : `npm could not install ${PACKAGE}@${version} (${npmReason(out)}).`;
  await Deno.writeTextFile(marker, reason + "\n").catch(() => {});
  return { skip: reason };
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
  const cache = codexCacheDir();
  const path = await installedBinary(join(cache, version));
  return path ? checkRuns(path, version) : npmInstall(cache, version);
}

if (import.meta.main) {
  // Asked directly (CI's setup), npm gets a fresh chance whatever failed before.
  await Deno.remove(join(codexCacheDir(), `${CODEX_VERSION}.failed`)).catch(() => {});
  const found = await codexCli();
  console.log("skip" in found ? `Codex CLI is unavailable: ${found.skip}` : found.path);
  if ("skip" in found) Deno.exitCode = 1;
}

/**
 * For a test file's top level: the binary's path, or undefined after printing the one line
 * that says why every Codex CLI test in the file is skipped. Use as
 * `const codex = await codexOrSkip();` and `ignore: !codex` in each `Deno.test`.
 */
export async function codexOrSkip(): Promise<string | undefined> {
  const found = await codexCli();
  if ("path" in found) return found.path;
  console.log(`Skipping the real Codex CLI tests: ${found.skip}`);
  return undefined;
}
