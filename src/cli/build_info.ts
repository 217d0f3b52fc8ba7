/** This build's id (stamped by the bundler; else a dev build) and the runtime's target. */
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
