/**
 * The other agents `mpm hooks install` finds here without running them (Codex, Gemini: by folder or
 * PATH), whether mpm's hooks are in their files, and the command that puts them there.
 */
import { codexHome, codexHooksFile, mpmHooksIn } from "../../agents/codex/hooks.ts";
import { geminiDir, geminiSettingsFile, hasMpmHooks } from "../../agents/gemini/hooks.ts";
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

const isFolder = (path: string | undefined) =>
  path !== undefined && statQuietly(path)?.isDirectory === true;

/** Codex CLI and Gemini CLI, where each is here. */
export async function otherAgentsFound(env: Env): Promise<FoundAgent[]> {
  const home = homeDir(env);
  const vars = env.vars;
  const root = await findProjectRoot(env.cwd).catch(() => env.cwd);
  const where = { root, home: home ?? "", vars };
  const here = async (folder: string | undefined, program: string) =>
    isFolder(folder) || await findOnPath(program, vars.PATH, vars.PATHEXT) !== undefined;
  const read = (path: string) => readTextIfExists(path).catch(() => undefined);
  const found: FoundAgent[] = [];
  const codexFolder = home === undefined && !vars.CODEX_HOME
    ? undefined
    : codexHome(where.home, vars);
  if (await here(codexFolder, "codex")) {
    const files = (["user", "project"] as const).map((scope) => codexHooksFile(scope, where));
    const texts = await Promise.all(files.map(read));
    found.push({
      agent: "codex",
      name: "Codex CLI",
      hooks_installed: files.some((path, i) => mpmHooksIn(path, texts[i]).length > 0),
      command: "mpm hooks install --agent codex",
    });
  }
  const geminiFolder = home === undefined && !vars.GEMINI_CLI_HOME
    ? undefined
    : geminiDir(where.home, vars);
  if (await here(geminiFolder, "gemini")) {
    const files = (["user", "project"] as const).map((scope) => geminiSettingsFile(scope, where));
    const texts = await Promise.all(files.map(read));
    found.push({
      agent: "gemini",
      name: "Gemini CLI",
      hooks_installed: texts.some(hasMpmHooks),
      command: "mpm hooks install --agent gemini",
    });
  }
  return found;
}

/** One line for each agent found without mpm's hooks: that it is here, and the command. */
export function foundLines(found: readonly FoundAgent[]): string[] {
  return found.filter((agent) => !agent.hooks_installed)
    .map((agent) => `${agent.name} is here too: ${agent.command} adds mpm's hooks for it.`);
}
