/**
 * The real Claude Code for the end-to-end tests: found in a cache folder, or installed there from
 * npm once, pinned to one version so every run talks to the same client.
 *
 * What npm ships (checked on 2.1.330): `@anthropic-ai/claude-code` is a thin wrapper whose
 * optionalDependencies are one native package per platform (`@anthropic-ai/claude-code-linux-x64`,
 * `-linux-x64-musl`, `-linux-arm64`, `-darwin-arm64`, `-win32-x64`…; npm picks the one whose
 * `os`/`cpu`/`libc` match). The platform package holds the whole program, a single ~380 MB
 * executable named `claude` (`claude.exe` on Windows). The wrapper's postinstall only hard-links
 * that file over its own `bin/claude.exe` placeholder. So we install with `--ignore-scripts` and
 * run the platform package's executable directly: no Node at run time, nothing fetched after the
 * install (the client itself needs no network with `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`).
 *
 * Layout: `<cache>/<version>/node_modules/@anthropic-ai/claude-code-<platform>/claude`, where
 * `<cache>` is `$MPM_CLAUDE_CACHE` or `~/.cache/mpm-ci/claude-code`. An install goes into a temp
 * folder beside it and is renamed into place, so test files installing at the same time never see
 * half a package. A failed install leaves `<version>.failed` holding the reason: for an hour
 * every later test file skips at once with it, instead of each waiting on npm again.
 *
 * Run as a script (`deno run -A tests/claude_code/install.ts`, as `.ci/run` does), it installs
 * and prints one line: the binary's path, or why Claude Code is unavailable (and exits 1).
 */
import { join } from "node:path";

/**
 * The version every end-to-end test runs: the newest on npm when the harness was written, or
 * `MPM_CLAUDE_CODE_VERSION` (a newer client tried with the same tests before it is pinned).
 */
export const CLAUDE_CODE_VERSION =
  /^\d+\.\d+\.\d+$/.test(Deno.env.get("MPM_CLAUDE_CODE_VERSION") ?? "")
    ? Deno.env.get("MPM_CLAUDE_CODE_VERSION")!
    : "2.1.330";

const PACKAGE = "@anthropic-ai/claude-code";
/** A cold install downloads ~100 MB; a slow link gets five minutes before the tests give up. */
const INSTALL_TIMEOUT_MS = 300_000;
/** How long a failed install is believed before npm is asked again. */
const FAILURE_MEMORY_MS = 3_600_000;

export interface ClaudeCode {
  /** The native executable. */
  path: string;
  version: string;
}

/** Why the real client cannot run here, in one sentence. */
export interface Unavailable {
  skip: string;
}

/** The folder that holds installed versions: `$MPM_CLAUDE_CACHE`, or one under ~/.cache. */
export function claudeCacheDir(): string {
  const configured = Deno.env.get("MPM_CLAUDE_CACHE");
  if (configured) return configured;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? Deno.cwd();
  return join(home, ".cache", "mpm-ci", "claude-code");
}

/** The platform packages that may hold this machine's binary, most likely first. */
function platformPackages(): { name: string; binary: string }[] {
  const arch = { x86_64: "x64", aarch64: "arm64" }[Deno.build.arch as string];
  const os = { linux: "linux", darwin: "darwin", windows: "win32" }[Deno.build.os as string];
  if (!arch || !os) return [];
  const base = `${PACKAGE}-${os}-${arch}`;
  if (os === "win32") return [{ name: base, binary: "claude.exe" }];
  // npm chose between glibc and musl by the machine's libc; whichever it installed is right.
  const names = os === "linux" ? [base, `${base}-musl`] : [base];
  return names.map((name) => ({ name, binary: "claude" }));
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

/** The binary's own `--version` ("2.1.330 (Claude Code)"): proves it runs on this machine. */
async function checkRuns(path: string, version: string): Promise<ClaudeCode | Unavailable> {
  // A hang guard only (three minutes, as tests/helpers.ts HANG_GUARD_MS, which this script, also
  // run alone, does not load): on a busy machine a slow start must not skip the Claude Code tests.
  const out = await run(path, ["--version"], 180_000);
  const printed = out ? new TextDecoder().decode(out.stdout).trim() : "";
  if (!out?.success || !printed.startsWith(version)) {
    return { skip: `the Claude Code ${version} binary in ${path} does not run on this machine.` };
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

async function npmInstall(cache: string, version: string): Promise<ClaudeCode | Unavailable> {
  const marker = join(cache, `${version}.failed`);
  const remembered = await recentFailure(marker);
  if (remembered) return { skip: remembered };
  if (platformPackages().length === 0) {
    return { skip: `Claude Code has no native build for ${Deno.build.os} ${Deno.build.arch}.` };
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
    ? `npm is not available, so Claude Code ${version} could not be installed.`
    : `npm could not install ${PACKAGE}@${version} (${npmReason(out)}).`;
  await Deno.writeTextFile(marker, reason + "\n").catch(() => {});
  return { skip: reason };
}

let pending: Promise<ClaudeCode | Unavailable> | undefined;

/**
 * The pinned Claude Code, installed from npm on first use; `{skip}` when it cannot be had.
 * Already installed, it costs a stat and one `claude --version` (~20 ms), and no npm.
 */
export function claudeCode(version = CLAUDE_CODE_VERSION): Promise<ClaudeCode | Unavailable> {
  if (version !== CLAUDE_CODE_VERSION) return findOrInstall(version);
  pending ??= findOrInstall(version);
  return pending;
}

async function findOrInstall(version: string): Promise<ClaudeCode | Unavailable> {
  const cache = claudeCacheDir();
  const path = await installedBinary(join(cache, version));
  return path ? checkRuns(path, version) : npmInstall(cache, version);
}

if (import.meta.main) {
  // Asked directly (CI's setup), npm gets a fresh chance whatever failed before.
  await Deno.remove(join(claudeCacheDir(), `${CLAUDE_CODE_VERSION}.failed`)).catch(() => {});
  const found = await claudeCode();
  console.log("skip" in found ? `Claude Code is unavailable: ${found.skip}` : found.path);
  if ("skip" in found) Deno.exitCode = 1;
}

/**
 * For a test file's top level: the binary's path, or undefined after printing the one line
 * that says why every Claude Code test in the file is skipped. Use as
 * `const claude = await claudeOrSkip();` and `ignore: !claude` in each `Deno.test`.
 */
export async function claudeOrSkip(): Promise<string | undefined> {
  const found = await claudeCode();
  if ("path" in found) return found.path;
  console.log(`Skipping the real Claude Code tests: ${found.skip}`);
  return undefined;
}
