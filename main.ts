/**
 * The only impure top level: reads the process's arguments and environment, builds the Env,
 * and hands both to src/cli/cli_run.ts, which dispatches and turns errors into their report and
 * exit code; it prints what comes back and exits with that code. Nothing else calls Deno.exit.
 */
import { MpmError } from "./src/kernel/errors.ts";
import { dispatch } from "./src/commands.ts";
import type { Env } from "./src/cli/env.ts";
import { type ColorSetting, colorWanted } from "./src/cli/color.ts";
import { failureReport, type Invocation, runCli } from "./src/cli/cli_run.ts";
import { type ProgressOutput, terminalProgress } from "./src/cli/progress.ts";

/**
 * All of stdin, up to `limit` bytes. Plain reads, not `Deno.stdin.readable`: setting up the web
 * stream is slow on its first use, and every hook reads its payload this way.
 */
async function readStdin(limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  let size = 0;
  for (;;) {
    const read = await Deno.stdin.read(buffer);
    if (read === null) break;
    size += read;
    if (size > limit) throw new MpmError(`The input on stdin is larger than ${limit} bytes.`);
    chunks.push(buffer.slice(0, read));
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}

/** One line from a terminal's stdin (without its newline), or null at end of input. */
async function readLine(): Promise<string | null> {
  const buffer = new Uint8Array(1024);
  const bytes: number[] = [];
  for (;;) {
    const read = await Deno.stdin.read(buffer);
    if (read === null) return bytes.length ? new TextDecoder().decode(new Uint8Array(bytes)) : null;
    for (const byte of buffer.subarray(0, read)) {
      if (byte === 10) return new TextDecoder().decode(new Uint8Array(bytes));
      bytes.push(byte);
    }
  }
}

/** Streams to stdout; false once the reader went away (`mpm replay | head`). */
async function out(text: string): Promise<boolean> {
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return false;
    throw error;
  }
}

/**
 * The folder mpm was started in. One that was deleted (or moved away) is refused in one sentence:
 * going on would recreate it by writing `.claude-mpm/` at its old path.
 */
function startFolder(vars: Record<string, string>): string {
  const gone = () =>
    new MpmError(
      "The folder mpm was started in no longer exists (it was deleted or moved away).",
      "cd into an existing folder (your project) and run mpm again.",
    );
  // `deno task mpm` runs from the repository; MPM_INVOKED_FROM carries the user's folder.
  let cwd = vars.MPM_INVOKED_FROM || undefined;
  try {
    cwd ??= Deno.cwd();
    if (!Deno.statSync(cwd).isDirectory) throw gone();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw gone();
    throw error;
  }
  return cwd;
}

/**
 * The user's home from the account database, for a run without HOME (a hook or cron job started
 * with a bare environment): without it, nothing this run writes would be this machine's.
 */
async function accountHome(vars: Record<string, string>): Promise<string | undefined> {
  if (vars.HOME !== undefined || vars.USERPROFILE !== undefined) return undefined;
  try {
    return (await import("node:os")).userInfo().homedir || undefined;
  } catch {
    return undefined;
  }
}

function buildEnv(
  color: ColorSetting,
  vars: Record<string, string>,
  home: string | undefined,
): Env {
  const isTTY = Deno.stdout.isTerminal();
  const stderrIsTTY = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  return {
    cwd: startFolder(vars),
    vars,
    now: () => new Date(),
    warn: (text) => Deno.stderr.writeSync(encoder.encode(text.endsWith("\n") ? text : text + "\n")),
    isTTY,
    stderrIsTTY,
    color: colorWanted(color, vars, isTTY),
    readStdin,
    readChunk: (buffer) => Deno.stdin.read(buffer),
    ...(stderrIsTTY
      ? { progress: (label: string) => terminalProgress(label, progressOutput) }
      : {}),
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    out,
    ...(isTTY && Deno.stdin.isTerminal() ? { readLine } : {}),
    ...(home === undefined ? {} : { accountHome: home }),
  };
}

/** Where a progress line is drawn: stderr, the real clock, a timer that does not hold the run. */
const progressOutput: ProgressOutput = {
  write: (text) => writeAll(Deno.stderr, text),
  now: () => Date.now(),
  every: (ms, tick) => {
    const id = setInterval(tick, ms);
    Deno.unrefTimer(id);
    return () => clearInterval(id);
  },
};

function writeAll(file: typeof Deno.stdout, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

async function main(): Promise<number> {
  const vars = Deno.env.toObject();
  const home = await accountHome(vars);
  const call: Invocation = {
    argv: Deno.args,
    vars,
    stderrIsTTY: Deno.stderr.isTerminal(),
    env: (color) => buildEnv(color, vars, home),
  };
  const outcome = await runCli(dispatch, call);
  try {
    if (outcome.stdout) writeAll(Deno.stdout, outcome.stdout);
  } catch (error) {
    // The reader went away (`mpm list | head`): what it wanted, it got.
    if (!(error instanceof Deno.errors.BrokenPipe)) {
      writeAll(Deno.stderr, failureReport(error, call, "auto").stderr);
      return 1;
    }
  }
  if (outcome.stderr) writeAll(Deno.stderr, outcome.stderr);
  return outcome.code;
}

/**
 * Exits with `code` after a turn of the event loop: Deno stores the compiled code of the modules
 * a run loaded (V8's code cache) in such a turn, and a run that ended before one (`--version`,
 * `--help`) would compile them again every time. A 1 ms wait is a turn (a call that completes at
 * once is not always one); with nothing else pending, the process ends before it, with the code.
 */
async function exitAfterOneTurn(code: number): Promise<never> {
  Deno.exitCode = code;
  await Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1).value;
  Deno.exit(code);
}

// No top-level await: the bundle may merge this module's code into a chunk that commands' chunks
// import (scripts/bundle.ts), and a chunk awaiting at its top level would wait for itself.
if (import.meta.main) main().then(exitAfterOneTurn);
