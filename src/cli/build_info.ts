/**
 * What this build is: its id and target come from src/kernel/build_stamp.ts, which
 * scripts/build.ts fills in the copy it compiles; a run from the work tree is a dev build.
 */
import { STAMP } from "../kernel/build_stamp.ts";
import { type BuildInfo, VERSION } from "../kernel/version.ts";

export function buildInfo(stamp: { build?: string; target?: string } = STAMP): BuildInfo {
  return {
    version: VERSION,
    build: stamp.build ?? "dev",
    target: stamp.target ?? `${Deno.build.arch}-${Deno.build.os}`,
    deno: Deno.version.deno,
  };
}
