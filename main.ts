/**
 * The only impure top level: reads the process's arguments and environment, builds the Env,
 * dispatches, prints, and turns errors into exit codes. Nothing else calls Deno.exit.
 */
import { MpmError } from "./src/kernel/errors.ts";
import { dispatch } from "./src/commands.ts";
import type { Env } from "./src/cli/env.ts";
import { style } from "./src/kernel/style.ts";
import { type ColorSetting, colorWanted, takeColorFlag } from "./src/cli/color.ts";

async function readStdin(limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of Deno.stdin.readable) {
    size += chunk.length;
    if (size > limit) throw new MpmError(`The input on stdin is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}

function buildEnv(color: ColorSetting): Env {
  const vars = Deno.env.toObject();
  const isTTY = Deno.stdout.isTerminal();
  const stderrIsTTY = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  return {
    // `deno task mpm` runs from the repository; MPM_INVOKED_FROM carries the user's folder.
    cwd: vars.MPM_INVOKED_FROM || Deno.cwd(),
    vars,
    now: () => new Date(),
    warn: (text) => Deno.stderr.writeSync(encoder.encode(text.endsWith("\n") ? text : text + "\n")),
    isTTY,
    stderrIsTTY,
    color: colorWanted(color, vars, isTTY),
    readStdin,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
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
    return report(error, buildEnv("auto"), "auto");
  }
  const env = buildEnv(color);
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

function report(error: unknown, env: Env, color: ColorSetting): number {
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

if (import.meta.main) Deno.exit(await main());
