/**
 * `deno task compile`: one self-contained mpm binary per target, `dist/mpm-<target>`, each with a
 * `.sha256` beside it, and `dist/SHA256SUMS` over every binary in dist/.
 *
 *   deno task compile [--target TARGET]... [--skip-unavailable] [--out-dir DIR] [--bundle FILE]
 *
 * Each binary is the bundle `deno task bundle` makes (bundle.ts): its entry, with its chunks
 * folder embedded (`--include`), so the binary runs exactly the code `deno task bench` measures —
 * the split chunks, rollup's merging, the eagerly compiled functions. The bundle is made once,
 * for every target (a binary learns its target from the runtime it was compiled with), from a
 * temporary copy of the source whose src/kernel/build_stamp.ts names the build (stamp.ts), so
 * the work tree is never changed, even by a build that is killed. The source is type-checked
 * first, in the work tree. `--bundle FILE` compiles a bundle made before (`deno task bundle`,
 * its mpm-chunks/ beside it) instead: the very file that was measured. `deno compile` prints
 * what it embedded, and the build shows it: the bundle's entry and chunks, no source.
 * `deno compile` downloads the Deno runtime (denort) for each target; where it cannot, the build
 * says so in one sentence. DENORT_BIN, read by `deno compile` itself, supplies that runtime from
 * disk, for one target at a time.
 */
import { parseArgs } from "node:util";
import { basename, dirname, join, relative, resolve } from "node:path";
import { VERSION } from "../../src/kernel/version.ts";
import { BundleFailure, bundleFrom, chunksFolder } from "./bundle.ts";
import { buildId, denoIn, DIST, lockFlags, ROOT, stampedCopy } from "./stamp.ts";

export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/**
 * What the binary may do, by name; never --allow-all. Kept equal to `deno task mpm` (a test
 * checks): read/write for the project's .claude-mpm/ and Claude Code's settings, run for git,
 * env for HOME, CLAUDE_* and MPM_*, sys for node:os (home folder, host name). --no-prompt: the
 * binary never stops to ask; a missing permission is an error.
 */
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-env",
  "--allow-sys",
];

export function assetName(target: string): string {
  return `mpm-${target}${target.includes("windows") ? ".exe" : ""}`;
}

export interface Failure {
  /** The runtime for the target could not be had: no network, or no such file in DENORT_BIN. */
  unavailable: boolean;
  message: string;
}

/** A whole build stopped by the first runtime it could not download (see main). */
export function offlineMessage(target: string): string {
  return `could not download the Deno runtime (denort) for ${target}, so nothing was built; ` +
    `to build offline, set DENORT_BIN to a local denort binary and build its target alone ` +
    `(--target ${target}, from the denort-${target}.zip of Deno ${Deno.version.deno}'s ` +
    `release), or pass --skip-unavailable to build only what can be.`;
}

/** Turns deno compile's stderr (a Rust error chain) into one sentence. */
export function summarizeFailure(target: string, stderr: string): Failure {
  // deno compile already ran with NO_COLOR; strip escapes anyway in case a caller did not.
  // deno-lint-ignore no-control-regex
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "").split(/\n\s*Stack backtrace:/)[0];
  const denortBin = Deno.env.get("DENORT_BIN");
  const missing = text.match(/Could not find denort at '([^']*)'/);
  if (missing) {
    return {
      unavailable: true,
      message: `DENORT_BIN names ${missing[1]}, which does not exist; point it at a denort ` +
        `binary for ${target}.`,
    };
  }
  if (/Setting up base binary/.test(text) || /denort-[\w-]+\.zip/.test(text)) {
    return {
      unavailable: true,
      message: denortBin
        ? `could not use DENORT_BIN=${denortBin} as the Deno runtime for ${target}.`
        : `could not download the Deno runtime for ${target}; set DENORT_BIN to a local denort ` +
          `binary for that target (from the denort-${target}.zip of Deno ${Deno.version.deno}'s ` +
          `release) and build it alone with --target ${target}.`,
    };
  }
  // Keep what explains the failure (type errors and where they are), drop the progress lines.
  const shown = text.split("\n").map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "" && !/^(Check|Compile|Download|\s*(info|hint):)/.test(l))
    .slice(0, 20).join("\n");
  return { unavailable: false, message: `could not compile mpm for ${target}:\n${shown}` };
}

export async function sha256Hex(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * deno compile's listing of what it embedded, as it printed it (the tree under "Embedded Files",
 * without the totals): what the test of this build reads to know the binary's inputs.
 */
export function embeddedListing(stderr: string): string[] {
  const lines = stderr.split("\n").map((line) => line.trimEnd());
  const start = lines.findIndex((line) => line.trim() === "Embedded Files");
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && /^[A-Z][\w ]*: /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line !== "");
}

/**
 * `deno compile` of the bundle whose entry is `entry`, its chunks folder embedded, for one
 * target; on success the binary and its .sha256 are in `dist`, and what it embedded is returned.
 */
async function compile(
  entry: string,
  target: string,
  dist: string,
): Promise<Failure | { embedded: string[] }> {
  const out = join(dist, assetName(target));
  await Deno.remove(out).catch(() => {});
  await Deno.remove(`${out}.sha256`).catch(() => {});
  const dir = dirname(entry);
  // V8's code cache stays on (no --no-code-cache). A compiled binary keeps it in one file of the
  // system's temp folder, `deno-compile-<binary's name>.cache`: the binary's first run writes it
  // once, with the modules that run had compiled when its first loads were done, and later runs
  // of the same build read it and never add to it. So it holds what V8 compiled before running
  // each of those modules — their eagerly compiled functions (eager_functions.ts) included, a
  // function compiled on its first call not — and a chunk only another command loads is compiled
  // afresh on every run of that command.
  // No config: the bundle has every package inside, so nothing of deno.json or the lockfile is
  // wanted in the binary.
  const result = await denoIn(dir, [
    "compile",
    "--no-config",
    "--no-lock",
    "--no-prompt",
    ...PERMISSIONS,
    "--target",
    target,
    "--include",
    basename(chunksFolder(entry)),
    "--output",
    out,
    basename(entry),
  ]);
  const stderr = new TextDecoder().decode(result.stderr)
    .replaceAll(`file://${dir}/`, "").replaceAll(`${dir}/`, "");
  if (!result.success) {
    await Deno.remove(out).catch(() => {});
    return summarizeFailure(target, stderr);
  }
  await Deno.writeTextFile(`${out}.sha256`, `${await sha256Hex(out)}  ${basename(out)}\n`);
  return { embedded: embeddedListing(stderr) };
}

/** Runs a native binary's --version; returns what is wrong with it, if anything. */
async function smokeTest(path: string, build: string, target: string): Promise<string | undefined> {
  const expected = `mpm ${VERSION} (build ${build}, deno `;
  let line = "";
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    line = new TextDecoder().decode(out.stdout).split("\n")[0];
  } catch (error) {
    line = `(failed to run: ${error instanceof Error ? error.message : error})`;
  }
  if (line.startsWith(expected) && line.endsWith(`target ${target})`)) return undefined;
  return `${show(path)} --version printed ${JSON.stringify(line)}, not ` +
    `"${expected}…, target ${target})"` +
    (Deno.env.get("DENORT_BIN") ? "; is DENORT_BIN a denort binary (not deno itself)?" : ".");
}

/** SHA256SUMS in `sha256sum -c` format, over every mpm binary now in `dist`. */
async function writeSums(dist: string): Promise<number> {
  const lines: string[] = [];
  for (const target of TARGETS) {
    const path = join(dist, assetName(target));
    if (await Deno.stat(path).then(() => true, () => false)) {
      lines.push(`${await sha256Hex(path)}  ${basename(path)}`);
    }
  }
  const sums = join(dist, "SHA256SUMS");
  if (lines.length > 0) await Deno.writeTextFile(sums, lines.join("\n") + "\n");
  else await Deno.remove(sums).catch(() => {});
  return lines.length;
}

/** A path as the user would type it from here. */
function show(path: string): string {
  const rel = relative(Deno.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

function usage(message: string): number {
  console.error(`build: ${message}`);
  console.error(
    `Usage: deno task compile [--target TARGET]... [--skip-unavailable] [--out-dir DIR] ` +
      `[--bundle FILE]`,
  );
  console.error(`Targets: ${TARGETS.join(", ")}`);
  return 2;
}

/** A bundle to compile: its entry (its chunks beside it) and the build it names. */
interface Bundle {
  entry: string;
  build: string;
}

/**
 * The bundle of the source as it is now, after a type check, in a temporary folder that goes
 * when it is disposed; `failure` is what deno printed when the check or the bundle failed.
 */
async function makeBundle(): Promise<(Bundle | { failure: string }) & AsyncDisposable> {
  const none = { [Symbol.asyncDispose]: () => Promise.resolve() };
  const checked = await denoIn(ROOT, ["check", ...lockFlags(), "main.ts"]);
  if (!checked.success) {
    return {
      failure: new TextDecoder().decode(checked.stderr).replaceAll(`${ROOT}/`, ""),
      ...none,
    };
  }
  const build = await buildId();
  const copy = await stampedCopy({ build });
  const entry = join(copy.path, ".dist", "mpm.js");
  try {
    await bundleFrom(copy.path, entry);
  } catch (error) {
    await copy[Symbol.asyncDispose]();
    if (!(error instanceof BundleFailure)) throw error;
    return { failure: error.stderr, ...none };
  }
  return { entry, build, [Symbol.asyncDispose]: () => copy[Symbol.asyncDispose]() };
}

/** A bundle made before (`--bundle FILE`): the build is the one its own --version names. */
async function givenBundle(entry: string): Promise<Bundle> {
  if (!await Deno.stat(entry).then((i) => i.isFile, () => false)) {
    throw new Error(`${show(entry)} is not a file; \`deno task bundle\` makes dist/mpm.js.`);
  }
  const chunks = await Deno.stat(chunksFolder(entry)).then((i) => i.isDirectory, () => false);
  if (!chunks) {
    throw new Error(
      `${show(entry)} is not a bundle of mpm: no ${basename(chunksFolder(entry))}/ beside it.`,
    );
  }
  const out = await denoIn(dirname(entry), [
    "run",
    "--quiet",
    "--no-config",
    ...PERMISSIONS,
    entry,
    "--version",
  ]);
  const line = new TextDecoder().decode(out.stdout).split("\n")[0];
  const build = line.match(/^mpm \S+ \(build ([^,]+),/)?.[1];
  if (!out.success || build === undefined) {
    throw new Error(
      `${show(entry)} is not a bundle of mpm: its --version printed ${JSON.stringify(line)}.`,
    );
  }
  return { entry, build };
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: "string", multiple: true },
        "skip-unavailable": { type: "boolean" },
        "out-dir": { type: "string" },
        bundle: { type: "string" },
      },
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const targets = values.target ?? TARGETS;
  const unknown = targets.find((t) => !TARGETS.includes(t));
  if (unknown) return usage(`unknown target ${unknown}.`);
  if (Deno.env.get("DENORT_BIN") && targets.length > 1) {
    return usage("DENORT_BIN is the runtime of one target; choose it with --target.");
  }
  const dist = resolve(values["out-dir"] ?? DIST);
  await Deno.mkdir(dist, { recursive: true });
  await using made = values.bundle === undefined ? await makeBundle() : undefined;
  const from = values.bundle === undefined
    ? made
    : await givenBundle(resolve(values.bundle)).catch((error: Error) => error.message);
  if (typeof from === "string") return usage(from);
  if (from === undefined || "failure" in from) {
    console.error(`error: ${summarizeFailure(targets[0], from?.failure ?? "").message}`);
    return 1;
  }
  const { entry, build } = from;
  let failed = 0;
  let built = 0;
  for (const [index, target] of targets.entries()) {
    console.log(`Compiling mpm ${VERSION} (build ${build}) for ${target}...`);
    const compiled = await compile(entry, target, dist);
    const out = join(dist, assetName(target));
    if ("message" in compiled) {
      const skip = compiled.unavailable && values["skip-unavailable"];
      const rest = targets.length - index - 1;
      if (compiled.unavailable && !skip && rest > 0 && built === 0) {
        // Offline, every other target fails the same way: one sentence says it for all.
        console.error(`error: ${offlineMessage(target)}`);
        return 1;
      }
      console.error(`${skip ? "skipped" : "error"}: ${compiled.message}`);
      if (!skip) failed++;
      continue;
    }
    built++;
    const size = (await Deno.stat(out)).size;
    console.log(`  wrote ${show(out)} (${(size / 1e6).toFixed(1)} MB), embedding:`);
    for (const line of compiled.embedded) console.log(`    ${line}`);
    if (target !== Deno.build.target) continue;
    const wrong = await smokeTest(out, build, target);
    if (wrong) {
      console.error(`error: the smoke test failed: ${wrong}`);
      await Deno.remove(out).catch(() => {});
      await Deno.remove(`${out}.sha256`).catch(() => {});
      failed++;
    } else console.log(`  smoke test passed: ${show(out)} --version`);
  }
  const sums = await writeSums(dist);
  if (sums > 0) console.log(`Wrote ${show(join(dist, "SHA256SUMS"))} (${sums} binaries).`);
  if (failed > 0) return 1;
  // --skip-unavailable that skipped every target built nothing: that is a failure, not done.
  if (built === 0) {
    console.error("error: no target could be built; see the lines above.");
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
