/**
 * Whether to colour output: `--color always|never` wins; `auto` colours a terminal unless NO_COLOR
 * (non-empty) or TERM=dumb, and FORCE_COLOR (non-empty, not "0") colours even a pipe.
 */
import { UsageError } from "../kernel/errors.ts";
import { quoted } from "../kernel/format/text.ts";

export const COLOR_SETTINGS = ["auto", "always", "never"] as const;
export type ColorSetting = typeof COLOR_SETTINGS[number];

export function colorWanted(
  setting: ColorSetting,
  vars: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): boolean {
  if (setting !== "auto") return setting === "always";
  const forced = vars.FORCE_COLOR;
  if (forced !== undefined && forced !== "" && forced !== "0" && forced !== "false") return true;
  if (vars.NO_COLOR) return false;
  if (vars.TERM === "dumb") return false;
  return isTTY;
}

/** `--color[=]WHEN` before `--`, taken out of argv for every command; the last wins. */
export function takeColorFlag(argv: readonly string[]): { argv: string[]; color: ColorSetting } {
  const rest: string[] = [];
  let color: ColorSetting = "auto";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg.startsWith("--color=")) value = arg.slice("--color=".length);
    else if (arg === "--color") {
      value = argv[i + 1];
      i++;
    } else {
      rest.push(arg);
      continue;
    }
    if (!(COLOR_SETTINGS as readonly string[]).includes(value ?? "")) {
      throw new UsageError(
        `--color takes auto, always or never${
          value === undefined ? "" : `, not ${quoted(value)}`
        }.`,
      );
    }
    color = value as ColorSetting;
  }
  return { argv: rest, color };
}
