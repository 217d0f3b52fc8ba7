/**
 * Runs a command from Claude Code's settings as Claude Code does (`sh -c`, the event's JSON on
 * stdin), killing its process group after `timeoutMs`. For `mpm doctor`.
 */
import { errorText } from "../../../kernel/errors.ts";

export interface CommandRun {
  /** The exit code; 127 when no shell could be started. */
  code: number;
  stdout: string;
  stderr: string;
  /** How long it ran. */
  ms: number;
  /** Stopped at `timeoutMs`. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment: nothing of this process's is added. */
  env: Record<string, string>;
  stdin: string;
  timeoutMs: number;
}

export async function runAsClaudeCode(command: string, options: RunOptions): Promise<CommandRun> {
  const started = performance.now();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("sh", {
      args: ["-c", command],
      cwd: options.cwd,
      env: options.env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      // Its own process group, so a timeout stops what it started too, and the pipes close.
      detached: true,
    }).spawn();
  } catch (error) {
    return { code: 127, stdout: "", stderr: errorText(error), ms: 0, timedOut: false };
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // It ended just now.
    }
  }, options.timeoutMs);
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close())
    .catch(() => {
      // A command may exit without reading its input; what it did is in its output.
    });
  const out = await child.output();
  clearTimeout(timer);
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    ms: Math.round(performance.now() - started),
    timedOut,
  };
}
