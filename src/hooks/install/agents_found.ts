/**
 * The other agents `mpm hooks install` finds here without running them (Codex, Gemini: by folder or
 * PATH), whether mpm's hooks are in their files, and the command that puts them there.
 */
import { mpmHooksIn } from "../../agents/codex/hooks.ts";
import { hasMpmHooks } from "../../agents/gemini/hooks.ts";
import { codexAgent } from "../../agents/codex/agent.ts";
import { geminiAgent } from "../../agents/gemini/agent.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { statQuietly } from "../../disk/read/stat.ts";
import { findOnPath } from "../../claude/settings/program/claude_version.ts";
import { findProjectRoot } from "../../disk/paths.ts";
import { type Env, homeDir } from "../../cli/env.ts";

export interface FoundAgent {
  agent: "codex" | "gemini";
  /** As people name it: "Codex CLI". */
  name: string;
  /** mpm's hooks are in its user or project files already. */
  hooks_installed: boolean;
  /** The command that installs (or updates) mpm's hooks for it. */
  command: string;
}

/** The other agents, each with whether a hooks file's text holds mpm's hooks. */
const OTHERS = [
  { agent: codexAgent, has: (path: string, text?: string) => mpmHooksIn(path, text).length > 0 },
  { agent: geminiAgent, has: (_path: string, text?: string) => hasMpmHooks(text) },
];

/** Codex CLI and Gemini CLI, where each is here. */
export async function otherAgentsFound(env: Env): Promise<FoundAgent[]> {
  const home = homeDir(env);
  const vars = env.vars;
  const root = await findProjectRoot(env.cwd).catch(() => env.cwd);
  const found: FoundAgent[] = [];
  for (const { agent, has } of OTHERS) {
    const folder = agent.transcripts.place.folder({ root, home, vars });
    const here = (folder !== null && statQuietly(folder)?.isDirectory === true) ||
      await findOnPath(agent.program, vars.PATH, vars.PATHEXT) !== undefined;
    if (!here) continue;
    const files = agent.hooks.scopes.map((scope) =>
      agent.hooks.file(scope, { root, home: home ?? "", vars })
    );
    const texts = await Promise.all(
      files.map((path) => readTextIfExists(path).catch(() => undefined)),
    );
    found.push({
      agent: agent.id,
      name: agent.name,
      hooks_installed: files.some((path, i) => has(path, texts[i])),
      command: `mpm hooks install --agent ${agent.id}`,
    });
  }
  return found;
}

/** One line for each agent found without mpm's hooks: that it is here, and the command. */
export function foundLines(found: readonly FoundAgent[]): string[] {
  return found.filter((agent) => !agent.hooks_installed)
    .map((agent) => `${agent.name} is here too: ${agent.command} adds mpm's hooks for it.`);
}

/**
 * The other agents' part of `mpm hooks list`: each found here, and whether mpm's hooks are in its
 * files (`mpm doctor` says whether the agent will run them) or the command that puts them there.
 */
export function listedLines(found: readonly FoundAgent[]): string[] {
  if (found.length === 0) return [];
  const width = Math.max(...found.map((agent) => agent.name.length));
  return [
    "",
    "Other agents here:",
    ...found.map((agent) =>
      `  ${agent.name.padEnd(width)}  ` +
      (agent.hooks_installed
        ? "mpm's hooks are in its files (`mpm doctor` checks that it runs them)"
        : `not wired: ${agent.command}`)
    ),
  ];
}
