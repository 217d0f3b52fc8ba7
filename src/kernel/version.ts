/**
 * The one place the version lives, and how a build names itself. What this build is (its id,
 * target and Deno) is read in src/cli/build_info.ts, which may look at the running process.
 */

export const VERSION = "0.1.0";

export interface BuildInfo {
  version: string;
  build: string;
  target: string;
  deno: string;
}

export function versionLine(info: BuildInfo): string {
  const build = info.build === "dev" ? "dev build" : `build ${info.build}`;
  return `mpm ${info.version} (${build}, deno ${info.deno}, target ${info.target})`;
}
