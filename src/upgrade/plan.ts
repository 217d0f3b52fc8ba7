/** `mpm upgrade`'s decisions without I/O: where releases are, which file, its sum, newer or not. */
import { UsageError } from "../kernel/errors.ts";
import { quoted } from "../kernel/format/text.ts";

/** The one command that installs mpm (the README, the plugin's texts, SessionStart's line). */
export const INSTALL_COMMAND =
  "curl -fsSLO https://github.com/mpm-dev/mpm/releases/latest/download/install.sh && sh install.sh";

/** Where install.sh downloads from, unless MPM_INSTALL_BASE says otherwise. */
export const RELEASES = "https://github.com/mpm-dev/mpm/releases/latest/download";

/**
 * The release's folder: MPM_INSTALL_BASE (as install.sh reads it), else the latest; one not
 * `https://`, `http://` or `file://` is refused by name.
 */
export function releaseBase(vars: Readonly<Record<string, string>>): string {
  const given = vars.MPM_INSTALL_BASE?.trim();
  if (!given) return RELEASES;
  const base = given.replace(/\/+$/, "");
  const url = URL.parse(base);
  const usable = url !== null &&
    (url.protocol === "file:" || (/^https?:$/.test(url.protocol) && url.host !== ""));
  if (!usable) {
    throw new UsageError(
      `MPM_INSTALL_BASE is not an address mpm can download from: ${quoted(given)}.`,
      "Set it to the folder of a release's files as a whole address (https://…/download or " +
        "file:///…), or unset it for the latest release.",
    );
  }
  return base;
}

/** The release file for a Deno target, as scripts/build/build.ts names it. */
export function assetFor(target: string): string {
  return `mpm-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/** The sha256 SHA256SUMS gives `asset` (`sha256sum` lines, `*` for binary mode), if any. */
export function checksumIn(sums: string, asset: string): string | undefined {
  for (const line of sums.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64}) [ *](\S+)$/.exec(line.trim());
    if (match && match[2] === asset) return match[1].toLowerCase();
  }
  return undefined;
}

/** The version in an `mpm --version` line (`mpm 0.2.0 (build …)`), if it is one. */
export function versionOf(line: string): string | undefined {
  return /^mpm (\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?) \(/.exec(line.trim())?.[1];
}

/** The version the addresses a download went through name (`…/download/v1.2.0/…`), if any. */
export function releaseNamed(via: readonly string[]): string | undefined {
  for (const url of via) {
    const path = url.replace(/[?#].*$/, "");
    const version = /\/v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\/[^/]+$/.exec(path)?.[1];
    if (version) return version;
  }
  return undefined;
}

/** Semantic-version order: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = a.split("-", 2);
  const [coreB, preB] = b.split("-", 2);
  const numsA = coreA.split(".").map(Number);
  const numsB = coreB.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (numsA[i] !== numsB[i]) return numsA[i] - numsB[i];
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

/** Why `mpm upgrade` does not replace the program at `execPath` (Deno, a package's), if so. */
export function notReplaceable(execPath: string): string | undefined {
  const path = execPath.replaceAll("\\", "/");
  if (runByDeno(execPath)) {
    return "mpm runs here through `deno run`, so there is no mpm binary to replace; update " +
      "the source (git pull), or install the binary";
  }
  const managed: [RegExp, string][] = [
    [/\/Cellar\/|\/homebrew\//i, "Homebrew (brew upgrade mpm)"],
    [/^\/nix\/store\//, "Nix"],
    [/\/node_modules\//, "npm"],
    [/^\/(usr|opt)\/(bin|sbin|lib)\//, "the system's package manager"],
    [/\/scoop\/apps\//i, "Scoop (scoop update mpm)"],
  ];
  for (const [pattern, manager] of managed) {
    if (pattern.test(path)) {
      return `${execPath} was installed by ${manager}; upgrade it with that, so its records ` +
        "stay true";
    }
  }
  return undefined;
}

/** Whether the program at `execPath` is Deno: mpm run from its source or its bundle. */
export function runByDeno(execPath: string): boolean {
  const path = execPath.replaceAll("\\", "/");
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return name === "deno" || name === "deno.exe";
}
