/**
 * From argv to a command's result: finds the command (and subcommand) in a command tree,
 * parses its flags, answers --help and --version, and runs it. Errors propagate to main.ts.
 * The tree itself is src/commands.ts, the one module that knows every command.
 */
import { UsageError } from "../kernel/errors.ts";
import { buildInfo } from "./build_info.ts";
import { versionLine } from "../kernel/version.ts";
import { type Command, helpText, parseCommand, type Result } from "./command.ts";
import type { Env } from "./env.ts";

/** claude-mpm's spellings (`session pause`, `mpm-init resume`) keep working. */
const ALIASES = new Set(["session", "mpm-init"]);

export function dispatch(root: Command, env: Env, argv: string[]): Promise<Result> {
  if (argv.length === 0) return Promise.resolve({ stdout: helpText(root, "mpm") });
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-V") {
    return Promise.resolve({ stdout: versionLine(buildInfo()) + "\n" });
  }
  if (first === "--help" || first === "-h" || first === "help") {
    return rest.length > 0 ? dispatch(root, env, [...rest, "--help"]) : text(helpText(root, "mpm"));
  }
  if (ALIASES.has(first) && rest.length > 0) return dispatch(root, env, rest);
  return runCommand(env, root, argv, "mpm");
}

function runCommand(
  env: Env,
  parent: Command,
  argv: string[],
  path: string,
): Promise<Result> {
  const [name, ...rest] = argv;
  if (name.startsWith("-")) {
    throw new UsageError(`Unknown option ${name}.`, `Run \`${path} --help\` to see what it takes.`);
  }
  const command = (parent.subcommands ?? []).find((c) => c.name === name);
  if (!command) {
    throw new UsageError(
      `\`${path} ${name}\` is not a command.`,
      `Run \`${path} --help\` to see the commands.${suggest(name, parent)}`,
    );
  }
  const here = `${path} ${name}`;
  if (command.subcommands?.length) {
    if (rest.length === 0 || rest[0] === "--help" || rest[0] === "-h") {
      if (rest.length === 0 && command.run) {
        return command.run(env, parseCommand(command, rest, here));
      }
      return text(helpText(command, here));
    }
    if (!rest[0].startsWith("-") || !command.run) return runCommand(env, command, rest, here);
  }
  const parsed = parseCommand(command, rest, here);
  if (parsed.flags.help) return text(helpText(command, here));
  if (!command.run) return text(helpText(command, here));
  return command.run(env, parsed);
}

function suggest(name: string, parent: Command): string {
  const close = (parent.subcommands ?? []).find((c) =>
    c.name.startsWith(name.slice(0, 3)) || name.startsWith(c.name)
  );
  return close ? ` Did you mean \`${close.name}\`?` : "";
}

function text(stdout: string): Promise<Result> {
  return Promise.resolve({ stdout });
}
