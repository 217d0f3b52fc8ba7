/**
 * One run of mpm, from its arguments to its output and exit code. main.ts reads the process into an
 * Invocation; tests run the same function in-process (tests/cli_runner.ts).
 */
import { faultError, MpmError } from "../kernel/errors.ts";
import { style } from "../kernel/format/style.ts";
import { printable } from "../kernel/format/text.ts";
import { cut } from "../kernel/safe_text/inert.ts";
import { type ColorSetting, colorWanted, takeColorFlag } from "./color.ts";
import type { Result } from "./command.ts";
import type { Env } from "./env.ts";
import { errorDocument, wantsJson } from "./output.ts";

export interface Invocation {
  argv: readonly string[];
  /** The environment variables, for the error report before an Env exists. */
  vars: Readonly<Record<string, string>>;
  /** Whether stderr is a terminal: an error report is coloured only there. */
  stderrIsTTY: boolean;
  /** The run's Env once `--color` is read; it throws when the start folder is gone. */
  env: (color: ColorSetting) => Env;
}

export interface Outcome {
  code: number;
  /** What the command returned (what it streamed through `env.out` went out already). */
  stdout: string;
  /** The error report, if the run failed (warnings went out through `env.warn` already). */
  stderr: string;
}

/** From argv to an Outcome; nothing thrown, whatever the command does. */
export async function runCli(
  dispatch: (env: Env, argv: string[]) => Promise<Result>,
  call: Invocation,
): Promise<Outcome> {
  let color: ColorSetting = "auto";
  let argv = [...call.argv];
  try {
    ({ argv, color } = takeColorFlag(call.argv));
  } catch (error) {
    // A bad --color value is bad usage like any other: with --json, the error document.
    if (wantsJson(call.argv)) return document(errorDocument(error));
    return failureReport(error, call, "auto");
  }
  let env: Env;
  try {
    env = call.env(color);
  } catch (error) {
    if (wantsJson(argv)) return document(errorDocument(error));
    return failureReport(error, call, color);
  }
  try {
    const result = await dispatch(env, argv);
    return { code: result.exitCode ?? 0, stdout: result.stdout ?? "", stderr: "" };
  } catch (error) {
    return failureReport(error, { ...call, vars: env.vars }, color);
  }
}

function document(result: Result): Outcome {
  return { code: result.exitCode ?? 1, stdout: result.stdout ?? "", stderr: "" };
}

/** An error printable and at most a screenful: the last bound on outside text. */
const ERROR_CHARS = 2_000;

function told(text: string): string {
  return printable(cut(text, ERROR_CHARS));
}

/** The error in one sentence with its hint and code; a stack only with MPM_DEBUG=1. */
export function failureReport(
  thrown: unknown,
  call: Pick<Invocation, "vars" | "stderrIsTTY">,
  color: ColorSetting,
): Outcome {
  // A full disk, a read-only folder, no file handles: the machine's fault, not a bug in mpm.
  const error = faultError(thrown) ?? thrown;
  const s = style(colorWanted(color, call.vars, call.stderrIsTTY));
  const debug = call.vars.MPM_DEBUG === "1";
  if (error instanceof MpmError) {
    const hint = error.hint ? `\n${s.dim(told(error.hint))}` : "";
    const stack = debug ? `${(thrown instanceof Error ? thrown : error).stack}\n` : "";
    return {
      code: error.exitCode,
      stdout: "",
      stderr: `${s.red("mpm:")} ${told(error.message)}${hint}\n${stack}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const first = `${s.red("mpm:")} unexpected failure: ${told(message.split("\n")[0])}\n`;
  const next = debug && error instanceof Error
    ? `${error.stack}\n`
    : s.dim("This is a bug in mpm; run again with MPM_DEBUG=1 to see where.\n");
  return { code: 1, stdout: "", stderr: first + next };
}
