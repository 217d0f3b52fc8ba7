/** Keeps `.claude-mpm/` out of git via the clone-local `info/exclude`, never `.gitignore`. */
import { isAbsolute, join, resolve } from "../../kernel/path.ts";
import { findGitDirs } from "./root.ts";
import { gitStdout } from "./run.ts";

export const EXCLUDE_LINE = "/.claude-mpm/";
/** Lines that already keep the folder out (anchored or not, with or without the slash). */
const EQUIVALENT = new Set([EXCLUDE_LINE, "/.claude-mpm", ".claude-mpm/", ".claude-mpm"]);

/** The line for `.claude/settings.local.json`, which Claude Code itself keeps out of git. */
export const LOCAL_SETTINGS_LINE = "/.claude/settings.local.json";

/** Adds `line` to `info/exclude` of the repository at `root`; true when added. */
export async function ensureExcluded(root: string, line = EXCLUDE_LINE): Promise<boolean> {
  const same = line === EXCLUDE_LINE ? EQUIVALENT : new Set([line, line.replace(/^\//, "")]);
  const commonDir = (await findGitDirs(root))?.commonDir ?? await askGitForCommonDir(root);
  if (commonDir === undefined) return false;
  const path = join(commonDir, "info", "exclude");
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (text.split("\n").some((existing) => same.has(existing.trim()))) return false;
  await Deno.mkdir(join(commonDir, "info"), { recursive: true });
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  await Deno.writeTextFile(path, `${separator}${line}\n`, { append: true });
  return true;
}

/** For layouts found only through git itself (GIT_DIR, a `root` below the top level). */
async function askGitForCommonDir(root: string): Promise<string | undefined> {
  const out = await gitStdout(root, ["rev-parse", "--git-common-dir"]);
  if (out === null) return undefined;
  const dir = out.replace(/\n$/, "");
  return isAbsolute(dir) ? dir : resolve(root, dir);
}
