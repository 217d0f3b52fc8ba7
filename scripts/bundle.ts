/**
 * `deno task bundle`: mpm as JavaScript that `deno run` runs anywhere: `dist/mpm.js`, and beside
 * it `dist/mpm-chunks/`, the code each command loads when it is chosen. npm packages and the
 * text-imported hooks and templates are inside, so it needs neither the source tree nor
 * deno.json. It is built from a stamped copy of the source (see build.ts), so it reports its
 * build id; the target is whatever runs it.
 *
 *   deno task bundle [--out FILE] [--no-minify] [--single-file]
 *
 * Minified by default: Deno parses every byte a command loads, and minified chunks (1.0 MB of
 * chunks instead of 1.4 MB) made each hook ~4-7 ms quicker here (issue 17, 15 interleaved rounds,
 * medians over an empty file). `--no-minify` keeps names and comments, to read the output.
 *
 * Why chunks: Deno reads and parses every byte of the file it runs before running any of it,
 * about 35 ms per MB here whatever the code does, so the one-file bundle (1.6 MB; `deno bundle`
 * inlines a dynamic import as a lazily-run wrapper in the same file) costs ~60 ms over an empty
 * file even for `mpm --version`. Code-split, a run parses only its command's chunks (see the
 * figures in README.md, "Speed"). `--single-file` still writes the one file, for comparison.
 *
 * Why the chunks' dynamic imports are spelled `import(["./mpm-chunks", "x.js"].join("/"))`: when
 * Deno starts a module it also reads and parses every module a *literal* `import("…")` names
 * (and theirs), loaded or not — for mpm's 1.5 MB of command chunks, ~8 ms on every run. A
 * computed specifier is resolved only when the import runs, so `mpm --version` reads no chunk
 * it does not run. (`deno compile` works from the source, where the literals stay.)
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, relative, resolve } from "node:path";
import { DIST } from "./build.ts";
import { buildId, denoIn, lockFlags, stampedCopy } from "./stamp.ts";

export const BUNDLE_FLAGS = ["--platform=deno", "--packages=bundle", "--format=esm"];

/** The folder of chunks that goes with the entry file `out`: `dist/mpm.js` → `dist/mpm-chunks`. */
export function chunksFolder(out: string): string {
  return join(dirname(out), `${basename(out, ".js")}-chunks`);
}

/** Writes the bundle; returns the bytes written (entry and chunks). */
export async function bundle(out: string, minify = true, singleFile = false): Promise<number> {
  await using copy = await stampedCopy({ build: await buildId() });
  await Deno.mkdir(dirname(out), { recursive: true });
  const split = join(copy.path, ".bundle");
  const result = await denoIn(copy.path, [
    "bundle",
    ...lockFlags(),
    ...BUNDLE_FLAGS,
    ...(minify ? ["--minify"] : []),
    ...(singleFile ? ["--output", out] : ["--code-splitting", "--outdir", split]),
    "main.ts",
  ]);
  if (!result.success) {
    const stderr = new TextDecoder().decode(result.stderr).replaceAll(`${copy.path}/`, "")
      .split(/\n\s*Stack backtrace:/)[0].trim();
    throw new Error(`deno bundle failed:\n${stderr}`);
  }
  if (singleFile) return (await Deno.stat(out)).size;
  return await place(split, out);
}

/**
 * Moves esbuild's output into place: main.js becomes `out`, the chunks go into its chunks folder
 * (replaced whole, so no stale chunk survives), and the entry's `"./chunk.js"` specifiers gain the
 * folder's name. Chunks import only each other, never the entry, so theirs stay as they are.
 */
/** `import("./x.js")` → `import(["DIR", "x.js"].join("/"))`: see the top of this file. */
export function computedImports(text: string, dir: string): string {
  return text.replace(
    /\bimport\("\.\/(?:[\w-]+\/)*?([\w.-]+\.js)"\)/g,
    (_, name) => `import([${JSON.stringify(dir)}, ${JSON.stringify(name)}].join("/"))`,
  );
}

async function place(split: string, out: string): Promise<number> {
  const folder = chunksFolder(out);
  const staged = `${folder}.new`;
  await Deno.remove(staged, { recursive: true }).catch(() => {});
  await Deno.mkdir(staged, { recursive: true });
  let entry = await Deno.readTextFile(join(split, "main.js"));
  let size = 0;
  for await (const file of Deno.readDir(split)) {
    if (file.name === "main.js" || !file.name.endsWith(".js")) continue;
    const text = await Deno.readTextFile(join(split, file.name));
    if (text.includes('"./main.js"')) throw new Error(`${file.name} imports the entry point`);
    const chunk = computedImports(text, ".");
    size += chunk.length;
    await Deno.writeTextFile(join(staged, file.name), chunk);
    entry = entry.replaceAll(`"./${file.name}"`, `"./${basename(folder)}/${file.name}"`);
  }
  entry = computedImports(entry, `./${basename(folder)}`);
  await Deno.remove(folder, { recursive: true }).catch(() => {});
  await Deno.rename(staged, folder);
  await Deno.writeTextFile(out, entry);
  return size + entry.length;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      out: { type: "string" },
      minify: { type: "boolean", default: true },
      "single-file": { type: "boolean" },
    },
    allowNegative: true,
  });
  const out = resolve(values.out ?? join(DIST, "mpm.js"));
  try {
    const size = await bundle(out, values.minify, values["single-file"]);
    const shown = relative(Deno.cwd(), out);
    console.log(`Wrote ${shown.startsWith("..") ? out : shown} (${(size / 1024).toFixed(0)} KB).`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
