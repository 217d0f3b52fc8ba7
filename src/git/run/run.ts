/**
 * Spawning git: the one place mpm starts a git process. Every call runs with a fixed locale
 * (so messages can be recognised), without optional locks (so `status` never takes the index
 * lock a user's own git might want) and without a pager.
 */
import { MpmError } from "../../kernel/errors.ts";
import { killStep } from "./kill_step.ts";

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options placed before every subcommand. */
const GLOBAL_ARGS = ["--no-pager", "-c", "core.quotePath=false", "-c", "color.ui=false"];

const GIT_ENV = {
  LC_ALL: "C",
  GIT_OPTIONAL_LOCKS: "0",
  GIT_PAGER: "cat",
  GIT_TERMINAL_PROMPT: "0",
};

/** Inherited variables that would point git at another repository (mpm run from a git hook). */
const REPO_VARS = new Set([
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_COMMON_DIR",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
]);

/** The run's environment for git, else this process's (in-process tests get a spawn's HOME). */
let inherited: Readonly<Record<string, string>> | undefined;

/** Makes `vars` the environment later git calls start from; undefined: this process's own. */
export function useGitEnvFrom(vars: Readonly<Record<string, string>> | undefined): void {
  inherited = vars;
}

/** The variables git starts from (useGitEnvFrom's, else this process's). */
export function gitVars(): Readonly<Record<string, string>> {
  return inherited ?? Deno.env.toObject();
}

function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(gitVars())) {
    if (!REPO_VARS.has(key)) env[key] = value;
  }
  return { ...env, ...GIT_ENV };
}

/** A stop for every git call of this run (SessionEnd's deadline): throws GitStoppedError. */
let stop: AbortSignal | undefined;

/** Makes `signal` stop every later git call (undefined: none is stopped). */
export function stopGitOn(signal: AbortSignal | undefined): void {
  stop = signal;
}

/** Whether git was stopped in this run: its work is left for later. */
export function gitStopped(): boolean {
  return stop?.aborted === true;
}

/** A git call stopped at the run's deadline (stopGitOn). */
export class GitStoppedError extends MpmError {
  constructor() {
    super("git was stopped at the hook's deadline.", "The next mpm command finishes the work.");
  }
}

export interface GitOptions {
  /** Written to git's stdin (text as UTF-8); an iterable's chunks as they come. */
  stdin?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /** Added to git's environment (after mpm's own settings). */
  env?: Record<string, string>;
}

/** Runs `git ARGS` in `cwd`; null if git cannot start; a non-zero exit is returned, not thrown. */
export async function runGit(
  cwd: string | undefined,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitOutput | null> {
  const out = await runGitBytes(cwd, args, options);
  return out && { ...out, stdout: new TextDecoder().decode(out.stdout) };
}

/** runGit for bytes; stdin written while stdout is read, so full pipes cannot deadlock. */
export async function runGitBytes(
  cwd: string | undefined,
  args: readonly string[],
  options: GitOptions = {},
): Promise<{ code: number; stdout: Uint8Array; stderr: string } | null> {
  const command = new Deno.Command("git", {
    args: [...GLOBAL_ARGS, ...args],
    cwd,
    env: { ...gitEnv(), ...options.env },
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    ...(stop ? { signal: stop } : {}),
  });
  let out: Deno.CommandOutput;
  if (stop?.aborted) throw new GitStoppedError();
  killStep("git-start", args);
  try {
    // Without input, one call collects the output (no web streams to set up on the way).
    out = options.stdin === undefined
      ? await command.output()
      : await outputFeeding(command.spawn(), options.stdin);
  } catch (error) {
    if (stop?.aborted) throw new GitStoppedError();
    if (isSpawnNotFound(error)) return null;
    throw error;
  }
  // Whatever git said, it was cut short (or its answer comes too late to be used).
  if (stop?.aborted) throw new GitStoppedError();
  killStep("git-end", args);
  return { code: out.code, stdout: out.stdout, stderr: new TextDecoder().decode(out.stderr) };
}

/** `git ARGS` with no stdin and its output piped, stopped with the rest (`stop`). */
function pipedGit(cwd: string | undefined, args: readonly string[]): Deno.Command {
  if (stop?.aborted) throw new GitStoppedError();
  return new Deno.Command("git", {
    args: [...GLOBAL_ARGS, ...args],
    cwd,
    env: gitEnv(),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(stop ? { signal: stop } : {}),
  });
}

/** runGit for output too large to hold, each read given to `take`; null without git. */
export async function runGitInto(
  cwd: string | undefined,
  args: readonly string[],
  take: (chunk: Uint8Array) => void,
): Promise<{ code: number; stderr: string } | null> {
  const command = pipedGit(cwd, args);
  killStep("git-start", args);
  let child: Deno.ChildProcess;
  try {
    child = command.spawn();
  } catch (error) {
    if (isSpawnNotFound(error)) return null;
    throw error;
  }
  const stderr = new Response(child.stderr).text();
  let code: number;
  try {
    for await (const chunk of child.stdout) take(chunk);
    code = (await child.status).code;
  } catch (error) {
    try {
      child.kill();
    } catch {
      // Already gone.
    }
    await child.status.catch(() => {});
    await stderr.catch(() => "");
    if (stop?.aborted) throw new GitStoppedError();
    throw error;
  }
  const said = await stderr.catch(() => "");
  if (stop?.aborted) throw new GitStoppedError();
  killStep("git-end", args);
  return { code, stderr: said };
}

/** `git ARGS`'s output as it comes; throws with git's words when git exits otherwise than 0. */
export async function* streamGit(
  cwd: string | undefined,
  args: readonly string[],
): AsyncGenerator<Uint8Array> {
  const command = pipedGit(cwd, args);
  const child = command.spawn();
  const stderr = new Response(child.stderr).text();
  let done = false;
  try {
    for await (const chunk of child.stdout) yield chunk;
    done = true;
  } finally {
    if (!done) {
      try {
        child.kill();
      } catch {
        // Already gone.
      }
      await child.status;
      await stderr.catch(() => "");
    }
  }
  const status = await child.status;
  const said = await stderr.catch(() => "");
  if (stop?.aborted) throw new GitStoppedError();
  if (!status.success) throw gitFailure(args, { code: status.code, stdout: "", stderr: said });
}

async function outputFeeding(
  child: Deno.ChildProcess,
  stdin: string | Uint8Array | AsyncIterable<Uint8Array>,
): Promise<Deno.CommandOutput> {
  const output = child.output();
  const writer = child.stdin.getWriter();
  // git may exit before reading everything (a failure); a broken pipe is then not our error.
  const chunks = typeof stdin === "string"
    ? [new TextEncoder().encode(stdin)]
    : stdin instanceof Uint8Array
    ? [stdin]
    : stdin;
  try {
    for await (const chunk of chunks) await writer.write(chunk).catch(() => {});
  } catch (error) {
    // The input failed: git is given its end and waited for, then the failure is told.
    await writer.close().catch(() => {});
    await output.catch(() => {});
    throw error;
  }
  await writer.close().catch(() => {});
  return await output;
}

/** Whether a spawn failure means "no such program (or folder)", which mpm treats as "no git". */
export function isSpawnNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound;
}

/** Whether git refused because the folder is not inside a repository. */
export function isNotRepo(out: GitOutput): boolean {
  return out.code === 128 && /not a git repository/i.test(out.stderr);
}

/** The error for a git failure mpm did not expect: git's own first line says why. */
export function gitFailure(args: readonly string[], out: GitOutput, hint?: string): MpmError {
  // git names the exclude file it cannot read: that file, and what to do with it.
  const exclude = out.stderr.match(/cannot use (.+) as an exclude file/)?.[1];
  if (exclude !== undefined) return unusableExclude(exclude);
  const reason = firstLine(out.stderr) ?? firstLine(out.stdout) ?? `exit code ${out.code}`;
  const command = ["git", subcommandOf(args)].filter(Boolean).join(" ");
  return new MpmError(`${command} failed: ${reason}`, hint);
}

/** An `info/exclude` that is no file git can read (a folder, say): git dies on every status. */
export function unusableExclude(path: string): MpmError {
  return new MpmError(
    `git cannot use ${path} as its exclude file: it must be a file git can read.`,
    `Move it away (\`mv ${path} ${path}.old\`) and run it again.`,
  );
}

/** The first argument that is not a global option (`-c` and `-C` take a value). */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-c" || args[i] === "-C") i++;
    else if (!args[i].startsWith("-")) return args[i];
  }
  return "";
}

function firstLine(text: string): string | undefined {
  return text.split("\n").map((line) => line.trim()).find((line) => line !== "");
}

/** git's stdout on success; null without git or a repository; throws for any other failure. */
export async function gitStdout(root: string, args: readonly string[]): Promise<string | null> {
  const out = await runGit(root, args);
  if (out === null || isNotRepo(out)) return null;
  if (out.code !== 0) throw gitFailure(args, out);
  return out.stdout;
}

/** git's version line ("git version 2.39.5"), or null when git is not installed. */
export async function gitVersion(): Promise<string | null> {
  const out = await runGit(undefined, ["--version"]);
  return out?.code === 0 ? out.stdout.trim() : null;
}
