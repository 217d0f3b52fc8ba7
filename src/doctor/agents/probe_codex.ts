/**
 * What `mpm doctor` reads of Codex CLI: where it is, its version, its hooks files and config.toml.
 * `codex --version` writes under CODEX_HOME, so it runs with a scratch one.
 */
import { readTextIfExists } from "../../disk/read/read.ts";
import { statQuietly } from "../../disk/read/stat.ts";
import { askVersion } from "./ask_version.ts";
import { findOnPath } from "../../claude/settings/program/claude_version.ts";
import { codexConfigFile, codexHooksFile } from "../../agents/codex/hooks.ts";
import { codexHome } from "../../agents/codex/rollout_files.ts";
import { shownPath } from "../../hooks/install/settings/settings_file.ts";
import type { CodexHooksFile } from "./judge_codex.ts";
import { versionIn } from "./judge_agent.ts";
import type { Check } from "../judges/judge.ts";

/** A cold start of the native client takes well under a second. */
const VERSION_TIMEOUT_MS = 5_000;

/** Doctor's Codex checks: what the judge needs, read, then judged. */
export async function codexDoctorChecks(
  root: string,
  home: string | undefined,
  vars: Readonly<Record<string, string | undefined>>,
): Promise<Check[]> {
  const homeDir = home ?? "";
  const folder = codexHome(home, vars);
  const program = await findOnPath("codex", vars.PATH, vars.PATHEXT);
  const folderThere = folder !== null && statQuietly(folder)?.isDirectory === true;
  if (!folderThere && program === undefined) return [];
  const show = (path: string) => shownPath(path, root, home);
  const configPath = codexConfigFile(homeDir, vars);
  const where = { root, home: homeDir, vars };
  const hooks: CodexHooksFile[] = await Promise.all(
    (["user", "project"] as const).map(async (scope) => {
      const path = codexHooksFile(scope, where);
      const text = await readTextIfExists(path).catch(() => undefined);
      return { scope, path, shown: show(path), ...(text === undefined ? {} : { text }) };
    }),
  );
  const config = folderThere
    ? await readTextIfExists(configPath).catch(() => undefined)
    : undefined;
  const probed = program === undefined ? undefined : await askVersion({
    program,
    name: "codex",
    vars,
    home: (scratch) => ({ CODEX_HOME: scratch }),
    parse: versionIn,
    timeoutMs: VERSION_TIMEOUT_MS,
  });
  const { codexChecks } = await import("./judge_codex.ts");
  return codexChecks({
    found: true,
    ...(probed === undefined ? {} : { version: probed.version }),
    ...(probed?.error === undefined ? {} : { versionError: probed.error }),
    configShown: show(configPath),
    ...(config === undefined ? {} : { config }),
    hooks,
    root,
  });
}
