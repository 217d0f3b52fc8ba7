/**
 * What this build is: its id comes from src/kernel/build_stamp.ts, which scripts/build/bundle.ts
 * fills in the copy it bundles (a run from the work tree is a dev build); its target is the
 * runtime's, which in a binary is the denort it was compiled with.
 */
import { STAMP } from "../kernel/build_stamp.ts";
import { type BuildInfo, VERSION } from "../kernel/version.ts";

export function buildInfo(stamp: { build?: string } = STAMP): BuildInfo {
  return {
    version: VERSION,
    build: stamp.build ?? "dev",
    target: Deno.build.target,
    deno: Deno.version.deno,
  };
}
