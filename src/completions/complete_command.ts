/**
 * `mpm __complete KIND`: the project's completion candidates at Tab time, one a line. Never fails,
 * never writes stderr; internal, so never offered.
 */
import { HOOK_SCRIPTS } from "../claude/settings/hooks/hook_entries.ts";
import { checkpointNames } from "../checkpoints/store.ts";
import { listTemplates } from "../sessions/store/templates/template_store.ts";
import { findProjectRoot, type ProjectPaths, projectPaths } from "../disk/paths.ts";
import { listEntries } from "../sessions/store/listing/listing.ts";
import type { Declared } from "../cli/command.ts";
import type { Env } from "../cli/env.ts";

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

export const completeCommand: Declared = {
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
