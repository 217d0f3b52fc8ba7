/**
 * `deno task bundle`: mpm as one JavaScript file, `dist/mpm.js`, that `deno run` runs anywhere.
 * npm packages and the text-imported hooks and templates are inside it, so it needs neither the
 * source tree nor deno.json. It is built from a stamped copy of the source (see build.ts), so it
 * reports its build id; the target is whatever runs it.
 *
 *   deno task bundle [--out FILE] [--minify]
 */
import { parseArgs } from "node:util";
import { join, relative, resolve } from "node:path";
import { DIST } from "./build.ts";
import { buildId, denoIn, lockFlags, stampedCopy } from "./stamp.ts";

export const BUNDLE_FLAGS = ["--platform=deno", "--packages=bundle", "--format=esm"];

export async function bundle(out: string, minify = false): Promise<number> {
  await using copy = await stampedCopy({ build: await buildId() });
  await Deno.mkdir(join(out, ".."), { recursive: true });
  const result = await denoIn(copy.path, [
    "bundle",
    ...lockFlags(),
    ...BUNDLE_FLAGS,
    ...(minify ? ["--minify"] : []),
    "--output",
    out,
    "main.ts",
  ]);
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).replaceAll(`${copy.path}/`, "")
      .split(/\n\s*Stack backtrace:/)[0].trim();
    throw new Error(`deno bundle failed:\n${stderr}`);
  }
  return (await Deno.stat(out)).size;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string" }, minify: { type: "boolean" } },
  });
  const out = resolve(values.out ?? join(DIST, "mpm.js"));
  try {
    const size = await bundle(out, values.minify);
    const shown = relative(Deno.cwd(), out);
    console.log(`Wrote ${shown.startsWith("..") ? out : shown} (${(size / 1024).toFixed(0)} KB).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
