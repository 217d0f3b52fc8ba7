/** Keeps `.claude-mpm/` out of git via the clone-local `info/exclude`, never `.gitignore`. */
import { isAbsolute, join, resolve } from "../../kernel/path.ts";
import { findGitDirs } from "./root.ts";
import { gitStdout, unusableExclude } from "./run.ts";

export const EXCLUDE_LINE = "/.claude-mpm/";
/** Lines that already keep the folder out (anchored or not, with or without the slash). */
const EQUIVALENT = new Set([EXCLUDE_LINE, "/.claude-mpm", ".claude-mpm/", ".claude-mpm"]);

/** The line for `.claude/settings.local.json`, which Claude Code itself keeps out of git. */
export const LOCAL_SETTINGS_LINE = "/.claude/settings.local.json";

/**
 * Adds `line` to `info/exclude` of the repository at `root`; true when added. Best effort, like
 * finding no git dir: where `info/` or the file is a symbolic link (often a file shared by many
 * clones), nothing is written through it and the line is not added.
 */
export async function ensureExcluded(root: string, line = EXCLUDE_LINE): Promise<boolean> {
  const same = line === EXCLUDE_LINE ? EQUIVALENT : new Set([line, line.replace(/^\//, "")]);
  const commonDir = (await findGitDirs(root))?.commonDir ?? await askGitForCommonDir(root);
  if (commonDir === undefined) return false;
  const path = join(commonDir, "info", "exclude");
  const [folder, file] = [lstatOrUndefined(join(commonDir, "info")), lstatOrUndefined(path)];
  if (folder?.isSymlink || file?.isSymlink) return false;
  // git itself cannot read one that is not a file (`git status` dies on it): say what to do.
  if (file !== undefined && !file.isFile) throw unusableExclude(path);
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

/** What is at `path` itself (a link not followed), or undefined when nothing is. */
function lstatOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}
