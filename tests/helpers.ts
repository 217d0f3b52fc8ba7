/**
 * Test helpers: real git repositories in temp folders, and the CLI run in them.
 *
 * `mpm()` (and `repo.run`, `ok`, `okJson`) dispatches the command in the test's own process,
 * through the same src/cli/cli_run.ts as main.ts, against an Env made as a spawned run's would
 * be: the test's HOME, no colour, no terminal, the stdin given. What only a process can show —
 * a kill, a clock or time zone of its own, `deno` start-up, the binary or the bundle, locks
 * raced between processes — runs as one: `{ spawn: true }` asks for it, and a run the test
 * process cannot host (MPM_TEST_KILL_AT, MPM_TEST_FAIL_AT, another TZ, a script) spawns by
 * itself. MPM_TEST_SPAWN=1 spawns every run not given a clock, to check both ways agree.
 */
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dispatch } from "../src/commands.ts";
import { runCli } from "../src/cli/cli_run.ts";
import { type ColorSetting, colorWanted } from "../src/cli/color.ts";
import type { Env } from "../src/cli/env.ts";
import { MpmError } from "../src/kernel/errors.ts";
import { checksumLine } from "../src/kernel/hashing/checksum.ts";
import { useMachineKeyFrom } from "../src/disk/machine_key.ts";
import { armKillSteps } from "../src/git/run/kill_step.ts";
import { useGitEnvFrom } from "../src/git/run/run.ts";
import { forgetBegunStatus } from "../src/git/tree/status.ts";
import { forgetBegunGitReads } from "../src/sessions/capture/early_git.ts";

export const ROOT = resolve(import.meta.dirname!, "..");
export const MAIN = join(ROOT, "main.ts");

/**
 * How every test runs deno: with the project's lockfile, frozen, from the cache that
 * `deno task test` filled first, so no test process asks the npm registry anything.
 */
export const DENO_RUN: readonly string[] = [
  "run",
  "--quiet",
  "--allow-all",
  "--frozen",
  "--cached-only",
];

/**
 * The bundle (scripts/build/bundle.ts: `mpm.js`, its chunks beside it) that the tests run where
 * they run mpm as a process: `deno task test` makes it once, while the first tests run, and names
 * it in MPM_TEST_BUNDLE; a test file run alone makes its own, once. The artifact users get is what
 * the process tests exercise, and each process starts without compiling the source.
 */
export function testBundle(): Promise<string> {
  return bundleMade ??= makeBundle();
}

let bundleMade: Promise<string> | undefined;

async function makeBundle(): Promise<string> {
  const given = Deno.env.get("MPM_TEST_BUNDLE");
  if (given) return await suiteBundle(given);
  const folder = await Deno.makeTempDir({ prefix: "mpm-test-bundle-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(folder, { recursive: true }));
  const out = join(folder, "mpm.js");
  const built = await runProcess(Deno.execPath(), [
    ...DENO_RUN,
    join(ROOT, "scripts", "build", "bundle.ts"),
    "--out",
    out,
  ], { cwd: ROOT });
  if (built.code !== 0) throw new Error(`scripts/build/bundle.ts failed: ${built.stderr}`);
  if (!/^Wrote .*mpm\.js \(\d+ KB\)\.\n$/.test(built.stdout)) {
    throw new Error(`scripts/build/bundle.ts printed ${JSON.stringify(built.stdout)}`);
  }
  return out;
}

/**
 * The suite's bundle, once it is made: scripts/run_tests.ts makes it in a folder of its own and
 * renames that folder to the bundle's, so the folder appears whole; when the bundle could not be
 * made, the folder holds only FAILED, which says why.
 */
async function suiteBundle(bundle: string): Promise<string> {
  const folder = dirname(bundle);
  // Far beyond the minute the bundle takes on a loaded machine with nothing cached.
  const deadline = performance.now() + 10 * 60_000;
  while (!await exists(folder)) {
    if (performance.now() > deadline) throw new Error(`The suite's bundle never came: ${bundle}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (await exists(bundle)) return bundle;
  const why = await Deno.readTextFile(join(folder, "FAILED")).catch(() => "it says nothing");
  throw new Error(`The suite's bundle could not be made: ${why}`);
}

/** `deno` arguments that run mpm as a process: the test bundle, with no project config. */
export async function mpmProcessArgs(): Promise<string[]> {
  return [...DENO_RUN, "--no-config", await testBundle()];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Run something other than main.ts (the bundle, say); always a process. */
  script?: string;
  /** Run mpm as a process (the test bundle, testBundle), not in the test's own. */
  spawn?: boolean;
  /** The run's clock; a run given one is always in this process (a process has the real one). */
  now?: () => Date;
}

/**
 * Deno's cache, found once: each test has a HOME of its own, which would otherwise hide the
 * cached npm packages from the CLI runs.
 */
export const DENO_DIR: string = Deno.env.get("DENO_DIR") ?? JSON.parse(
  new TextDecoder().decode(
    new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped", stderr: "null" })
      .outputSync().stdout,
  ),
).denoDir;

/** The environment every CLI run starts from: no colour, no inherited mpm/git settings. */
export function baseEnv(home: string): Record<string, string> {
  return {
    ...ROOMY_LIMITS,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR,
    HOME: home,
    NO_COLOR: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Author",
    GIT_COMMITTER_EMAIL: "author@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C.UTF-8",
  };
}

/**
 * How long a test waits for something before it calls it hung and fails, naming what it waited
 * for: three minutes. Only a guard against a hang, never a bound the awaited thing is expected
 * to beat, so a loaded machine makes a test slower, not red.
 */
export const HANG_GUARD_MS = 180_000;

/**
 * `work`, or a failure naming `what` once it has run `ms` (HANG_GUARD_MS by default): for work
 * that would otherwise hang the test — a read of a FIFO nobody writes to, a process that never
 * ends — so the suite fails with a sentence instead of stalling.
 */
export async function hangGuard<T>(work: Promise<T>, what: string, ms = HANG_GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms / 1000} s.`)), ms);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The product's own time limits, set far past what a loaded machine needs, so that no test's
 * outcome turns on how fast the machine is: a hook's deadline (MPM_HOOK_DEADLINE_MS) and the
 * scripts' `timeout` around mpm (MPM_HOOK_TIMEOUT, seconds), and doctor's bound on each probe
 * (MPM_DOCTOR_PROBE_MS), and how long a command waits for the project's lock (MPM_LOCK_WAIT_MS:
 * eight pauses racing each wait their turn, however slow each is), and how long SessionStart reads
 * the teammates' records (MPM_TEAMMATE_BUDGET_MS). A test of a limit itself sets a small one of
 * its own.
 */
export const ROOMY_LIMITS: Readonly<Record<string, string>> = {
  MPM_HOOK_DEADLINE_MS: "600000",
  MPM_HOOK_TIMEOUT: "600",
  MPM_DOCTOR_PROBE_MS: "600000",
  MPM_LOCK_WAIT_MS: "600000",
  MPM_TEAMMATE_BUDGET_MS: "600000",
};

/** Runs `program ARGS` with only the given environment and returns its code and output. */
export async function runProcess(
  program: string,
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    stdin?: string | Uint8Array;
    /** Kills the process when it aborts (a time limit). */
    signal?: AbortSignal;
  },
): Promise<RunResult> {
  const child = new Deno.Command(program, {
    args,
    cwd: options.cwd,
    signal: options.signal,
    env: options.env,
    // Without an environment, the process inherits this one (git in a test's own folder).
    clearEnv: options.env !== undefined,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(
        typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
      );
      await writer.close();
    } catch (error) {
      // A program may exit without reading its input (a hook with nothing to do): what it did
      // is in its exit code and output, which the caller checks.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Runs `mpm ARGS` from `cwd`: in this process, or as a user would where that is what counts. */
export function mpm(args: string[], options: RunOptions): Promise<RunResult> {
  const home = options.env?.HOME ?? join(options.cwd, "..", "home");
  const env = { ...baseEnv(home), ...options.env };
  const why = processReason(options, env);
  if (why === undefined) return inProcess(args, { ...options, env });
  if (options.now !== undefined) {
    throw new Error(`mpm(): a run given a clock runs in this process, and this one cannot: ${why}`);
  }
  const command = options.script === undefined
    ? mpmProcessArgs()
    : Promise.resolve([...DENO_RUN, options.script]);
  return command.then((program) =>
    runProcess(Deno.execPath(), [...program, ...args], {
      cwd: options.cwd,
      env,
      stdin: options.stdin,
    })
  );
}

/** Set: every run is a process (MPM_TEST_SPAWN=1), but those given a clock. */
const SPAWN_ALL = Deno.env.get("MPM_TEST_SPAWN") === "1";

/** Why this run must be a process (asked for, or what this one cannot host), or undefined. */
function processReason(options: RunOptions, env: Record<string, string>): string | undefined {
  if (options.spawn) return "asked for";
  if (options.script !== undefined) return "another script";
  if (env.MPM_TEST_KILL_AT !== undefined || env.MPM_TEST_FAIL_AT !== undefined) {
    return "it kills the process it runs in";
  }
  // A time zone is the process's: an in-process run has this one's.
  if (env.TZ !== undefined && !(env.TZ === "UTC" && processIsUtc())) return "a time zone";
  // main.ts refuses a start folder that is gone before anything runs; a process shows that.
  try {
    if (!Deno.statSync(env.MPM_INVOKED_FROM || options.cwd).isDirectory) return "no start folder";
  } catch {
    return "no start folder";
  }
  if (SPAWN_ALL && options.now === undefined) return "MPM_TEST_SPAWN=1";
  return undefined;
}

function processIsUtc(): boolean {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === "UTC" || zone === "Etc/UTC";
}

/**
 * In-process runs one at a time: a run sets module-wide settings from its environment (git's
 * environment, the machine key's folder, the kill counter), which a second run at once would
 * change under it. Runs racing each other are a process matter (`spawn: true`).
 */
let previousRun: Promise<unknown> = Promise.resolve();

/** `mpm ARGS` dispatched in this process, with exactly the variables `options.env` gives. */
function inProcess(args: string[], options: RunOptions): Promise<RunResult> {
  const run = previousRun.then(() => dispatchOnce(args, options));
  previousRun = run.catch(() => {});
  return run;
}

async function dispatchOnce(args: string[], options: RunOptions): Promise<RunResult> {
  const vars: Record<string, string> = { ...options.env };
  let stdout = "";
  // A block of bytes (`mpm board --json`) may end inside a character: the next one finishes it.
  const bytes = new TextDecoder();
  let stderr = "";
  const input = new TextEncoder().encode(options.stdin ?? "");
  const env = (color: ColorSetting): Env => ({
    cwd: vars.MPM_INVOKED_FROM || options.cwd,
    vars,
    now: options.now ?? (() => new Date()),
    warn: (text) => stderr += text.endsWith("\n") ? text : text + "\n",
    isTTY: false,
    stderrIsTTY: false,
    color: colorWanted(color, vars, false),
    readStdin: (limit) => {
      // main.ts's reader says the same of input over the limit.
      if (input.length > limit) {
        return Promise.reject(new MpmError(`The input on stdin is larger than ${limit} bytes.`));
      }
      return Promise.resolve(new TextDecoder().decode(input));
    },
    execPath: Deno.execPath(),
    mainModule: pathToFileURL(MAIN).href,
    out: (text) => {
      stdout += typeof text === "string" ? text : bytes.decode(text, { stream: true });
      return Promise.resolve(true);
    },
  });
  // The machine key is read once per process; each run here reads it afresh, as a process would.
  useMachineKeyFrom({});
  const outcome = await runCli(dispatch, { argv: args, vars, stderrIsTTY: false, env })
    .finally(endRun);
  return { code: outcome.code, stdout: stdout + outcome.stdout, stderr: stderr + outcome.stderr };
}

/**
 * Puts back what a run set for the whole module (git's environment, the machine key's folder, the
 * kill counter, the git reads begun early), so a test after it in the same worker starts as a new
 * process would.
 * `mpm()` calls it after each run; a test that calls `dispatch` itself calls it too.
 */
export function endRun(): void {
  useMachineKeyFrom({});
  armKillSteps({});
  useGitEnvFrom(undefined);
  forgetBegunStatus();
  forgetBegunGitReads();
}

/** Runs git in `cwd` with `stdin` (plumbing that reads it: mktree, hash-object); stdout trimmed. */
export async function gitWithInput(cwd: string, args: string[], stdin: string): Promise<string> {
  const child = new Deno.Command("git", { args, cwd, stdin: "piped", stdout: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  if (out.code !== 0) throw new Error(`git ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout).trim();
}

/**
 * A `git` in `home`/bin that logs each call's arguments to the returned `log` and runs the real
 * one: put `bin` first on a process's PATH to count what it asks of git. `before`: shell lines run
 * first, to slow or fail some calls (`case " $* " in *" status "*) …;; esac`).
 */
export async function loggingGit(
  home: string,
  options: { before?: string } = {},
): Promise<{ bin: string; log: string }> {
  const bin = join(home, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const log = join(home, "git-calls.log");
  const real = await new Deno.Command("sh", { args: ["-c", "command -v git"], stdout: "piped" })
    .output();
  await Deno.writeTextFile(
    join(bin, "git"),
    `#!/bin/sh\necho "$@" >> '${log}'\n${options.before ?? ""}\nexec '${
      new TextDecoder().decode(real.stdout).trim()
    }' "$@"\n`,
  );
  await Deno.chmod(join(bin, "git"), 0o755);
  return { bin, log };
}

/** Runs git in `cwd` and returns its stdout; throws with stderr when git fails. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: baseEnv(join(cwd, "..", "home")),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")} failed: ${decoder.decode(out.stderr)}`);
  }
  return decoder.decode(out.stdout);
}

export interface TempDir extends AsyncDisposable {
  path: string;
}

/**
 * A temp folder removed when the test is done (`await using dir = await tempDir()`). `onDisk`
 * keeps it out of a memory folder under /dev the runner may have chosen (scripts/run_tests.ts):
 * Deno grants nothing under /dev to a process with narrower permissions than `--allow-all`.
 */
export async function tempDir(
  prefix = "mpm-test-",
  { onDisk = false }: { onDisk?: boolean } = {},
): Promise<TempDir> {
  const dir = onDisk ? Deno.env.get("MPM_TEST_DISK_TMPDIR") : undefined;
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix, dir }));
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

export interface Repo extends AsyncDisposable {
  /** The repository's work tree. */
  path: string;
  /** A HOME for the test, beside the repository. */
  home: string;
  run: (...args: string[]) => Promise<RunResult>;
  /** `run` as a process: for runs raced against each other, or what only a process shows. */
  spawn: (...args: string[]) => Promise<RunResult>;
  git: (...args: string[]) => Promise<string>;
  write: (file: string, text: string) => Promise<void>;
  /** The text of a file in the work tree. */
  read: (file: string) => Promise<string>;
  commit: (message: string, files?: Record<string, string>) => Promise<string>;
}

/**
 * A real git repository with one commit (README.md), local user, and a HOME of its own.
 * `{ commit: false }` leaves it without any commit; `{ git: false }` makes a plain folder.
 */
export async function withRepo(
  options: { commit?: boolean; git?: boolean; name?: string; onDisk?: boolean } = {},
): Promise<Repo> {
  const dir = await tempDir("mpm-test-", { onDisk: options.onDisk });
  const path = join(dir.path, options.name ?? "project");
  const home = join(dir.path, "home");
  await Deno.mkdir(path, { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  const repo = repoAt(path, home, () => dir[Symbol.asyncDispose]());
  if (options.git === false) return repo;
  if (options.commit === false) {
    await git(path, "init", "-q", "-b", "main");
    await configureRepo(path, "Test Author", "author@example.com");
  } else await copyTree(await (firstCommit ??= makeFirstCommit()), path);
  return repo;
}

/**
 * withRepo's repository with its first commit, made once per test process and copied for each
 * test: four git processes (init, add, commit, rev-parse) once instead of for each of hundreds
 * of repositories. Every copy has the same first commit, as clones of one project do.
 */
let firstCommit: Promise<string> | undefined;

async function makeFirstCommit(): Promise<string> {
  const folder = await Deno.makeTempDir({ prefix: "mpm-test-first-commit-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(folder, { recursive: true }));
  await git(folder, "init", "-q", "-b", "main");
  await configureRepo(folder, "Test Author", "author@example.com");
  await repoAt(folder, folder, () => Promise.resolve())
    .commit("Initial commit", { "README.md": "# demo\n" });
  return folder;
}

/**
 * A test repository's settings, appended to its .git/config as `git config` would write them
 * (one file write instead of a git process each): the author, no signing, and no automatic
 * `git maintenance` after each of the test's own commits.
 */
export async function configureRepo(path: string, name: string, email: string): Promise<void> {
  await Deno.writeTextFile(
    join(path, ".git", "config"),
    `[user]\n\tname = ${name}\n\temail = ${email}\n[commit]\n\tgpgsign = false\n` +
      `[maintenance]\n\tauto = false\n`,
    { append: true },
  );
}

export interface Clones extends AsyncDisposable {
  /** The bare repository both clones push to and fetch from (their `origin`). */
  remote: string;
  a: Repo;
  b: Repo;
}

/** The Repo handle of a work tree at `path`; `dispose` cleans up whatever holds it. */
export function repoAt(path: string, home: string, dispose: () => PromiseLike<void>): Repo {
  const repo: Repo = {
    path,
    home,
    run: (...args) => mpm(args, { cwd: path, env: { HOME: home } }),
    spawn: (...args) => mpm(args, { cwd: path, env: { HOME: home }, spawn: true }),
    git: (...args) => git(path, ...args),
    write: async (file, text) => {
      const full = join(path, file);
      await Deno.mkdir(join(full, ".."), { recursive: true });
      await Deno.writeTextFile(full, text);
    },
    read: (file) => Deno.readTextFile(join(path, file)),
    commit: async (message, files = {}) => {
      for (const [file, text] of Object.entries(files)) await repo.write(file, text);
      await git(path, "add", "-A");
      await git(path, "commit", "-q", "--allow-empty", "-m", message);
      return (await git(path, "rev-parse", "HEAD")).trim();
    },
    [Symbol.asyncDispose]: dispose,
  };
  return repo;
}

/**
 * A bare remote with one commit on `main`, and two clones of it, A and B, each with its own
 * user and HOME: the machines of two teammates. Disposing removes all three.
 */
export async function withClones(): Promise<Clones> {
  const dir = await tempDir("mpm-sync-");
  const remote = join(dir.path, "remote.git");
  await git(dir.path, "init", "-q", "--bare", "-b", "main", remote);
  const clones: Repo[] = [];
  for (const [name, user] of [["a", "Alice"], ["b", "Bob"]]) {
    const path = join(dir.path, name);
    const home = join(dir.path, `home-${name}`);
    await Deno.mkdir(home, { recursive: true });
    await git(dir.path, "clone", "-q", remote, path);
    await configureRepo(path, user, `${user.toLowerCase()}@example.com`);
    // The clones are removed with the folder of the whole set.
    const repo = repoAt(path, home, () => Promise.resolve());
    if (name === "a") {
      // The remote was empty: A makes the first commit, B clones after it.
      await git(path, "symbolic-ref", "HEAD", "refs/heads/main");
      await repo.commit("Initial commit", { "README.md": "# demo\n" });
      await git(path, "push", "-q", "-u", "origin", "main");
    }
    clones.push(repo);
  }
  return {
    remote,
    a: clones[0],
    b: clones[1],
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
}

/** Runs mpm in the repository and fails the test, with mpm's stderr, unless it exits 0. */
export async function ok(repo: Repo, ...args: string[]): Promise<RunResult> {
  const result = await repo.run(...args);
  if (result.code !== 0) {
    throw new Error(`mpm ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  }
  return result;
}

/** Runs mpm in the repository like ok(), and reads its stdout as JSON. */
// deno-lint-ignore no-explicit-any
export async function okJson(repo: Repo, ...args: string[]): Promise<any> {
  return JSON.parse((await ok(repo, ...args)).stdout);
}

/** `mpm status --json`, which must succeed. */
export function statusJson(repo: Repo) {
  return okJson(repo, "status", "--json");
}

/**
 * Writes at `path` a shell script that stands in for the `mpm` program: this source tree run by
 * deno (with the shared cache), for hooks, scripts and Claude Code to call. Returns `path`.
 * `hooksLog` names a file each `mpm hook VERB` run adds `begin VERB` to, and `end VERB` once
 * done: what an agent ran in the background can be waited for (`hooksDone`).
 *
 * Written once (a call that finds the same script there leaves it), whole, under another name
 * and renamed into place: the test modules run as threads of one process, and a process another
 * one starts at the moment a script is open for writing keeps it open until it runs its own
 * program, so a script rewritten just before it is run can fail to start ("Text file busy",
 * exit 126).
 */
export async function writeMpmProgram(
  path: string,
  options: { hooksLog?: string } = {},
): Promise<string> {
  const quoted = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const program = (await mpmProcessArgs()).map(quoted).join(" ");
  const mpm = `DENO_DIR=${quoted(DENO_DIR)} exec ${quoted(Deno.execPath())} ${program} "$@"`;
  const log = options.hooksLog === undefined ? "" : quoted(options.hooksLog);
  const logged = log === "" ? "" : `if [ "$1" = hook ]; then echo "begin $2" >> ${log}; ` +
    `(${mpm}); code=$?; echo "end $2" >> ${log}; exit $code; fi\n`;
  const script = `#!/bin/sh\n${logged}${mpm}\n`;
  if (await Deno.readTextFile(path).catch(() => null) === script) return path;
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, script, { mode: 0o755 });
  await Deno.chmod(temp, 0o755);
  await Deno.rename(temp, path);
  return path;
}

/**
 * Whether the hooks a `writeMpmProgram` log names are all done, with `ends` of `verb` among them
 * (SessionEnd's runs in the background: an agent's exit does not wait for it).
 */
export async function hooksDone(log: string, verb: string, ends: number): Promise<boolean> {
  const lines = (await Deno.readTextFile(log).catch(() => "")).split("\n").filter(Boolean);
  const count = (line: string) => lines.filter((l) => l === line).length;
  const verbs = new Set(lines.map((line) => line.split(" ")[1]));
  return count(`end ${verb}`) >= ends &&
    [...verbs].every((v) => count(`begin ${v}`) === count(`end ${v}`));
}

/** The stash list's messages, newest first, without git's "On BRANCH: " prefix. */
export async function stashes(repo: Repo): Promise<string[]> {
  return (await repo.git("stash", "list", "--format=%gs")).split("\n").filter(Boolean)
    .map((s) => s.replace(/^On [^:]+: /, ""));
}

/** Writes `text` as the record `<id>.json` in `dir` (made if missing), with its checksum file. */
export async function writeRecord(dir: string, id: string, text: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, `${id}.json`), text);
  await Deno.writeTextFile(join(dir, `${id}.json.sha256`), checksumLine(text, `${id}.json`));
}

/** The snapshot files (`*.json`) in `ROOT/.claude-mpm/sessions/`, sorted; [] without it. */
export async function sessionFiles(root: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(join(root, ".claude-mpm", "sessions"))))
      .map((entry) => entry.name).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
}

/** Whether anything (a dangling link too) is at `path`. */
export async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** Copies a fixture folder into `to`, which is created. */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(join(from, entry.name), join(to, entry.name));
    else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

/**
 * `work`, with two CPU-bound processes running beside it (killed after): a busy machine, as a
 * test of a deadline or a bench row needs one.
 */
export async function besideSpinners<T>(work: () => Promise<T>): Promise<T> {
  const spinners = [0, 1].map(() =>
    new Deno.Command(Deno.execPath(), {
      args: ["eval", "for (;;) {}"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn()
  );
  try {
    return await work();
  } finally {
    for (const spinner of spinners) {
      spinner.kill("SIGKILL");
      await spinner.status;
    }
  }
}
