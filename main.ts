/**
 * The only impure top level: builds the Env from the process, runs src/cli/cli_run.ts and exits
 * with its code (nothing else calls Deno.exit). A ready SessionStart, `mpm mcp`'s front, Codex's
 * Stop mark and a quiet `mpm sync push|pull|status` are answered before the command line's code is
 * imported, so those starts load nothing else.
 */
import { MpmError } from "./src/kernel/errors.ts";
import type { Env } from "./src/cli/env.ts";
import type { ColorSetting } from "./src/cli/color.ts";
import type { Invocation } from "./src/cli/cli_run.ts";
import type { ProgressOutput } from "./src/cli/progress.ts";
import {
  doorAgent,
  MAX_PAYLOAD_BYTES,
  readyStart as answerReady,
} from "./src/hooks/events/ready_start.ts";
import type { AgentName } from "./src/kernel/agent_name.ts";

/**
 * All of stdin, up to `limit` bytes, by plain reads (the web stream is slow on first use). `sync`:
 * without the thread pool, for a run with nothing else to do meanwhile.
 */
async function readStdin(limit: number, sync = false): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  let size = 0;
  for (;;) {
    const read = sync ? Deno.stdin.readSync(buffer) : await Deno.stdin.read(buffer);
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
async function out(text: string | Uint8Array): Promise<boolean> {
  try {
    const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
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

/** What builds the Env and reports a failure, loaded once the command line is to be run. */
interface Cli {
  colorWanted: typeof import("./src/cli/color.ts").colorWanted;
  terminalProgress: typeof import("./src/cli/progress.ts").terminalProgress;
}

function buildEnv(
  cli: Cli,
  color: ColorSetting,
  vars: Record<string, string>,
  home: string | undefined,
  stdin: Env["readStdin"] | undefined,
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
    color: cli.colorWanted(color, vars, isTTY),
    // The payload the ready start read already, if it did.
    readStdin: stdin ?? readStdin,
    readChunk: (buffer) => Deno.stdin.read(buffer),
    ...(stderrIsTTY
      ? { progress: (label: string) => cli.terminalProgress(label, progressOutput) }
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

/** SessionStart's ready answer written, then exit at once; else how the full hook reads stdin. */
async function readyStart(
  vars: Record<string, string>,
  agent: AgentName,
): Promise<Env["readStdin"]> {
  let payload: string;
  try {
    payload = await readStdin(MAX_PAYLOAD_BYTES, true);
  } catch (error) {
    return () => Promise.reject(error);
  }
  const answer = await Promise.resolve()
    // Claude Code names the folder in the payload: the start folder is not looked at (a deleted
    // one throws here, and the full hook says so).
    .then(() =>
      answerReady({
        payload,
        vars,
        cwd: vars.MPM_INVOKED_FROM || Deno.cwd(),
        now: new Date(),
        agent,
      })
    )
    .catch(() => null);
  if (answer === null) return () => Promise.resolve(payload);
  try {
    writeAll(Deno.stdout, answer);
  } catch {
    // Claude Code went away: nothing to tell.
  }
  Deno.exit(0);
}

/** Whether `mpm hook checkpoint ARGS` is Codex's turn end as its hook runs it. */
function codexTurn(args: readonly string[]): boolean {
  return args.length === 1
    ? args[0] === "--agent=codex"
    : args.length === 2 && args[0] === "--agent" && args[1] === "codex";
}

/**
 * Codex's turn end (`mpm hook checkpoint --agent codex`): its mark left, then exit at once
 * (src/hooks/events/turn_mark.ts); else how the full hook reads stdin.
 */
async function turnMark(vars: Record<string, string>): Promise<Env["readStdin"]> {
  // A payload that never ends (a FIFO) holds nothing: past the full hook's deadline, it ends.
  const given = vars.MPM_HOOK_DEADLINE_MS ?? "";
  const ms = /^\d{1,7}$/.test(given) && Number(given) > 0 ? Number(given) : 8_000;
  const guard = setTimeout(() => Deno.exit(0), ms);
  try {
    let payload: string;
    try {
      payload = await readStdin(MAX_PAYLOAD_BYTES);
    } catch (error) {
      return () => Promise.reject(error);
    }
    const { codexTurnMark } = await import("./src/hooks/events/turn_mark.ts");
    const cwd = vars.MPM_INVOKED_FROM || Deno.cwd();
    const done = await codexTurnMark({ payload, vars, cwd, now: new Date() }).catch(() => false);
    if (done) Deno.exit(0);
    return () => Promise.resolve(payload);
  } finally {
    clearTimeout(guard);
  }
}

/**
 * `mpm mcp` without the command line: the front is served at once, the tools' Env built at the
 * first call. Null (the command line runs it and says what is wrong) when the start folder is gone.
 */
async function mcpDoor(vars: Record<string, string>): Promise<number | null> {
  try {
    startFolder(vars);
  } catch {
    return null;
  }
  const { serveFront } = await import("./src/mcp/front.ts");
  const warn = (text: string) => writeAll(Deno.stderr, text.endsWith("\n") ? text : text + "\n");
  const served = serveFront(
    { read: (buffer) => Deno.stdin.read(buffer), write: out, warn },
    async (send) => {
      const [{ colorWanted }, { terminalProgress }, home, { prepareRun }, { sdkBackend }] =
        await Promise.all([
          import("./src/cli/color.ts"),
          import("./src/cli/progress.ts"),
          accountHome(vars),
          import("./src/cli/dispatch.ts"),
          import("./src/mcp/server.ts"),
        ]);
      const env = buildEnv({ colorWanted, terminalProgress }, "auto", vars, home, undefined);
      // As dispatch does for every command: the machine key, git's environment.
      prepareRun(env);
      return sdkBackend(env, send);
    },
  );
  try {
    await served;
    return 0;
  } catch (error) {
    // Reported as the command line reports a failure: one sentence, no stack.
    const { failureReport } = await import("./src/cli/cli_run.ts");
    const report = failureReport(error, { vars, stderrIsTTY: Deno.stderr.isTerminal() }, "auto");
    writeAll(Deno.stderr, report.stderr);
    return report.code;
  }
}

/**
 * `mpm sync push|pull|status` with nothing new on either side, as the full run last answered it
 * (src/sync/quiet/sync_door.ts), without loading the command line. Null: the full run decides.
 */
async function syncDoor(vars: Record<string, string>, args: string[]): Promise<number | null> {
  try {
    // A start folder that is gone is refused by the command line, in one sentence.
    const cwd = startFolder(vars);
    const { quietDoor } = await import("./src/sync/quiet/sync_door.ts");
    const answer = await quietDoor({
      args,
      vars,
      cwd,
      stderrIsTTY: Deno.stderr.isTerminal(),
    });
    if (answer === null) return null;
    if (answer.stderr) writeAll(Deno.stderr, answer.stderr);
    try {
      writeAll(Deno.stdout, answer.stdout);
    } catch (error) {
      // The reader went away (`mpm sync pull | head`): what it wanted, it got.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
    return answer.code;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const vars = Deno.env.toObject();
  const [first, second, ...rest] = Deno.args;
  const served = first === "mcp" && second === undefined ? await mcpDoor(vars) : null;
  if (served !== null) return served;
  const quiet = first === "sync" ? await syncDoor(vars, Deno.args.slice(1)) : null;
  if (quiet !== null) return quiet;
  // Every agent's start comes in by this one door (`--agent codex`, `--agent gemini` too).
  const agent = first === "hook" && second === "session-start" ? doorAgent(rest) : undefined;
  const stdin = agent === undefined
    ? first === "hook" && second === "checkpoint" && codexTurn(rest)
      ? await turnMark(vars).catch(() => undefined)
      : undefined
    : await readyStart(vars, agent).catch(() => undefined);
  const [{ dispatch }, { failureReport, runCli }, { colorWanted }, { terminalProgress }, home] =
    await Promise.all([
      import("./src/commands.ts"),
      import("./src/cli/cli_run.ts"),
      import("./src/cli/color.ts"),
      import("./src/cli/progress.ts"),
      accountHome(vars),
    ]);
  const cli: Cli = { colorWanted, terminalProgress };
  const call: Invocation = {
    argv: Deno.args,
    vars,
    stderrIsTTY: Deno.stderr.isTerminal(),
    env: (color) => buildEnv(cli, color, vars, home, stdin),
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
 * Exits with `code` after one turn of the event loop, in which Deno stores V8's code cache (a run
 * ending before one would compile its modules again every time); a 1 ms wait is such a turn.
 */
async function exitAfterOneTurn(code: number): Promise<never> {
  Deno.exitCode = code;
  await Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1).value;
  Deno.exit(code);
}

// No top-level await: the bundle may merge this module's code into a chunk that commands' chunks
// import (scripts/build/bundle.ts), and a chunk awaiting at its top level would wait for itself.
if (import.meta.main) main().then(exitAfterOneTurn);
