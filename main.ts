/**
 * The only impure top level: reads the process's arguments and environment, builds the Env,
 * dispatches, prints, and turns errors into exit codes. Nothing else calls Deno.exit.
 */
import { MpmError } from "./src/kernel/errors.ts";
import { dispatch } from "./src/commands.ts";
import type { Env } from "./src/cli/env.ts";
import { style } from "./src/kernel/format/style.ts";
import { type ColorSetting, colorWanted, takeColorFlag } from "./src/cli/color.ts";
import { errorDocument, wantsJson } from "./src/cli/output.ts";
import type { Result } from "./src/cli/command.ts";

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

function buildEnv(color: ColorSetting): Env {
  const vars = Deno.env.toObject();
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
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    out,
    ...(isTTY && Deno.stdin.isTerminal() ? { readLine } : {}),
  };
}

function writeAll(file: typeof Deno.stdout, text: string): void {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

async function main(): Promise<number> {
  let color: ColorSetting = "auto";
  let argv = Deno.args;
  try {
    ({ argv, color } = takeColorFlag(Deno.args));
  } catch (error) {
    // A bad --color value is bad usage like any other: with --json, the error document.
    if (wantsJson(Deno.args)) return printDocument(errorDocument(error));
    return report(error, { vars: Deno.env.toObject() }, "auto");
  }
  let env: Env;
  try {
    env = buildEnv(color);
  } catch (error) {
    if (wantsJson(argv)) return printDocument(errorDocument(error));
    return report(error, { vars: Deno.env.toObject() }, color);
  }
  try {
    const result = await dispatch(env, argv);
    try {
      if (result.stdout) writeAll(Deno.stdout, result.stdout);
    } catch (error) {
      // The reader went away (`mpm list | head`): what it wanted, it got.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
    return result.exitCode ?? 0;
  } catch (error) {
    return report(error, env, color);
  }
}

function printDocument(result: Result): number {
  writeAll(Deno.stdout, result.stdout ?? "");
  return result.exitCode ?? 1;
}

function report(error: unknown, env: Pick<Env, "vars">, color: ColorSetting): number {
  const s = style(colorWanted(color, env.vars, Deno.stderr.isTerminal()));
  if (error instanceof MpmError) {
    const hint = error.hint ? `\n${s.dim(error.hint)}` : "";
    writeAll(Deno.stderr, `${s.red("mpm:")} ${error.message}${hint}\n`);
    if (env.vars.MPM_DEBUG === "1") writeAll(Deno.stderr, `${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeAll(Deno.stderr, `${s.red("mpm:")} unexpected failure: ${message.split("\n")[0]}\n`);
  if (env.vars.MPM_DEBUG === "1" && error instanceof Error) {
    writeAll(Deno.stderr, `${error.stack}\n`);
  } else {
    writeAll(
      Deno.stderr,
      s.dim("This is a bug in mpm; run again with MPM_DEBUG=1 to see where.\n"),
    );
  }
  return 1;
}

// No top-level await: the bundle may merge this module's code into a chunk that commands' chunks
// import (scripts/bundle.ts), and a chunk awaiting at its top level would wait for itself.
if (import.meta.main) main().then((code) => Deno.exit(code));
