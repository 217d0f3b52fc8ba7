/**
 * Reading and replacing a settings file: backed up, written atomically through a symlink, mode
 * kept.
 */
import { dirname, isAbsolute, join, relative, sep } from "../../../kernel/path.ts";
import { backupName } from "../../../sessions/store/claude/names.ts";
import {
  createUnique,
  discardStaged,
  placeStaged,
  stageAtomic,
} from "../../../disk/files/atomic.ts";
import { SharedFileBusy } from "../../../disk/files/shared/shared_lock.ts";
import { setMode } from "../../../disk/files/entries.ts";
import { redactSettingsText } from "./redact_settings.ts";
import type { ProjectPaths } from "../../../disk/paths.ts";
import { lstatIfExists } from "../../../disk/read/stat.ts";
import { gitStdout } from "../../../git/run/run.ts";
import { MpmError } from "../../../kernel/errors.ts";
import { findProjectRoot, mainWorktreeOf } from "../../../disk/paths.ts";
import { type Env, homeDir } from "../../../cli/env.ts";
import { json, text } from "../../../cli/output.ts";

const IS_WINDOWS = Deno.build.os === "windows";

/** A path as the user knows it: project-relative, `~/…`, else full; "/" everywhere. */
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

/** Where a file install writes must stay, and whose links are the person's own. */
export interface Confines {
  /** The folder the file is in, links and all: the project, or the Claude config folder. */
  inside: string;
  /** The project, whose git tells a link a clone committed. */
  project: string;
  /** The user scope: an untracked link (a dotfiles setup) is the person's own, followed. */
  ownLinks: boolean;
  /** Shows a path as the person knows it. */
  show: (path: string) => string;
}

/** Refuses a path behind a tracked link or (not at user scope) one leading out of `inside`. */
export async function refuseBorrowedPath(path: string, confines: Confines): Promise<void> {
  const rel = relative(confines.inside, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return;
  const realInside = await realOr(confines.inside);
  let at = confines.inside;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    const info = await lstatIfExists(at);
    if (info === undefined) return;
    if (!info.isSymlink) continue;
    const target = await realOr(at);
    const committed = await gitTracks(confines.project, at);
    const out = !insideOf(realInside, target);
    if (!committed && (confines.ownLinks || !out)) continue;
    throw new MpmError(
      `Refusing to write ${confines.show(path)}: ${confines.show(at)} is a symbolic link to ` +
        `${target}${out ? ", outside the project" : ""}${
          committed ? ", that git tracks (a cloned repository's)" : ""
        }; nothing was written.`,
      `Remove the link (rm ${
        confines.show(at)
      }; what it points to is kept) and run the command again.`,
    );
  }
}

/** `path` with its links resolved, or as it is when it is not there. */
export async function realOr(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

function insideOf(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Whether git tracks `path` in the project (false outside it, or without git). */
export async function gitTracks(project: string, path: string): Promise<boolean> {
  const rel = relative(project, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return false;
  const out = await gitStdout(project, ["--literal-pathspecs", "ls-files", "-z", "--", rel]);
  return out !== null && out !== "";
}

/** Whether `path` is the repository's (tracked, or behind a committed link); true when unsure. */
export async function repositoryFile(project: string, path: string): Promise<boolean> {
  const rel = relative(project, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return false;
  try {
    let at = project;
    for (const part of rel.split(sep)) {
      at = join(at, part);
      const info = await lstatIfExists(at);
      if (info === undefined) return false;
      if (info.isSymlink && await gitTracks(project, at)) return true;
    }
    return await gitTracks(project, path);
  } catch {
    return true;
  }
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

/** The file at `path` (shown to the person as `shown`); refused when it is not UTF-8 text. */
export async function readSettingsFile(path: string, shown = path): Promise<SettingsFile> {
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
  const text = utf8Text(await Deno.readFile(real));
  if (text === undefined) {
    throw new MpmError(
      `Refusing to change ${shown}: it is not UTF-8 text, and writing it back would replace the ` +
        "bytes that are not; nothing was written.",
      `Save ${shown} as UTF-8 (your editor's encoding setting, or iconv) and run the command again.`,
    );
  }
  return { path, real, text, mode: info.mode ?? null };
}

/** Bytes as UTF-8 text, or undefined when they are not (a lenient decode would change them). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The file's text now, read as readSettingsFile reads it: undefined when gone, null: not UTF-8. */
async function textNow(real: string): Promise<string | undefined | null> {
  try {
    return utf8Text(await Deno.readFile(real)) ?? null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** `backups/settings/` in the project's `.claude-mpm/` or the user's `~/.claude/mpm/`. */
export type BackupFolder = Pick<ProjectPaths, "base" | "backups">;

/** The backup folder of the mpm folder `base` (`.claude-mpm/`, `~/.claude/mpm/`). */
export function backupFolder(base: string): BackupFolder {
  return { base, backups: join(base, "backups") };
}

/**
 * Replaces the file's content after a redacted backup; nothing is written where Claude Code changed
 * it since it was read (SharedFileBusy).
 */
export async function writeSettingsFile(
  file: SettingsFile,
  text: string,
  backup: { paths: BackupFolder; label: string; now: Date },
): Promise<string | null> {
  const staged = await stageAtomic(file.real, text, { root: dirname(file.real) });
  if (await textNow(file.real) !== file.text) {
    await discardStaged([staged]);
    throw new SharedFileBusy(
      `${file.path} changed while mpm edited it (Claude Code writes it as it runs); nothing ` +
        "was changed there.",
      "Run the command again.",
    );
  }
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
  await placeStaged([staged]);
  if (!IS_WINDOWS && file.mode !== null && (file.mode & 0o777) !== 0o600) {
    await setMode(file.real, file.mode & 0o777);
  }
  return saved;
}

/**
 * Where another agent's install works: the project's main checkout, the home folder, the agent's
 * own folder `dir`, mpm's folder of the scope, and how a path of theirs is confined and shown.
 */
export async function agentScope<S extends "user" | "project">(
  env: Env,
  scope: S,
  agent: { what: string; homeVar: string; dir: (home: string, vars: Env["vars"]) => string },
) {
  const here = await findProjectRoot(env.cwd);
  const main = await mainWorktreeOf(here);
  const root = main === undefined ? here : await findProjectRoot(main);
  const home = homeDir(env);
  if (home === undefined) {
    throw new MpmError(
      `There is no home folder (HOME is not set), so ${agent.what} cannot be found.`,
      `Set HOME (or ${agent.homeVar}) and run the command again.`,
    );
  }
  const dir = agent.dir(home, env.vars);
  const show = (path: string) => shownPath(path, root, home);
  const user = scope === "user";
  const mpmFolder = user ? join(dir, "mpm") : join(root, ".claude-mpm");
  return {
    scope,
    root,
    home,
    dir,
    show,
    where: { root, home, vars: env.vars },
    /** `<dir>/mpm/`, or the project's `.claude-mpm/`: backups and notes of the scope. */
    mpmFolder,
    backups: { paths: backupFolder(mpmFolder), now: env.now() },
    /** The user's files: their own links (a dotfiles setup) are followed, not one git tracks. */
    confine: (path: string, own = user) =>
      refuseBorrowedPath(path, { inside: own ? dir : root, project: root, ownLinks: own, show }),
  };
}

/** What `mpm hooks install|uninstall --agent codex|gemini` takes (settings_target.ts). */
export interface AgentOptions<S> {
  scope: S;
  dryRun: boolean;
  asJson: boolean;
}

/** An agent install's answer: its lines, or the JSON of the agent, scope, dry run and `fields`. */
export function agentAnswer(
  agent: string,
  options: AgentOptions<string>,
  lines: string[],
  fields: Record<string, unknown>,
) {
  const { scope, dryRun } = options;
  return options.asJson ? json({ agent, scope, dry_run: dryRun, ...fields }) : text(lines);
}

/** How install's first line starts: what it did (or would do) to the hooks file. */
export function addedWord(options: { dryRun: boolean }, changed: boolean): string {
  return options.dryRun ? "Would add" : changed ? "✓ Added" : "Already there:";
}

/** How uninstall's lines start: what it did (or, with --dry-run, would do). */
export function removedWord(options: { dryRun: boolean }): string {
  return options.dryRun ? "Would remove" : "✓ Removed";
}

/** The note for a server named mpm in `shown` that is the person's own. */
export function ownServer(shown: string, server: string): string {
  return `MCP server: not registered: ${shown} has ${server} of its own, which is left as it is.`;
}

/** An edit's text, or the error for a file mpm will not edit, shown as `shown`. */
export function editedText(
  edit: { ok: true; text: string } | { ok: false; reason: string },
  shown: string,
): string {
  if (edit.ok) return edit.text;
  throw new MpmError(
    `Refusing to change ${shown}: ${edit.reason} Nothing was written.`,
    `Fix ${shown} (or move it away) and run the command again.`,
  );
}

/** A JSON object's text parsed; undefined for none (or white space), null for any other text. */
export function jsonObject(text: string | undefined): Record<string, unknown> | null | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** A settings or hooks file with nothing in it: only white space, or `{}` (`[]` is no object). */
export function isBlank(text: string | undefined): boolean {
  const value = jsonObject(text);
  return text !== undefined &&
    (value === undefined || value !== null && !Object.keys(value).length);
}
