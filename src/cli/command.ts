/**
 * The one declaration each command makes. The same table drives argument parsing,
 * `--help` and shell completions, so the three can never disagree.
 */
import { UsageError } from "../kernel/errors.ts";
import { quoted, QUOTED_CHARS, shellQuote, typedWord } from "../kernel/format/text.ts";
import { COLOR_SETTINGS } from "./color.ts";
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
  /** What `--no-NAME` does, where "Turn --NAME off." says too little (the completions show it). */
  negated?: string;
  /** Other spellings of the same flag (`-v` beside `-V`), shown and completed with it. */
  aliases?: string[];
  complete?: Completion;
}

export interface ArgSpec {
  name: string;
  description: string;
  optional?: boolean;
  variadic?: boolean;
  complete?: Completion;
  /** Given only after `--` (`mpm diff 2 -- src/`): usage and the completions say so. */
  dashed?: boolean;
  /** A word as this argument takes it (`before deploy` → `before-deploy`), for usage errors. */
  shape?: (word: string) => string;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  args: string[];
  /** How many of `args` came before a `--` (absent: there was none); `mpm diff -- PATHS`. */
  dashed?: number;
}

/** What a command hands back: text for stdout, and the exit code (0 unless said). */
export interface Result {
  stdout?: string;
  exitCode?: number;
}

export interface Command {
  name: string;
  summary: string;
  /** What the command does, after its summary in `--help`: with it, at most HELP_LINES lines. */
  details?: string;
  /** The rest a person may need (cases, reasons, files): in docs/commands.md, not `--help`. */
  more?: string;
  /** What `--json` prints, field by field: in docs/commands.md, not `--help`. */
  json?: string;
  args?: ArgSpec[];
  flags?: FlagSpec[];
  subcommands?: Command[];
  /** The subcommand a word naming none is likely meant for (`mpm todo "write tests"`: `add`). */
  wordFor?: string;
  examples?: string[];
  run?: (env: Env, parsed: Parsed) => Promise<Result>;
  /** Imports the command's module only when chosen. */
  load?: () => Promise<Command>;
}

/** A command as its file declares it: its registry entry names and summarises it. */
export type Declared = Omit<Command, "name" | "summary">;

/** The command an entry stands for: the entry itself, or what its `load` brings in. */
export function loaded(command: Command): Promise<Command> {
  return command.load ? command.load() : Promise.resolve(command);
}

/** The whole tree, every lazy entry loaded (completions and tests need all of it). */
export async function loadTree(command: Command): Promise<Command> {
  const full = await loaded(command);
  if (!full.subcommands?.length) return full;
  return { ...full, subcommands: await Promise.all(full.subcommands.map(loadTree)) };
}

export const HELP_FLAG: FlagSpec = { name: "help", short: "h", description: "Show this help." };

/** Every way to write `flag`: `--NAME`, `--no-NAME` (negatable), `-X` and its aliases. */
export function flagSpellings(flag: FlagSpec): string[] {
  return [
    `--${flag.name}`,
    ...(flag.negatable ? [`--no-${flag.name}`] : []),
    ...(flag.short ? [`-${flag.short}`] : []),
    ...(flag.aliases ?? []),
  ];
}

/** What `--no-NAME` says of itself: the declaration's words, else that it turns NAME off. */
export function negatedDescription(flag: FlagSpec): string {
  return flag.negated ?? `Turn --${flag.name} off.`;
}

/** The options every command takes, read before dispatch. */
export const GLOBAL_FLAGS: FlagSpec[] = [{
  name: "color",
  value: "WHEN",
  description: "When to colour: auto (a terminal, without NO_COLOR), always or never.",
  complete: [...COLOR_SETTINGS],
}];

/** `mpm --version`, `-V` or `-v`: dispatch answers it before any command is looked up. */
export const VERSION_FLAG: FlagSpec = {
  name: "version",
  short: "V",
  aliases: ["-v"],
  description: "Print mpm's version and build.",
};

/** A command's flags: its own, `--help`, and for the root `--version`, which the CLI answers. */
export function commandFlags(command: Command, root = false): FlagSpec[] {
  const own = (command.flags ?? []).filter((f) => !root || f.name !== VERSION_FLAG.name);
  return [...(root ? [VERSION_FLAG] : []), ...own, HELP_FLAG];
}

/**
 * argv of plain words and switches the command declares by name (`--json`, not `--help`), which
 * needs no option parser: parseCommand's result; undefined for any other argv (parse.ts).
 */
export function parsePlain(command: Command, argv: string[], path: string): Parsed | undefined {
  const parsed: Parsed = { flags: {}, args: [] };
  for (const word of argv) {
    if (!word.startsWith("-")) parsed.args.push(word);
    else {
      const flag = command.flags?.find((f) => `--${f.name}` === word);
      if (!flag || flag.value || flag.multiple) return undefined;
      parsed.flags[flag.name] = true;
    }
  }
  checkArgCount(command, parsed.args, path);
  checkOutputs(parsed.flags, path);
  return parsed;
}

/** The options that each choose what a command prints, and the output each chooses. */
const OUTPUTS: Record<string, (value: string | boolean) => string> = {
  json: () => "json",
  jsonl: () => "jsonl",
  format: (value) => String(value),
  html: () => "html",
};

/** Two that choose different outputs are refused; ones that agree are not. */
export function checkOutputs(flags: Parsed["flags"], path: string): void {
  const given = Object.keys(OUTPUTS).filter((name) => {
    const value = flags[name];
    return value !== undefined && value !== false;
  });
  const chosen = new Set(given.map((name) => OUTPUTS[name](flags[name] as string | boolean)));
  if (chosen.size < 2) return;
  const spelled = given.map((name) =>
    name === "format" ? `--format ${typedWord(String(flags[name]))}` : `--${name}`
  );
  throw new UsageError(
    `${spelled.join(" and ")} are two different outputs; choose one.`,
    `Run \`${path} --help\` to see its options.`,
  );
}

/** Too few or too many positional arguments for the declaration is a usage error. */
export function checkArgCount(command: Command, positionals: string[], path: string): void {
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
      `\`${path}\` got an unexpected argument: ${quoted(positionals[specs.length])}.`,
      extraHint(command, path, positionals.slice(specs.length)),
    );
  }
}

/**
 * What to do with words a command takes no place for: a command that takes none but has a text
 * option (`mpm pause -s TEXT`) is shown the line with the words given to that option; else the
 * help, and quoting only where the word shows none was done.
 */
function extraHint(command: Command, path: string, extra: string[]): string {
  const textFlag = (command.args ?? []).length === 0
    ? command.flags?.find((f) => f.value === "TEXT" && f.short && !f.multiple)
    : undefined;
  if (textFlag) {
    const words = extra.join(" ");
    const plain = words.length <= QUOTED_CHARS && /^[^\p{Cc}\p{Cf}]+$/u.test(words);
    const given = plain ? shellQuote(words) : "TEXT";
    return `Give the words to -${textFlag.short}: \`${path} -${textFlag.short} ${given}\`.`;
  }
  const quoting = extra.some((word) => /\s/.test(word)) ? "" : "; quote text that contains spaces";
  return `Run \`${path} --help\` for its usage${quoting}.`;
}

export function flagUsage(flag: FlagSpec): string {
  const long = flag.negatable ? `--[no-]${flag.name}` : `--${flag.name}`;
  const others = [...(flag.short ? [`-${flag.short}`] : []), ...(flag.aliases ?? [])];
  const names = others.length ? `${others.join(", ")}, ${long}` : `    ${long}`;
  const value = flag.value ? ` ${flag.value}` : "";
  const repeat = flag.multiple ? "..." : "";
  return `${names}${value}${repeat}`;
}

function argUsage(arg: ArgSpec): string {
  const name = `${arg.dashed ? "-- " : ""}${arg.variadic ? `${arg.name}...` : arg.name}`;
  return arg.optional ? `[${name}]` : name;
}

/** The width a help's prose is wrapped to, whatever the width it was typed at. */
const HELP_WIDTH = 80;

/** The widest a line of `--help` runs: a row of a table wraps under its own column. */
const HELP_ROW_WIDTH = 100;

/**
 * A table row of `--help`: `lead` (a name padded to its column), then `text` wrapped to
 * HELP_ROW_WIDTH, its later lines under the text's column (or six in, when the column is wide).
 */
export function helpRow(lead: string, text: string, width = HELP_ROW_WIDTH): string {
  const column = width - lead.length >= 30 ? lead.length : 6;
  const lines: string[] = [];
  let line = "";
  const room = () => width - (lines.length === 0 ? lead.length : column);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > room()) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  const pad = " ".repeat(column);
  return lines.map((l, i) => i === 0 ? `${lead}${l}`.trimEnd() : `${pad}${l}`).join("\n");
}

/** Prose re-wrapped to `width`; an indented or bulleted paragraph stays as typed. */
export function reflow(text: string, width: number): string {
  return text.split(/\n[ \t]*\n/).map((paragraph) => {
    const lines = paragraph.split("\n");
    if (lines.some((line) => /^(\s|[-*•] )/.test(line))) return paragraph;
    const out: string[] = [];
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== "" && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line === "" ? word : `${line} ${word}`;
      }
    }
    if (line !== "") out.push(line);
    return out.join("\n");
  }).join("\n\n");
}

/** How many lines a command's summary and details may take in `--help`, as gh keeps to a screen. */
export const HELP_LINES = 10;

/** The lines `--help` says what a command does in: its summary, then its details re-wrapped. */
export function descriptionLines(command: Command): string[] {
  const details = command.details?.trim();
  return [command.summary, ...(details ? ["", ...reflow(details, HELP_WIDTH).split("\n")] : [])];
}

/** The `--help` text from the declaration alone. */
export function helpText(command: Command, path: string): string {
  const root = path === command.name;
  const lines: string[] = [];
  // Names starting with "_" are plumbing for the shell completions, not for people.
  const subs = (command.subcommands ?? []).filter((s) => !s.name.startsWith("_"));
  // A long list of commands reads better in the table below than in the usage line.
  const usage = subs.length > 0
    ? `${path} <${subs.length > 6 ? "command" : subs.map((s) => s.name).join("|")}> [options]`
    : [path, ...(command.args ?? []).map(argUsage), command.flags?.length ? "[options]" : ""]
      .filter(Boolean).join(" ");
  lines.push(`${command.summary}`, "", `Usage: ${usage}`);
  // A command with subcommands that also runs on its own arguments shows both forms.
  if (subs.length > 0 && command.run && command.args?.length) {
    const own = [path, ...command.args.map(argUsage), "[options]"].join(" ");
    lines.push(`       ${own}`);
  }
  if (command.details) lines.push("", reflow(command.details.trim(), HELP_WIDTH));
  if (subs.length > 0) {
    lines.push("", "Commands:");
    const width = Math.max(...subs.map((s) => s.name.length));
    for (const sub of subs) lines.push(helpRow(`  ${sub.name.padEnd(width)}  `, sub.summary));
    lines.push("", `Run \`${path} COMMAND --help\` for a command's options.`);
  }
  if (command.args?.length) {
    lines.push("", "Arguments:");
    const width = Math.max(...command.args.map((a) => a.name.length));
    for (const arg of command.args) {
      lines.push(helpRow(`  ${arg.name.padEnd(width)}  `, arg.description));
    }
  }
  const flags = commandFlags(command, root);
  const global = root ? GLOBAL_FLAGS : [];
  const width = Math.max(...[...flags, ...global].map((f) => flagUsage(f).length));
  const flagLine = (flag: FlagSpec) =>
    helpRow(`  ${flagUsage(flag).padEnd(width)}  `, flag.description);
  lines.push("", "Options:", ...flags.map(flagLine));
  if (global.length) lines.push("", "Every command also takes:", ...global.map(flagLine));
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

export function intFlag(
  parsed: Parsed,
  name: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be a whole number ${range}, not ${quoted(raw)}.`);
  }
  return Number(raw);
}

/** A flag whose value must be one of `choices` (`--format md`); `fallback` when absent. */
export function choiceFlag<T extends string>(
  parsed: Parsed,
  name: string,
  choices: readonly T[],
  fallback: T,
  hint?: string,
): T {
  const raw = stringFlag(parsed, name) ?? fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    const words = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
    throw new UsageError(`--${name} must be ${words}, not ${quoted(raw)}.`, hint);
  }
  return raw as T;
}
