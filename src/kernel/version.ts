/**
 * The one place the version lives. The build id and target come from src/build_stamp.ts, which
 * scripts/build.ts fills in the copy it compiles; a run from the work tree is a dev build.
 */
import { STAMP } from "./build_stamp.ts";

export const VERSION = "0.1.0";

export interface BuildInfo {
  version: string;
  build: string;
  target: string;
  deno: string;
}

export function buildInfo(stamp: { build?: string; target?: string } = STAMP): BuildInfo {
  return {
    version: VERSION,
    build: stamp.build ?? "dev",
    target: stamp.target ?? `${Deno.build.arch}-${Deno.build.os}`,
    deno: Deno.version.deno,
  };
}

export function versionLine(info: BuildInfo): string {
  const build = info.build === "dev" ? "dev build" : `build ${info.build}`;
  return `mpm ${info.version} (${build}, deno ${info.deno}, target ${info.target})`;
}
