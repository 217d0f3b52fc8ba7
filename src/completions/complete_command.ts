/**
 * What the shell can complete: the command tree flattened into one node per command path (the
 * scripts in completions.ts are rendered from these), and `mpm __complete KIND`, which prints the
 * candidates that depend on the project at Tab time, one per line. `__complete` never fails and
 * never writes to stderr: a shell prompt is no place for an error. It is internal (its name
 * starts with `_`), so the scripts never offer it.
 */
import { HOOK_SCRIPTS } from "../claude/hook_entries.ts";
import { checkpointNames } from "../checkpoints/store.ts";
import { listTemplates } from "../sessions/start/template_store.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { listEntries } from "../sessions/snapshot/store.ts";
import { type Command, type Completion, HELP_FLAG } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";

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

const KINDS: Record<string, (paths: ProjectPaths) => Promise<string[]>> = {
  sessions: async (paths) => (await listEntries(paths)).map((e) => e.id),
  checkpoints: (paths) => checkpointNames(paths),
  templates: async (paths) => (await listTemplates(paths)).map((t) => t.name),
  hooks: () => Promise.resolve([...HOOK_SCRIPTS]),
};

/** The candidates of one kind for the project around `cwd`; unknown kinds have none. */
export async function candidates(env: Env, kind: string): Promise<string[]> {
  const list = KINDS[kind];
  if (!list) return [];
  try {
    return await list(projectPaths(await findProjectRoot(env.cwd)));
  } catch {
    return [];
  }
}

export const completeCommand: Command = {
  name: "__complete",
  summary: "Print completion candidates, one per line (used by the completion scripts).",
  args: [{
    name: "KIND",
    optional: true,
    description: `${Object.keys(KINDS).join(", ")}.`,
    complete: Object.keys(KINDS),
  }],
  run: async (env, parsed) => {
    const found = await candidates(env, parsed.args[0] ?? "");
    return { stdout: found.map((c) => `${c}\n`).join("") };
  },
};
