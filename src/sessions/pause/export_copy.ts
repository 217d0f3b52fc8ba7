/**
 * `mpm pause --export PATH`: a copy of the snapshot (or its rendering) written outside mpm's
 * folder. The path comes from the user, so it is checked before the snapshot is saved: never
 * into `.git/` or `.claude-mpm/` (a copy onto `.git/index` or `state.json` would break them),
 * never onto anything but a regular file (as root, `/dev/full` is replaceable), and an existing
 * file only with `--force`.
 */
import { basename, dirname, join, resolve, sep } from "../../kernel/path.ts";
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { createAtomic, lstatIfExists, writeAtomic } from "../../disk/atomic.ts";

export interface ExportTarget {
  /** The file, or the existing folder the copy goes in (named after the snapshot). */
  path: string;
  folder: boolean;
  force: boolean;
  /** As the user typed it, for messages. */
  given: string;
}

const PROTECTED = [".git", ".claude-mpm"];

/** `label`: the option and its value as typed ("--export notes.md"). */
function refuse(label: string, why: string, hint?: string): never {
  throw new UsageError(`${label}: ${why}; nothing was saved.`, hint);
}

/** Refuses a real (links resolved) path inside a `.git/` or `.claude-mpm/` folder. */
function refuseMpmOrGit(given: string, real: string): void {
  const inside = real.split(sep).find((part) => PROTECTED.includes(part));
  if (inside) {
    refuse(
      given,
      `mpm never writes a copy into ${inside}/`,
      "Export to a path outside .git/ and .claude-mpm/.",
    );
  }
}

/** Refuses whatever is at `path` unless it is nothing yet or (with --force) a regular file. */
function refuseExisting(given: string, info: Deno.FileInfo | undefined, force: boolean): void {
  if (info === undefined) return;
  if (info.isSymlink) {
    refuse(given, "it is a symbolic link", "Give the path of the file it points to.");
  }
  if (!info.isFile) refuse(given, "it is not a regular file");
  if (!force) {
    refuse(given, "the file exists", "Add --force to replace it, or export to a new path.");
  }
}

/**
 * Checks `--export`'s value before anything is written; `flag` names the option in messages
 * (`mpm handoff -o` follows the same rules).
 */
export async function exportTarget(
  cwd: string,
  given: string,
  force: boolean,
  flag = "--export",
): Promise<ExportTarget> {
  if (given.trim() === "") {
    throw new UsageError(`${flag} needs a path.`, `Example: ${flag} ~/handoff.md`);
  }
  const label = `${flag} ${given}`;
  const path = resolve(cwd, given);
  const info = await lstatIfExists(path);
  // A folder, or a link to one: the copy goes inside it under a new name.
  if (
    info?.isDirectory || (info?.isSymlink && (await Deno.stat(path).catch(() => null))?.isDirectory)
  ) {
    const real = await Deno.realPath(path);
    refuseMpmOrGit(label, real + sep);
    return { path: real, folder: true, force, given };
  }
  const parent = await Deno.realPath(dirname(path)).catch(() => undefined);
  if (parent === undefined || !(await Deno.stat(parent)).isDirectory) {
    refuse(
      label,
      `the folder ${dirname(path)} does not exist`,
      "Create the folder first, or export to one that exists.",
    );
  }
  const real = join(parent, basename(path));
  refuseMpmOrGit(label, real);
  refuseExisting(label, info, force);
  return { path: real, folder: false, force, given };
}

/**
 * Writes a copy to `target` (into a folder, under `name`): exclusively, unless --force allows
 * replacing a regular file. `appeared` is the error for a file that took the path meanwhile,
 * after the target was checked. `mpm pause --export` and `mpm handoff -o` both write this way.
 */
export async function writeCopy(
  target: ExportTarget,
  name: string,
  data: string | Uint8Array,
  appeared: (path: string) => MpmError,
): Promise<string> {
  const path = target.folder ? join(target.path, name) : target.path;
  const options = { root: dirname(path) };
  if (await createAtomic(path, data, options)) return path;
  const info = await lstatIfExists(path);
  if (!target.force || !info?.isFile) throw appeared(path);
  await writeAtomic(path, data, options);
  return path;
}

/** Writes the snapshot's copy for `mpm pause --export`. */
export function writeExportCopy(target: ExportTarget, id: string, bytes: Uint8Array) {
  return writeCopy(target, `${id}.json`, bytes, (path) =>
    new MpmError(
      `--export ${target.given}: ${path} appeared while pausing, so no copy was written.`,
      `The snapshot ${id} was saved; export it again with --force, or to another path.`,
    ));
}
