/** The command tree as one node per command path, for the completion scripts. */
import {
  type Command,
  commandFlags,
  type Completion,
  flagSpellings,
  GLOBAL_FLAGS,
  negatedDescription,
} from "../cli/command.ts";

interface FlagNode {
  /** `--name`, `--no-name` (negatable), `-x` and the flag's aliases. */
  spellings: string[];
  long: string;
  short?: string;
  negatable: boolean;
  takesValue: boolean;
  description: string;
  /** What `--no-name` does (negatable flags only). */
  negated?: string;
  complete?: Completion;
}

/** One command path (`mpm`, `mpm worktrees prune`) and what may follow it. */
export interface CompletionNode {
  path: string;
  subs: { name: string; summary: string }[];
  flags: FlagNode[];
  /** The completion of each positional argument; the last repeats when `variadic`. */
  args: (Completion | undefined)[];
  variadic: boolean;
  /** The completion of the words after `--`, for a command whose last argument comes there. */
  dashed?: Completion;
}

/** Commands whose name starts with `_` are internal: runnable, never offered. */
export const offered = (c: Command) => !c.name.startsWith("_");

/** One node per command path, with its flags, `--help` and GLOBAL_FLAGS. */
export function completionNodes(root: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string, isRoot: boolean) => {
    const subs = (command.subcommands ?? []).filter(offered);
    const plain = (command.args ?? []).filter((a) => !a.dashed);
    const dashed = command.args?.find((a) => a.dashed);
    nodes.push({
      path,
      subs: subs.map((s) => ({ name: s.name, summary: s.summary })),
      flags: [...commandFlags(command, isRoot), ...GLOBAL_FLAGS].map((f) => ({
        spellings: flagSpellings(f),
        long: f.name,
        short: f.short,
        negatable: f.negatable ?? false,
        takesValue: Boolean(f.value),
        description: f.description,
        ...(f.negatable ? { negated: negatedDescription(f) } : {}),
        complete: f.complete,
      })),
      args: plain.map((a) => a.complete),
      variadic: plain.some((a) => a.variadic),
      ...(dashed ? { dashed: dashed.complete } : {}),
    });
    for (const sub of subs) visit(sub, `${path} ${sub.name}`, false);
  };
  visit(root, root.name, true);
  return nodes;
}
