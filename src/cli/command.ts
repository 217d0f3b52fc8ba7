/**
 * The one declaration each command makes. The same table drives argument parsing,
 * `--help` and shell completions, so the three can never disagree.
 */
import { parseArgs } from "node:util";
import { UsageError } from "../kernel/errors.ts";
import type { Env } from "./env.ts";

/** What a flag's or argument's value is completed from in the shell. */
export type Completion = "sessions" | "checkpoints" | "templates" | "hooks" | "files" | string[];

export interface FlagSpec {
  name: string;
  short?: string;
  /** A flag without a value is a switch; one with `value` takes a string. */
  value?: string;
  multiple?: boolean;
  /** Also accept `--no-NAME`. */
  negatable?: boolean;
  description: string;
  complete?: Completion;
}

export interface ArgSpec {
  name: string;
  description: string;
  optional?: boolean;
  variadic?: boolean;
  complete?: Completion;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  args: string[];
}

/** What a command hands back: text for stdout, and the exit code (0 unless said). */
export interface Result {
  stdout?: string;
  exitCode?: number;
}

export interface Command {
  name: string;
  summary: string;
  /** Extra paragraphs for `--help`. */
  details?: string;
  args?: ArgSpec[];
  flags?: FlagSpec[];
  subcommands?: Command[];
  examples?: string[];
  run?: (env: Env, parsed: Parsed) => Promise<Result>;
}

export const HELP_FLAG: FlagSpec = { name: "help", short: "h", description: "Show this help." };

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
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), `Run \`${path} --help\` to see its options.`);
  }
  const values = parsed.values as Parsed["flags"];
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

function checkArgCount(command: Command, positionals: string[], path: string): void {
  const specs = command.args ?? [];
  const required = specs.filter((a) => !a.optional && !a.variadic).length;
  const variadic = specs.some((a) => a.variadic);
  if (positionals.length < required) {
    const missing = specs[positionals.length];
    throw new UsageError(
      `\`${path}\` needs ${missing.name}.`,
      `Run \`${path} --help\` for its usage.`,
    );
  }
  if (!variadic && positionals.length > specs.length) {
    throw new UsageError(
      `\`${path}\` got an unexpected argument: ${JSON.stringify(positionals[specs.length])}.`,
      `Run \`${path} --help\` for its usage; quote text that contains spaces.`,
    );
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

export function flagUsage(flag: FlagSpec): string {
  const long = flag.negatable ? `--[no-]${flag.name}` : `--${flag.name}`;
  const names = flag.short ? `-${flag.short}, ${long}` : `    ${long}`;
  const value = flag.value ? ` ${flag.value}` : "";
  const repeat = flag.multiple ? "..." : "";
  return `${names}${value}${repeat}`;
}

function argUsage(arg: ArgSpec): string {
  const name = arg.variadic ? `${arg.name}...` : arg.name;
  return arg.optional ? `[${name}]` : name;
}

/** The `--help` text, built from the declaration alone. */
export function helpText(command: Command, path: string): string {
  const lines: string[] = [];
  // Names starting with "_" are plumbing for the shell completions, not for people.
  const subs = (command.subcommands ?? []).filter((s) => !s.name.startsWith("_"));
  // A long list of commands reads better in the table below than in the usage line.
  const usage = subs.length > 0
    ? `${path} <${subs.length > 6 ? "command" : subs.map((s) => s.name).join("|")}> [options]`
    : [path, ...(command.args ?? []).map(argUsage), command.flags?.length ? "[options]" : ""]
      .filter(Boolean).join(" ");
  lines.push(`${command.summary}`, "", `Usage: ${usage}`);
  if (command.details) lines.push("", command.details.trim());
  if (subs.length > 0) {
    lines.push("", "Commands:");
    const width = Math.max(...subs.map((s) => s.name.length));
    for (const sub of subs) lines.push(`  ${sub.name.padEnd(width)}  ${sub.summary}`);
    lines.push("", `Run \`${path} COMMAND --help\` for a command's options.`);
  }
  if (command.args?.length) {
    lines.push("", "Arguments:");
    const width = Math.max(...command.args.map((a) => a.name.length));
    for (const arg of command.args) lines.push(`  ${arg.name.padEnd(width)}  ${arg.description}`);
  }
  const flags = [...(command.flags ?? []), HELP_FLAG];
  lines.push("", "Options:");
  const width = Math.max(...flags.map((f) => flagUsage(f).length));
  for (const flag of flags) lines.push(`  ${flagUsage(flag).padEnd(width)}  ${flag.description}`);
  if (command.examples?.length) {
    lines.push("", "Examples:");
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  return lines.join("\n") + "\n";
}

/** Typed readers for parsed flags, so each command's `options()` stays short. */
export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.flags[name];
  return typeof value === "string" ? value : undefined;
}

export function listFlag(parsed: Parsed, name: string): string[] {
  const value = parsed.flags[name];
  if (Array.isArray(value)) return value;
  return typeof value === "string" ? [value] : [];
}

export function boolFlag(parsed: Parsed, name: string): boolean | undefined {
  const value = parsed.flags[name];
  return typeof value === "boolean" ? value : undefined;
}

export function intFlag(parsed: Parsed, name: string, min = 0): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new UsageError(
      `--${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}.`,
    );
  }
  return Number(raw);
}

/** A flag whose value must be one of `choices` (`--format md`); `fallback` when absent. */
export function choiceFlag<T extends string>(
  parsed: Parsed,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = stringFlag(parsed, name) ?? fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(
      `--${name} must be one of ${choices.join(", ")}, not ${JSON.stringify(raw)}.`,
    );
  }
  return raw as T;
}
