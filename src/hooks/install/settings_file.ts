/**
 * Reading and replacing a Claude Code settings file. The edit itself is settings.ts's; this
 * part keeps the previous file as a backup, writes atomically, follows a symlinked settings
 * file (dotfiles setups) to write its target, and keeps the file's mode.
 */
import { dirname, isAbsolute, join, relative, sep } from "../../kernel/path.ts";
import { backupName } from "../../sessions/store/claude/names.ts";
import { createUnique, writeAtomic } from "../../disk/files/atomic.ts";
import { setMode } from "../../disk/files/entries.ts";
import { redactSettingsText } from "./redact_settings.ts";
import type { ProjectPaths } from "../../disk/paths.ts";

const IS_WINDOWS = Deno.build.os === "windows";

/**
 * A path as the user knows it: relative inside the project (`.claude/settings.local.json`),
 * `~/…` inside the home folder, else in full. The short forms use "/" on every platform.
 */
export function shownPath(path: string, root: string, home: string | undefined): string {
  const inside = (base: string) => {
    const rel = relative(base, path);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)
      ? rel.split(sep).join("/")
      : undefined;
  };
  const inProject = inside(root);
  if (inProject !== undefined) return inProject;
  const inHome = home === undefined ? undefined : inside(home);
  return inHome === undefined ? path : `~/${inHome}`;
}

export interface SettingsFile {
  /** The path as the scope names it. */
  path: string;
  /** Where the bytes live (the symlink's target when it is one). */
  real: string;
  /** Undefined when the file does not exist. */
  text: string | undefined;
  mode: number | null;
}

export async function readSettingsFile(path: string): Promise<SettingsFile> {
  let real = path;
  try {
    real = await Deno.realPath(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { path, real: path, text: undefined, mode: null };
    }
    throw error;
  }
  const info = await Deno.stat(real);
  return { path, real, text: await Deno.readTextFile(real), mode: info.mode ?? null };
}

/**
 * Replaces the file's content with `text`. The previous content, when there was one, is first
 * copied to `.claude-mpm/backups/settings/<label>-<UTC stamp>.json` with its secrets redacted
 * (an `env.ANTHROPIC_API_KEY` must not be copied into mpm's folder); returns that path.
 */
export async function writeSettingsFile(
  file: SettingsFile,
  text: string,
  backup: { paths: ProjectPaths; label: string; now: Date },
): Promise<string | null> {
  let saved: string | null = null;
  if (file.text !== undefined) {
    const { paths, label, now } = backup;
    saved = await createUnique(
      join(paths.backups, "settings"),
      (attempt) => backupName(label, now, ".json", attempt),
      redactSettingsText(file.text),
      paths.base,
    );
  }
  await writeAtomic(file.real, text, { root: dirname(file.real) });
  if (!IS_WINDOWS && file.mode !== null && (file.mode & 0o777) !== 0o600) {
    await setMode(file.real, file.mode & 0o777);
  }
  return saved;
}
