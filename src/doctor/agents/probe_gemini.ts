/**
 * What `mpm doctor` reads of Gemini CLI; its version from its package.json where it can, as `gemini
 * --version` takes seconds and writes.
 */
import { basename, dirname, join } from "../../kernel/path.ts";
import { readTextIfExists } from "../../disk/read/read.ts";
import { statQuietly } from "../../disk/read/stat.ts";
import { askVersion } from "./ask_version.ts";
import { findOnPath } from "../../claude/settings/program/claude_version.ts";
import { geminiSettingsFile } from "../../agents/gemini/hooks.ts";
import { geminiFolder } from "../../agents/gemini/chat_files.ts";
import { versionIn } from "./judge_agent.ts";
import { shownPath } from "../../hooks/install/settings/settings_file.ts";
import type { GeminiSettingsFile } from "./judge_gemini.ts";
import type { Check } from "../judges/judge.ts";

type Vars = Readonly<Record<string, string | undefined>>;

/** The package Gemini CLI ships in. */
const PACKAGE = "@google/gemini-cli";

/** A cold start of the Node client takes seconds; a loaded machine more. */
const VERSION_TIMEOUT_MS = 20_000;

/** The version `package.json` beside a linked `bundle/gemini.js` names, or undefined. */
async function packageVersion(program: string): Promise<string | undefined> {
  try {
    const real = await Deno.realPath(program);
    if (basename(dirname(real)) !== "bundle") return undefined;
    const text = await readTextIfExists(join(dirname(dirname(real)), "package.json"));
    const json = JSON.parse(text ?? "null");
    return json?.name === PACKAGE && typeof json.version === "string" &&
        versionIn(json.version) !== null
      ? json.version
      : undefined;
  } catch {
    return undefined;
  }
}

/** Doctor's Gemini checks: what the judge needs, read, then judged. */
export async function geminiDoctorChecks(
  root: string,
  home: string | undefined,
  vars: Vars,
): Promise<Check[]> {
  const homeDir = home ?? "";
  const folder = geminiFolder(home, vars);
  const program = await findOnPath("gemini", vars.PATH, vars.PATHEXT);
  const folderThere = folder !== null && statQuietly(folder)?.isDirectory === true;
  const show = (path: string) => shownPath(path, root, home);
  const trustPath = vars.GEMINI_CLI_TRUSTED_FOLDERS_PATH ||
    join(geminiFolder(homeDir, vars), "trustedFolders.json");
  if (!folderThere && program === undefined) return [];
  const where = { root, home: homeDir, vars };
  const settings: GeminiSettingsFile[] = await Promise.all(
    (["user", "project"] as const).map(async (scope) => {
      const path = geminiSettingsFile(scope, where);
      const text = await readTextIfExists(path).catch(() => undefined);
      return { scope, shown: show(path), ...(text === undefined ? {} : { text }) };
    }),
  );
  const trust = await readTextIfExists(trustPath).catch(() => undefined);
  const known = program === undefined ? undefined : await packageVersion(program);
  const probed = program === undefined || known !== undefined ? undefined : await askVersion({
    program,
    name: "gemini",
    vars,
    home: (scratch) => ({ GEMINI_CLI_HOME: scratch, GEMINI_CLI_NO_RELAUNCH: "true" }),
    parse: versionIn,
    timeoutMs: VERSION_TIMEOUT_MS,
  });
  const { geminiChecks } = await import("./judge_gemini.ts");
  return geminiChecks({
    found: true,
    ...(program === undefined ? {} : { version: known ?? probed?.version ?? null }),
    ...(probed?.error === undefined ? {} : { versionError: probed.error }),
    settings,
    trustShown: show(trustPath),
    ...(trust === undefined ? {} : { trust }),
    ...(vars.GEMINI_CLI_TRUST_WORKSPACE === undefined
      ? {}
      : { trustEnv: vars.GEMINI_CLI_TRUST_WORKSPACE }),
    root,
  });
}
