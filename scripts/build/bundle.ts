/**
 * `deno task bundle`: mpm as JavaScript that `deno run` runs anywhere: `dist/mpm.js`, and beside
 * it `dist/mpm-chunks/`, the code each command loads when it is chosen. npm packages and the
 * text-imported hooks and templates are inside, so it needs neither the source tree nor
 * deno.json. It is built from a stamped copy of the source (see build.ts), so it reports its
 * build id; the target is whatever runs it.
 *
 *   deno task bundle [--out FILE] [--no-minify] [--single-file]
 *
 * Minified by default: Deno parses every byte a command loads, so fewer bytes start sooner.
 * `--no-minify` keeps names and comments, to read the output.
 *
 * Why chunks: Deno reads and parses every byte of the file it runs before running any of it,
 * whatever the code does, so the one-file bundle (`deno bundle` inlines a dynamic import as a
 * lazily-run wrapper in the same file) makes even `mpm --version` parse all of mpm. Code-split,
 * a run parses only its command's chunks. `--single-file` still writes the one file, for
 * comparison.
 *
 * Why the chunks are merged after esbuild's split (rollup's `experimentalMinChunkSize`): esbuild
 * makes one chunk for each set of commands that share code, most of them tiny, and Deno pays for
 * each module it loads on top of its bytes (resolving it, reading it, looking its code cache
 * up), so SessionStart loads a few chunks of MIN_CHUNK_BYTES or more instead of dozens of small
 * ones. Rollup merges a chunk into another only where no entry would then run code it did not
 * run before. The entry's code may land in a shared chunk, so its `import.meta.main` is written
 * as what it is in the bundle (true for the entry) and main.ts does not await at top level.
 *
 * Why the chunks' dynamic imports are spelled `import(["./mpm-chunks", "x.js"].join("/"))`: when
 * Deno starts a module it also reads and parses every module a *literal* `import("…")` names
 * (and theirs), loaded or not — all of mpm's command chunks, on every run. A
 * computed specifier is resolved only when the import runs, so `mpm --version` reads no chunk
 * it does not run. `deno compile` embeds the chunks folder beside the entry (`--include`,
 * build.ts), so the binary finds them by the same computed names.
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, relative, resolve } from "node:path";
import { type Plugin, rollup } from "@rollup/browser";
import { eagerFunctions, importCycle, type Program } from "./eager_functions.ts";
import { buildId, denoIn, DIST, lockFlags, stampedCopy } from "./stamp.ts";

export const BUNDLE_FLAGS = ["--platform=deno", "--packages=bundle", "--format=esm"];

/** The folder of chunks that goes with the entry file `out`: `dist/mpm.js` → `dist/mpm-chunks`. */
export function chunksFolder(out: string): string {
  return join(dirname(out), `${basename(out, ".js")}-chunks`);
}

export interface BundleOptions {
  minify?: boolean;
  singleFile?: boolean;
}

/** `deno bundle` failed; `stderr` is what it said, cut to what explains it. */
export class BundleFailure extends Error {
  constructor(readonly stderr: string) {
    super(`deno bundle failed:\n${stderr}`);
  }
}

/** Writes the bundle of the work tree; returns the bytes written (entry and chunks). */
export async function bundle(out: string, minify = true, singleFile = false): Promise<number> {
  await using copy = await stampedCopy({ build: await buildId() });
  return await bundleFrom(copy.path, out, { minify, singleFile });
}

/**
 * Writes the bundle of the source at `source`, a stamped copy (stamp.ts): `deno task compile`
 * bundles its copy once per target and compiles that bundle.
 */
export async function bundleFrom(
  source: string,
  out: string,
  { minify = true, singleFile = false }: BundleOptions = {},
): Promise<number> {
  await Deno.mkdir(dirname(out), { recursive: true });
  const split = join(source, ".bundle");
  await Deno.remove(split, { recursive: true }).catch(() => {});
  const result = await denoIn(source, [
    "bundle",
    ...lockFlags(),
    ...BUNDLE_FLAGS,
    ...(minify ? ["--minify"] : []),
    ...(singleFile ? ["--output", out] : ["--code-splitting", "--outdir", split]),
    "main.ts",
  ]);
  if (!result.success) {
    throw new BundleFailure(
      new TextDecoder().decode(result.stderr).replaceAll(`${source}/`, "")
        .split(/\n\s*Stack backtrace:/)[0].trim(),
    );
  }
  if (singleFile) return (await Deno.stat(out)).size;
  return await place(await mergeChunks(split), out);
}

/** Chunks smaller than this are merged into others (docs/speed.md has the figures). */
const MIN_CHUNK_BYTES = 5_000;

/**
 * Chunks made of whole static graphs, in this order (a file an earlier one holds stays there):
 * the entry's, which holds SessionStart made ready (src/hooks/events/ready_start.ts) — it runs at
 * every start of Claude Code and loads this one chunk, where merging by size alone gave it
 * fifteen, a third of them other commands' code — then `mpm mcp`'s front, which answers the
 * client's handshake without the command line (merged by size, it sometimes shared the command
 * line's chunk) — then the quiet sync door (src/sync/quiet/sync_door.ts: a sync with nothing
 * new loads it and no more) — then the rest of the command line's own code,
 * which every other run loads after it (`mpm --version` and no more) — then `mpm list`'s, the
 * sessions' store that most commands share (split by sharing, a list loaded 29 chunks; a
 * chunk costs Deno more than its bytes). A command that shares a module with one loads that
 * one's chunk. `main` is the entry itself.
 */
const ONE_CHUNK: Readonly<Record<string, readonly string[]>> = {
  ready: ["main"],
  mcp: ["front"],
  door: ["sync_door"],
  cli: ["commands", "cli_run", "color", "progress"],
  list: ["list_command"],
};

/**
 * Each file of esbuild's split in a ONE_CHUNK group, with the group: the files of its modules,
 * what they import, and so on (not what they import dynamically).
 */
async function oneChunkGroups(
  split: string,
  whole: Readonly<Record<string, readonly string[]>>,
): Promise<Map<string, string>> {
  const names = [...Deno.readDirSync(split)].map((entry) => entry.name);
  const groups = new Map<string, string>();
  for (const [group, modules] of Object.entries(whole)) {
    const todo = modules.map((module) => {
      const file = module === "main"
        ? "main.js"
        : names.find((name) => name.startsWith(`${module}-`) && name.endsWith(".js"));
      if (file === undefined) throw new Error(`the split has no chunk of ${module}.ts`);
      return file;
    });
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (groups.has(name)) continue;
      groups.set(name, group);
      const text = await Deno.readTextFile(join(split, name));
      for (const [, from, bare] of text.matchAll(STATIC_IMPORT)) todo.push(from ?? bare);
    }
  }
  return groups;
}

/** A chunk's static import of another: `from"./x.js"` or `import"./x.js"`. */
const STATIC_IMPORT = /\bfrom\s*"\.\/([\w.-]+\.js)"|\bimport\s*"\.\/([\w.-]+\.js)"/g;

/**
 * esbuild's split (the folder `split`, entry `main.js`) merged into fewer chunks: each file's
 * name (the entry still `main.js`) and text. esbuild's output is minified and tree-shaken
 * already: rollup only regroups it. `@rollup/browser` is rollup without a file system (so no
 * native package per platform, which `deno compile` for another target would have to fetch);
 * the plugin reads the files.
 */
export async function mergeChunks(
  split: string,
  whole: Readonly<Record<string, readonly string[]>> = ONE_CHUNK,
): Promise<Map<string, string>> {
  const entry = join(split, "main.js");
  const grouped = await oneChunkGroups(split, whole);
  const build = await rollup({
    input: entry,
    preserveEntrySignatures: "strict",
    treeshake: false,
    logLevel: "silent",
    plugins: [readFiles(), entryIsMain(entry), compiledWithTheChunk()],
  });
  try {
    const { output } = await build.generate({
      format: "es",
      compact: true,
      experimentalMinChunkSize: MIN_CHUNK_BYTES,
      manualChunks: (id) => grouped.get(basename(id)),
      entryFileNames: "main.js",
      chunkFileNames: "chunk-[hash].js",
    });
    return new Map(output.map((file) => [file.fileName, file.type === "chunk" ? file.code : ""]));
  } finally {
    await build.close();
  }
}

/**
 * esbuild's files, read from disk: its chunks name each other relatively (`./chunk-X.js`); what
 * it left to the runtime (`node:crypto`) stays an import.
 */
function readFiles(): Plugin {
  return {
    name: "read-files",
    resolveId: (source, importer) =>
      /^[a-z]+:/.test(source)
        ? { id: source, external: true }
        : importer
        ? resolve(dirname(importer), source)
        : source,
    load: (id) => Deno.readTextFile(id),
  };
}

/**
 * Each chunk's top-level functions compiled with it and kept in Deno's code cache
 * (eager_functions.ts); the chunks must then import no cycle, which is checked.
 */
function compiledWithTheChunk(): Plugin {
  return {
    name: "compiled-with-the-chunk",
    renderChunk(code) {
      return eagerFunctions(code, this.parse(code) as unknown as Program);
    },
    generateBundle(_options, bundle) {
      const imports = new Map(
        Object.values(bundle).flatMap((file) =>
          file.type === "chunk" ? [[file.fileName, file.imports] as const] : []
        ),
      );
      const cycle = importCycle(imports);
      if (cycle) throw new Error(`the bundle's chunks import a cycle: ${cycle.join(" → ")}`);
    },
  };
}

/**
 * `import.meta.main` as it is in the bundle: true in the entry, false elsewhere. Spelled out
 * because rollup may move the entry's code into a shared chunk, where the runtime's answer would
 * be false and mpm would never start.
 */
function entryIsMain(entry: string): Plugin {
  return {
    name: "entry-is-main",
    resolveImportMeta: (property, { moduleId }) =>
      property === "main" ? String(moduleId === entry) : null,
  };
}

/** `import("./x.js")` → `import(["DIR", "x.js"].join("/"))`: see the top of this file. */
export function computedImports(text: string, dir: string): string {
  return text.replace(
    /\bimport\((["'])\.\/(?:[\w-]+\/)*?([\w.-]+\.js)\1\)/g,
    (_, _quote, name) => `import([${JSON.stringify(dir)}, ${JSON.stringify(name)}].join("/"))`,
  );
}

/** `"./x.js"` and `'./x.js'`, as esbuild and rollup quote a specifier. */
function quoted(name: string): string[] {
  return [`"./${name}"`, `'./${name}'`];
}

/**
 * Moves the merged output into place: main.js becomes `out`, the chunks go into its chunks folder
 * (replaced whole, so no stale chunk survives), and the entry's `"./chunk.js"` specifiers gain the
 * folder's name. Chunks import only each other, never the entry, so theirs stay as they are.
 */
async function place(files: Map<string, string>, out: string): Promise<number> {
  const folder = chunksFolder(out);
  const staged = `${folder}.new`;
  await Deno.remove(staged, { recursive: true }).catch(() => {});
  await Deno.mkdir(staged, { recursive: true });
  let entry = files.get("main.js");
  if (entry === undefined) throw new Error("the bundle has no main.js");
  let size = 0;
  for (const [name, text] of files) {
    if (name === "main.js" || !name.endsWith(".js")) continue;
    if (quoted("main.js").some((specifier) => text.includes(specifier))) {
      throw new Error(`${name} imports the entry point`);
    }
    const chunk = computedImports(text, ".");
    size += chunk.length;
    await Deno.writeTextFile(join(staged, name), chunk);
    for (const specifier of quoted(name)) {
      entry = entry.replaceAll(specifier, `"./${basename(folder)}/${name}"`);
    }
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
