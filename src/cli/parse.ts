/**
 * argv against a declaration, by parseArgs' strict rules (a `node:` import would load Deno's Node
 * layer); a value starting with "-" must be glued, but for a negative number, which no option is
 * spelled as, so `--keep -3` reaches the check that says what the value must be.
 */
import { UsageError } from "../kernel/errors.ts";
import { quoted, typedWord } from "../kernel/format/text.ts";
import { didYouMean } from "./suggest.ts";
import {
  checkArgCount,
  checkOutputs,
  type Command,
  commandFlags,
  type FlagSpec,
  GLOBAL_FLAGS,
  HELP_FLAG,
  type Parsed,
} from "./command.ts";

/** One option as typed: its flag, the spelling used (`-s`, `--summary`), and its value. */
interface Given {
  flag: FlagSpec;
  raw: string;
  value: string | boolean;
}

/** Parses argv against a command's declaration; never touches the process. */
export function parseCommand(command: Command, argv: string[], path: string): Parsed {
  const flags = commandFlags(command);
  const spelledAs = (spelling: string) => (f: FlagSpec) => f.aliases?.includes(spelling) ?? false;
  const fail = (message: string): never => refuse(message, path);
  const given: Given[] = [];
  const args: string[] = [];
  let dashed: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      dashed = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-" || isNegativeNumber(word)) {
      args.push(word);
      continue;
    }
    // A value taken from the next word, if there is one that is not an option.
    const next = (flag: FlagSpec, raw: string): string => {
      const value = argv[i + 1];
      if (value === undefined) return refuse(`Option ${spelled(flag)} needs a value.`, path);
      if (value.length > 1 && value.startsWith("-") && !isNegativeNumber(value)) {
        refuse(
          `Option ${raw} needs a value; to give one that starts with "-", write ` +
            `--${flag.name}=VALUE.`,
          path,
        );
      }
      i++;
      return value;
    };
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
      const raw = `--${name}`;
      const flag = flags.find((f) => f.name === name) ?? flags.find(spelledAs(raw));
      if (flag) {
        if (!flag.value && eq !== -1) fail(`Option ${raw} does not take a value.`);
        const value = flag.value ? (eq === -1 ? next(flag, raw) : word.slice(eq + 1)) : true;
        given.push({ flag, raw, value });
        continue;
      }
      const negated = name.startsWith("no-")
        ? flags.find((f) => f.name === name.slice(3) && !f.value)
        : undefined;
      if (!negated || eq !== -1) {
        // The options every command takes are read before this (cli_run.ts), so are never here.
        const names = [...flags, ...GLOBAL_FLAGS].flatMap((
          f,
        ) => [`--${f.name}`, ...(f.negatable ? [`--no-${f.name}`] : [])]);
        return refuse(
          `Unknown option ${typedWord(eq === -1 ? word : raw)}.`,
          path,
          didYouMean(raw, names),
        );
      }
      if (!negated.negatable) fail(`\`${raw}\` is not an option of \`${path}\`.`);
      given.push({ flag: negated, raw, value: false });
      continue;
    }
    // Short options, perhaps grouped; at most one takes a value (the word's rest, or the next).
    for (let j = 1; j < word.length; j++) {
      const raw = `-${word[j]}`;
      const flag = flags.find((f) => f.short === word[j]) ?? flags.find(spelledAs(raw));
      if (!flag) return refuse(`Unknown option ${typedWord(raw)}.`, path);
      if (!flag.value) {
        given.push({ flag, raw, value: true });
        continue;
      }
      const rest = word.slice(j + 1);
      given.push({ flag, raw, value: rest !== "" ? rest : next(flag, raw) });
      break;
    }
  }
  const parsed: Parsed = { flags: collect(given, path), args: checked(command, args, given, path) };
  checkOutputs(parsed.flags, path);
  if (dashed !== undefined) parsed.dashed = dashed;
  return parsed;
}

/** `-3`, `-0.5`: a value or an argument, never an option (no short option is a digit). */
function isNegativeNumber(word: string): boolean {
  return /^-\d+(\.\d+)?$/.test(word);
}

function refuse(message: string, path: string, guess = ""): never {
  throw new UsageError(message, `${guess}Run \`${path} --help\` to see its options.`);
}

/** `-s, --summary` as parseArgs spelled a flag in its messages. */
function spelled(flag: FlagSpec): string {
  return flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
}

function checked(command: Command, args: string[], given: Given[], path: string): string[] {
  if (!given.some((g) => g.flag === HELP_FLAG)) checkArgCount(command, args, path);
  return args;
}

/** A one-value option given two values is refused; `multiple` ones collect all. */
function collect(given: Given[], path: string): Parsed["flags"] {
  const values: Parsed["flags"] = {};
  for (const { flag, value } of given) {
    const earlier = values[flag.name];
    if (flag.multiple) {
      values[flag.name] = [...(Array.isArray(earlier) ? earlier : []), String(value)];
      continue;
    }
    if (flag.value && typeof earlier === "string" && earlier !== value) {
      throw new UsageError(
        `--${flag.name} takes one value and was given twice (${quoted(earlier)} and ` +
          `${quoted(String(value))}); give it once.`,
        `Run \`${path} --help\` to see its options.`,
      );
    }
    values[flag.name] = value;
  }
  return values;
}
