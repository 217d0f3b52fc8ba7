/**
 * argv against a command's declaration, by node:util's parseArgs. Its own module because
 * node:util costs a few milliseconds to load: dispatch imports this only when a command runs,
 * so `mpm --version` and `mpm --help` never pay for it.
 */
import { parseArgs } from "node:util";
import { UsageError } from "../kernel/errors.ts";
import { checkArgCount, type Command, type FlagSpec, HELP_FLAG, type Parsed } from "./command.ts";

/** Parses argv against a command's declaration; never touches the process. */
export function parseCommand(command: Command, argv: string[], path: string): Parsed {
  const flags = [...(command.flags ?? []), HELP_FLAG];
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const flag of flags) {
    options[flag.name] = {
      type: flag.value ? "string" : "boolean",
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), `Run \`${path} --help\` to see its options.`);
  }
  const values = parsed.values as Parsed["flags"];
  refuseRepeats(flags, parsed.tokens ?? [], path);
  for (const flag of flags) {
    if (values[flag.name] === false && !flag.negatable && !flag.value) {
      throw new UsageError(
        `\`--no-${flag.name}\` is not an option of \`${path}\`.`,
        `Run \`${path} --help\` to see its options.`,
      );
    }
  }
  if (values.help) return { flags: values, args: parsed.positionals };
  checkArgCount(command, parsed.positionals, path);
  return { flags: values, args: parsed.positionals };
}

/**
 * An option that takes one value, given twice (`-s a -s b`), is refused rather than silently
 * keeping the last: mpm cannot know which one was meant. Repeatable options say so in --help.
 */
function refuseRepeats(
  flags: FlagSpec[],
  tokens: { kind: string; name?: string; value?: string }[],
  path: string,
): void {
  const seen = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    const flag = flags.find((f) => f.name === token.name);
    if (!flag?.value || flag.multiple) continue;
    const earlier = seen.get(flag.name);
    if (earlier !== undefined && earlier !== token.value) {
      throw new UsageError(
        `--${flag.name} takes one value and was given twice (${JSON.stringify(earlier)} and ` +
          `${JSON.stringify(token.value)}); give it once.`,
        `Run \`${path} --help\` to see its options.`,
      );
    }
    seen.set(flag.name, token.value ?? "");
  }
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const missing = message.match(/Option '([^']+)' argument missing/);
  if (missing) return `Option ${missing[1].replace(/ <value>$/, "")} needs a value.`;
  // `--limit -1`: node takes the "-1" for an option; its three-sentence advice becomes one.
  const dashed = message.match(/Option '([^']+)' argument is ambiguous/);
  if (dashed) {
    const long = message.match(/use '(--[^'=]+)=/)?.[1] ?? dashed[1];
    return `Option ${dashed[1]} needs a value; to give one that starts with "-", write ` +
      `${long}=VALUE.`;
  }
  const ambiguous = message.match(/Option '([^']+)' .*does not take an argument/);
  if (ambiguous) return `Option ${ambiguous[1]} does not take a value.`;
  return message.endsWith(".") ? message : `${message}.`;
}
