/**
 * The command tree flattened into one node per command path (`mpm`, `mpm worktrees prune`):
 * what may follow it — subcommands, flags, arguments and how each completes. The completion
 * scripts (completions_command.ts) are rendered from these.
 */
import { type Command, type Completion, HELP_FLAG } from "../cli/command.ts";

interface FlagNode {
  /** `--name`, `--no-name` (negatable) and `-x`. */
  spellings: string[];
  long: string;
  short?: string;
  negatable: boolean;
  takesValue: boolean;
  description: string;
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
}

/** Commands whose name starts with `_` are internal: runnable, never offered. */
export const offered = (c: Command) => !c.name.startsWith("_");

export function completionNodes(root: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string) => {
    const subs = (command.subcommands ?? []).filter(offered);
    nodes.push({
      path,
      subs: subs.map((s) => ({ name: s.name, summary: s.summary })),
      flags: [...(command.flags ?? []), HELP_FLAG].map((f) => ({
        spellings: [`--${f.name}`, ...(f.negatable ? [`--no-${f.name}`] : [])]
          .concat(f.short ? [`-${f.short}`] : []),
        long: f.name,
        short: f.short,
        negatable: f.negatable ?? false,
        takesValue: Boolean(f.value),
        description: f.description,
        complete: f.complete,
      })),
      args: (command.args ?? []).map((a) => a.complete),
      variadic: (command.args ?? []).some((a) => a.variadic),
    });
    for (const sub of subs) visit(sub, `${path} ${sub.name}`);
  };
  visit(root, root.name);
  return nodes;
}
