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
 * `<cache>` is `$MPM_CLAUDE_CACHE` or `~/.cache/mpm-ci/claude-code`. How it is installed there, and
 * how a failed install is remembered, is tests/npm_client.ts, the same for every client.
 *
 * Run as a script (`deno run -A tests/claude_code/install.ts`, as `.ci/run` does), it installs
 * and prints one line: the binary's path, or why Claude Code is unavailable (and exits 1).
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
  run,
  type Unavailable,
} from "../npm_client.ts";

export type { Unavailable };

/**
 * The version every end-to-end test runs: the newest on npm when the harness was written, or
 * `MPM_CLAUDE_CODE_VERSION` (a newer client tried with the same tests before it is pinned).
 */
export const CLAUDE_CODE_VERSION = pinnedVersion("MPM_CLAUDE_CODE_VERSION", "2.1.330");

const PACKAGE = "@anthropic-ai/claude-code";
const LABEL = "Claude Code";

export interface ClaudeCode {
  /** The native executable. */
  path: string;
  version: string;
}

/** The folder that holds installed versions: `$MPM_CLAUDE_CACHE`, or one under ~/.cache. */
export function claudeCacheDir(): string {
  return cacheDir("MPM_CLAUDE_CACHE", "claude-code");
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
    if (await isFile(path)) return path;
  }
  return undefined;
}

function npmClient(): NpmClient {
  return {
    label: LABEL,
    package: PACKAGE,
    cache: claudeCacheDir(),
    builtHere: platformPackages().length > 0,
    installed: installedBinary,
  };
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
  const path = await npmFindOrInstall(npmClient(), version);
  return typeof path === "string" ? checkRuns(path, version) : path;
}

if (import.meta.main) {
  await installScript(npmClient(), CLAUDE_CODE_VERSION, () => claudeCode());
}

/**
 * For a test file's top level: the binary's path, or undefined after printing the one line
 * that says why every Claude Code test in the file is skipped. Use as
 * `const claude = await claudeOrSkip();` and `ignore: !claude` in each `Deno.test`.
 */
export async function claudeOrSkip(): Promise<string | undefined> {
  return (await clientOrSkip(LABEL, claudeCode()))?.path;
}
