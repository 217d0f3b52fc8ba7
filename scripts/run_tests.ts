/**
 * The whole test suite, as CI runs it: every dependency installed from deno.lock, then every
 * test, and beside them the bundle the tests run, the format check, lint, type check and the
 * layer check (scripts/check_layers.ts). Ends with one plain line, `N passed, N failed`, counting
 * each of those steps as one test.
 *
 * Only the first step fills Deno's cache from the registry, from the lockfile; everything after
 * it (and every process a test spawns, tests/helpers.ts `DENO_RUN`) runs frozen from that cache,
 * but the bundle's step, whose `deno bundle` fetches esbuild once. Hundreds of processes
 * resolving packages at once on a cold cache would fail.
 *
 * At the end, before that line: each test module's time (a group's files run one after another
 * in it) and the ten slowest tests. `--busy` runs two CPU-bound processes beside the suite, and
 * `--beside` a second whole suite (its output in a file, its last line shown), to prove that no
 * test's outcome turns on the machine's speed. Other arguments are test files to run instead of
 * all.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { junitCases, timingLines } from "./test_times.ts";

const frozen = ["--frozen", "--cached-only"];

/** The runner's own flags, taken out of the arguments; the rest are test files. */
const FLAGS = ["--busy", "--beside"] as const;
const flags = new Set(Deno.args.filter((arg) => (FLAGS as readonly string[]).includes(arg)));
const given = Deno.args.filter((arg) => !flags.has(arg));

/**
 * Where the bundle goes that the tests run as mpm's process (tests/helpers.ts `testBundle`):
 * made once here, while the first tests run (most need no bundle), in a folder of its own that
 * is renamed to `bundle/` when it is whole. Making it also has Deno fetch the esbuild it bundles
 * with, and no test asks for esbuild.
 */
const scratch = await Deno.makeTempDir({ prefix: "mpm-test-bundle-" });
const bundle = `${scratch}/bundle/mpm.js`;
const building = `${scratch}/building/mpm.js`;

/**
 * Test files started first, longest first: `deno test --parallel` starts files in the order it is
 * given them when they are in one folder (across folders it orders them its own way, so every
 * module it is given is a one-line module in one folder, testModules), and one of these started
 * last would run on alone after the rest had finished. The
 * order is from each file's time in a full run (its JUnit report, MPM_TEST_JUNIT) and alone:
 * the Claude Code and browser tests mostly wait on the program they drive, the return-kill tests
 * run a hundred processes.
 */
const LONGEST_FIRST = [
  "tests/claude_code/tui/claude_code_seams_test.ts",
  "tests/claude_code/tui/claude_code_tui_test.ts",
  "tests/claude_code/print_mode/handoff_claude_code_test.ts",
  "tests/stack/return/return_kill_stash_test.ts",
  "tests/stack/return/return_kill_clean_test.ts",
  "tests/build/bundle_test.ts",
  "tests/claude_code/print_mode/skills_claude_code_test.ts",
  "tests/stack/return/return_kill_keep_test.ts",
  "tests/sync/sync_test.ts",
  "tests/migrate/migrate_test.ts",
  "tests/stack/session_stack_test.ts",
];

/**
 * Folders whose other test files also run alone, after LONGEST_FIRST: each drives a program
 * outside (Claude Code; in tests/team/ all three agents, about two minutes) and mostly waits on
 * it, so gathered into one group their waits would add up to the longest module of the run;
 * alone, they wait beside the rest. A new file there is placed without being listed.
 */
const ALONE = ["tests/claude_code/", "tests/team/"];

/**
 * Test modules at once per core (DENO_JOBS overrides): many tests wait on the processes they
 * start (git, Claude Code, the killed runs of mpm), and a module waiting leaves its core to
 * another.
 */
const JOBS_PER_CORE = 2;

/**
 * How many modules the files outside LONGEST_FIRST are gathered into. Deno gives every test
 * module a worker of its own, and a worker's start (a fresh V8 heap, the whole import graph
 * loaded again) costs about as much as a small file's tests; gathered, each group pays it once.
 * A file's tests still report under its own name, and `deno test FILE` still runs it alone.
 */
const GROUPS = 8;

/** Every test file under src/ and tests/, LONGEST_FIRST first, then tests/, then src/. */
async function testFiles(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile && entry.name.endsWith("_test.ts")) found.push(path);
    }
  };
  for (const dir of ["tests", "src"]) await walk(dir);
  const rank = (path: string) => {
    const at = LONGEST_FIRST.indexOf(path);
    if (at >= 0) return at;
    if (runsAlone(path)) return LONGEST_FIRST.length;
    return LONGEST_FIRST.length + (path.startsWith("tests/") ? 1 : 2);
  };
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Whether a file is a module of its own (LONGEST_FIRST or in an ALONE folder), not in a group. */
function runsAlone(path: string): boolean {
  return LONGEST_FIRST.includes(path) || ALONE.some((folder) => path.startsWith(folder));
}

/**
 * What a file's tests are expected to cost, from its size: a byte of an end-to-end test (tests/,
 * processes and real repositories) costs about six of a unit test (src/).
 */
async function weight(path: string): Promise<number> {
  const { size } = await Deno.stat(path);
  return path.startsWith("tests/") ? 6 * size : size;
}

/**
 * The modules `deno test` is given, all in `folder`: one for each file that runs alone
 * (LONGEST_FIRST, then ALONE), numbered in that order, then GROUPS modules that import the other
 * files, balanced by weight (the heaviest file to the lightest group), heaviest group first. The
 * heaviest group goes before all: its unit tests (src/ sorts first) need no bundle, so they run
 * while the bundle is made and the longest files wait for it.
 */
async function testModules(files: string[], folder: string): Promise<string[]> {
  const alone = files.filter(runsAlone);
  const lone = await Promise.all(alone.map(async (file, i) => {
    const name = file.replace(/^tests\//, "").replaceAll("/", "-");
    const module = `${folder}/${String(i + 1).padStart(2, "0")}-${name}`;
    await Deno.writeTextFile(module, `import ${JSON.stringify(toFileUrl(file))};\n`);
    moduleOf.set(file, file);
    return module;
  }));
  const rest = await Promise.all(
    files.filter((file) => !alone.includes(file)).map(async (file) => ({
      file,
      weight: await weight(file),
    })),
  );
  const groups = Array.from({ length: GROUPS }, () => ({ files: [] as string[], weight: 0 }));
  for (const { file, weight } of rest.sort((a, b) => b.weight - a.weight)) {
    const lightest = groups.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.files.push(file);
    lightest.weight += weight;
  }
  const modules = await Promise.all(
    groups.filter((group) => group.files.length > 0)
      .sort((a, b) => b.weight - a.weight)
      .map(async (group, i) => {
        const module = `${folder}/group_${i + 1}_test.ts`;
        for (const file of group.files) {
          moduleOf.set(file, `group ${i + 1} (${group.files.length} files)`);
        }
        const imports = group.files.sort()
          .map((file) => `import ${JSON.stringify(toFileUrl(file))};\n`);
        await Deno.writeTextFile(module, imports.join(""));
        return module;
      }),
  );
  return [modules[0], ...lone, ...modules.slice(1)];
}

/** Each test file's module as the timings name it: the file itself, or its group. */
const moduleOf = new Map<string, string>();

function toFileUrl(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

interface Step {
  name: string;
  args: string[][];
}

/** Before anything else: the npm packages of deno.lock, the one step that may reach the registry. */
const install: Step = { name: "deno install --frozen", args: [["install", "--frozen", "--quiet"]] };

/** Beside the tests: the bundle they run, and the esbuild `deno bundle` downloads on its first use. */
const bundling: Step = {
  name: "the bundle the tests run",
  args: [["run", "--frozen", "--allow-all", "scripts/build/bundle.ts", "--out", building]],
};

/**
 * The static checks: they run beside the tests (the type check keeps one core busy for a while,
 * and the tests use the other), each reported whole when it ends.
 */
const checks: Step[] = [
  { name: "deno fmt --check", args: [["fmt", "--check"]] },
  { name: "deno lint", args: [["lint"]] },
  { name: "deno check", args: [["check", ...frozen, "main.ts", "src/", "tests/", "scripts/"]] },
  { name: "layer check", args: [["run", ...frozen, "--allow-read", "scripts/check_layers.ts"]] },
];

/**
 * Where the tests make their temp folders (TMPDIR): a folder in memory (/dev/shm) where this
 * machine has one. The tests create and remove hundreds of thousands of files (repositories,
 * snapshots, Claude Code's homes); on a disk file system each fsync waits on the disk, and on
 * one without a journal each new file's inode is looked for past every inode freed in the last
 * minute. In memory the files and the calls are the same, without the waits. The few tests that
 * run Deno with narrow permissions keep their folders on disk (tests/helpers.ts `tempDir`).
 */
async function memoryTempDir(): Promise<string | undefined> {
  const memory = "/dev/shm";
  const usable = await Deno.stat(memory).then((info) => info.isDirectory, () => false);
  if (!usable) return undefined;
  return await Deno.makeTempDir({ dir: memory, prefix: "mpm-test-tmp-" }).catch(() => undefined);
}

/** The time since `start`, as a step's timing line shows it. */
function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/**
 * Runs `deno ARGS`; its output goes through as it comes (`live`), or is returned to be shown
 * whole once it ends.
 */
async function run(
  args: string[],
  { env = {}, live = true }: { env?: Record<string, string>; live?: boolean } = {},
): Promise<{ code: number; output: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    let text = "";
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      if (live) sink.writeSync(chunk);
    }
    return text;
  };
  const [out, err, status] = await Promise.all([
    pump(child.stdout, Deno.stdout),
    pump(child.stderr, Deno.stderr),
    child.status,
  ]);
  return { code: status.code, output: out + err };
}

/** Runs a step's commands in turn, up to the first that fails; true when all passed. */
async function runStep(step: Step, live: boolean): Promise<boolean> {
  const started = performance.now();
  if (live) console.log(`\n== ${step.name}`);
  let code = 0;
  let output = "";
  for (const args of step.args) {
    if (code !== 0) break;
    const result = await run(args, { live });
    code = result.code;
    output += result.output;
  }
  const report = (live ? "" : `\n== ${step.name}\n${output}`) +
    `(${seconds(started)})\n${code === 0 ? "" : `FAILED: ${step.name}\n`}`;
  Deno.stdout.writeSync(new TextEncoder().encode(report));
  return code === 0;
}

/**
 * Makes the bundle and puts it where the tests wait for it (tests/helpers.ts): its folder renamed
 * whole, or a folder holding only FAILED.
 */
async function makeBundle(): Promise<boolean> {
  const ready = `${scratch}/bundle`;
  const made = await runStep(bundling, false)
    .then((ok) => ok && Deno.rename(`${scratch}/building`, ready).then(() => true))
    .catch(() => false);
  if (!made) {
    // Whatever failed, the tests waiting for the bundle are told, never left waiting.
    await Deno.mkdir(ready, { recursive: true });
    await Deno.writeTextFile(`${ready}/FAILED`, `its step, "${bundling.name}", failed.`);
  }
  return made;
}

/**
 * `--busy`: two CPU-bound processes for as long as the suite runs, as on a machine others share
 * (two cores: the suite gets about a third of them). Stopped by their pids when the suite ends.
 */
function startBusy(): Deno.ChildProcess[] {
  if (!flags.has("--busy")) return [];
  console.log("\n== --busy: two CPU-bound processes run beside the suite");
  return [1, 2].map(() =>
    new Deno.Command("sh", {
      args: ["-c", "while :; do :; done"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn()
  );
}

/**
 * `--beside`: a second whole suite, this runner again without the flag, started with this one;
 * its output goes to a file, and its last line (`N passed, N failed`) is shown at the end.
 */
function startBeside(): Promise<boolean> | undefined {
  if (!flags.has("--beside")) return undefined;
  const log = Deno.makeTempFileSync({ prefix: "mpm-test-beside-", suffix: ".log" });
  console.log(`\n== --beside: a second suite runs beside this one (its output: ${log})`);
  const file = Deno.openSync(log, { write: true });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", import.meta.filename!, ...given],
    // Its JUnit report is its own (a temp file), never this one's MPM_TEST_JUNIT.
    env: { MPM_TEST_JUNIT: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const copy = (stream: ReadableStream<Uint8Array>) =>
    stream.pipeTo(new WritableStream({ write: (chunk) => void file.writeSync(chunk) }));
  return Promise.all([copy(child.stdout), copy(child.stderr), child.status]).then(
    ([, , status]) => {
      file.close();
      const last = Deno.readTextFileSync(log).trimEnd().split("\n").at(-1) ?? "";
      console.log(`\n== the suite beside: ${last} (exit ${status.code}; its output: ${log})`);
      return status.code === 0;
    },
  );
}

const busy = startBusy();
const stopBusy = () => {
  for (const child of busy) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
};
if (busy.length > 0) Deno.addSignalListener("SIGINT", () => (stopBusy(), Deno.exit(130)));
const beside = startBeside();

let passed = 0;
let failed = 0;
const count = (ok: boolean) => ok ? passed++ : failed++;
count(await runStep(install, true));
const checked = Promise.all([
  makeBundle().then(count),
  ...checks.map((step) => runStep(step, false).then(count)),
]);

console.log("\n== deno test");
const testsStarted = performance.now();
// MPM_TEST_JUNIT keeps the JUnit report there (each test's time, by file), for whoever asks.
const kept = Deno.env.get("MPM_TEST_JUNIT");
const junit = kept || await Deno.makeTempFile({ suffix: ".xml" });
const groups = await Deno.makeTempDir({ prefix: "mpm-test-groups-" });
/** Deno's cache, named for the tests (helpers.ts reads it, and would otherwise ask `deno info`). */
async function denoDir(): Promise<string> {
  const given = Deno.env.get("DENO_DIR");
  if (given) return given;
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" })
    .output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
}
const jobs = Deno.env.get("DENO_JOBS") ?? String(JOBS_PER_CORE * navigator.hardwareConcurrency);
const memoryTemp = await memoryTempDir();
const { code } = await run([
  "test",
  ...frozen,
  "--allow-all",
  // The `deno check` step, beside this one, checks every test file.
  "--no-check",
  "--parallel",
  `--junit-path=${junit}`,
  ...(given.length > 0 ? given : await testModules(await testFiles(), groups)),
], {
  env: {
    DENO_JOBS: jobs,
    ...(memoryTemp
      ? { TMPDIR: memoryTemp, MPM_TEST_DISK_TMPDIR: Deno.env.get("TMPDIR") ?? "/tmp" }
      : {}),
    DENO_DIR: await denoDir(),
    MPM_TEST_BUNDLE: bundle,
  },
});
const testsTook = seconds(testsStarted);
await checked;
stopBusy();
if (beside) count(await beside);
await Deno.remove(groups, { recursive: true }).catch(() => {});
if (memoryTemp) await Deno.remove(memoryTemp, { recursive: true }).catch(() => {});
await Deno.remove(scratch, { recursive: true }).catch(() => {});
const report = await Deno.readTextFile(junit).catch(() => "");
if (!kept) await Deno.remove(junit).catch(() => {});
const cases = junitCases(report, Deno.cwd());
const failures = cases.filter((c) => c.failed).length;
const skipped = cases.filter((c) => c.skipped).length;
passed += cases.length - failures - skipped;
failed += failures;
if (code !== 0 && failures === 0) failed++;

console.log(timingLines(cases, moduleOf).join("\n"));
console.log(`(deno test: ${testsTook})`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
