/**
 * From argv to a command's result, importing only the chosen command's module. Errors go to
 * main.ts, or as a document with --json.
 */
import { UsageError } from "../kernel/errors.ts";
import { buildInfo } from "./build_info.ts";
import { versionLine } from "../kernel/version.ts";
import { printable, quoted, QUOTED_CHARS, shellQuote, typedWord } from "../kernel/format/text.ts";
import {
  type Command,
  commandFlags,
  flagSpellings,
  GLOBAL_FLAGS,
  helpText,
  loaded,
  parsePlain,
  type Result,
  VERSION_FLAG,
} from "./command.ts";
import { type Env, homeDir } from "./env.ts";
import { errorDocument, wantsJson } from "./output.ts";
import { useMachineKeyFrom } from "../disk/machine_key.ts";
import { armKillSteps } from "../git/run/kill_step.ts";
import { useGitEnvFrom } from "../git/run/run.ts";

/** claude-mpm's spellings (`session pause`, `mpm-init resume`) keep working. */
const ALIASES = new Set(["session", "mpm-init"]);

/** What every run sets up from its Env before a command, here and for main.ts's early `mpm mcp`. */
export function prepareRun(env: Env): void {
  // What this machine wrote is told by its key, kept under the user's home (disk/machine_key.ts).
  useMachineKeyFrom(env.vars, homeDir(env));
  // Crash tests only: MPM_TEST_KILL_AT=<n> dies at the n-th git call or disk write.
  armKillSteps(env.vars);
  // git sees the run's environment (its HOME, identity and config), not whatever process hosts it.
  useGitEnvFrom(env.vars);
}

export function dispatch(root: Command, env: Env, argv: string[]): Promise<Result> {
  prepareRun(env);
  if (argv.length === 0) return Promise.resolve({ stdout: helpText(root, "mpm") });
  const [first, ...rest] = argv;
  if (flagSpellings(VERSION_FLAG).includes(first)) {
    return Promise.resolve({ stdout: versionLine(buildInfo()) + "\n" });
  }
  if (first === "--help" || first === "-h" || first === "help") {
    return rest.length > 0 ? dispatch(root, env, [...rest, "--help"]) : text(helpText(root, "mpm"));
  }
  if (ALIASES.has(first) && rest.length > 0) return dispatch(root, env, rest);
  if (!wantsJson(argv)) return runCommand(env, root, argv, "mpm");
  // With --json even a usage error is a document on stdout; the exit code stays the same.
  return runCommand(env, root, argv, "mpm").catch(errorDocument);
}

async function runCommand(
  env: Env,
  parent: Command,
  argv: string[],
  path: string,
): Promise<Result> {
  const [name, ...rest] = argv;
  if (name.startsWith("-")) {
    const { didYouMean } = await import("./suggest.ts");
    const options = [...commandFlags(parent, path === parent.name), ...GLOBAL_FLAGS]
      .map((f) => `--${f.name}`);
    throw new UsageError(
      `Unknown option ${typedWord(name)}.`,
      `${didYouMean(name.split("=")[0], options)}Run \`${path} --help\` to see what it takes.`,
    );
  }
  const entry = (parent.subcommands ?? []).find((c) => c.name === name);
  if (!entry) {
    const { didYouMean } = await import("./suggest.ts");
    const names = (parent.subcommands ?? []).map((c) => c.name).filter((n) => !n.startsWith("_"));
    const near = didYouMean(name, names);
    const meant = near === "" && parent.wordFor
      ? meantLine(parent, parent.wordFor, argv, path)
      : near;
    throw new UsageError(
      `\`${path} ${asTyped(name)}\` is not a command.`,
      `${meant}Run \`${path} --help\` to see the commands.`,
    );
  }
  const command = await loaded(entry);
  const here = `${path} ${name}`;
  // Plain words and declared switches need no option parser: hooks and `list --json` start
  // without loading it.
  const parse = async (argv: string[]) =>
    parsePlain(command, argv, here) ??
      (await import("./parse.ts")).parseCommand(command, argv, here);
  if (command.subcommands?.length) {
    if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
      if (rest.length === 0 && command.run) {
        return command.run(env, await parse(rest));
      }
      return text(helpText(command, here));
    }
    // A command with arguments of its own reads a word naming no subcommand as one.
    const named = command.subcommands.some((c) => c.name === rest[0]);
    const ownArgument = !named && Boolean(command.run && command.args?.length);
    if ((!rest[0].startsWith("-") && !ownArgument) || !command.run) {
      return runCommand(env, command, rest, here);
    }
  }
  const parsed = await parse(rest);
  if (parsed.flags.help) return text(helpText(command, here));
  if (!command.run) return text(helpText(command, here));
  return command.run(env, parsed);
}

/** The command line a word naming no subcommand was likely meant as. */
function meantLine(parent: Command, word: string, argv: string[], path: string): string {
  const shape = parent.subcommands?.find((c) => c.name === word)?.args?.[0]?.shape;
  const [first, ...rest] = argv;
  const line = [word, shape ? shape(first) : first, ...rest].map(shellQuote).join(" ");
  return `To ${word} it: \`${path} ${line}\`. `;
}

/** A word as a command line spells it when it is short and every character shows; else quoted. */
function asTyped(word: string): string {
  const shows = word.length <= QUOTED_CHARS && printable(word) === word && !/[\t\n]/.test(word);
  return shows ? shellQuote(word) : quoted(word);
}

function text(stdout: string): Promise<Result> {
  return Promise.resolve({ stdout });
}
