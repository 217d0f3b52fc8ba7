/**
 * Writing a file the user named (`pause --export`, `handoff -o`), whose path may come from a script
 * or model: never into `.git/` or `.claude-mpm/` by any path or link, never to a FIFO, device,
 * folder or link; created exclusively, or with `force` replaced by a rename (no hard link written).
 */
import { basename, dirname, join, resolve, sep } from "../../kernel/path.ts";
import { MpmError, UsageError } from "../../kernel/errors.ts";
import { createAtomic, writeAtomic } from "./atomic.ts";
import { createAtomicStream, writeAtomicStream } from "./stream.ts";
import { lstatIfExists } from "../read/stat.ts";

export interface UserFile {
  /** The file, or the existing folder the file goes in (under a name the writer gives). */
  path: string;
  folder: boolean;
  force: boolean;
  /** As the user typed it, for messages. */
  given: string;
}

export interface UserFileRules {
  /** Whether an existing file may be replaced (it must be a regular file). */
  force: boolean;
  /** The option as typed ("--export"), for messages. */
  flag: string;
  /** What a refusal leaves undone, for messages: "nothing was saved". */
  outcome: string;
  /** Whether an existing folder takes the file inside it; else a folder is refused. */
  folders?: boolean;
  /** A path of the kind the option writes, for the hint when none is given ("~/board.html"). */
  example?: string;
}

/** Folders mpm never writes a user's file into, compared without case (macOS, Windows). */
const PROTECTED = [".git", ".claude-mpm"];

/** The protected folder a real (links resolved) path lies in, if any. */
export function protectedFolderOf(real: string): string | undefined {
  return real.split(sep).find((part) => PROTECTED.includes(part.toLowerCase()));
}

function refuse(label: string, why: string, outcome: string, hint?: string): never {
  throw new UsageError(`${label}: ${why}; ${outcome}.`, hint);
}

/** Refuses a real (links resolved) path inside a `.git/` or `.claude-mpm/` folder. */
export function refuseProtected(label: string, real: string, outcome: string): void {
  const inside = protectedFolderOf(real);
  if (inside) {
    refuse(
      label,
      `mpm never writes into ${inside}/ (its files would be lost)`,
      outcome,
      "Give a path outside .git/ and .claude-mpm/.",
    );
  }
}

/** Refuses a folder the user named that lies, links resolved, in a `.git/` or `.claude-mpm/`. */
export async function refuseProtectedFolder(
  label: string,
  path: string,
  outcome: string,
): Promise<void> {
  const rest: string[] = [];
  for (let at = resolve(path);;) {
    const real = await Deno.realPath(at).catch(() => undefined);
    if (real !== undefined) return refuseProtected(label, join(real, ...rest) + sep, outcome);
    const parent = dirname(at);
    if (parent === at) return refuseProtected(label, resolve(path) + sep, outcome);
    rest.unshift(basename(at));
    at = parent;
  }
}

/** Refuses whatever is at `path` unless it is nothing yet or (with force) a regular file. */
function refuseExisting(label: string, info: Deno.FileInfo | undefined, rules: UserFileRules) {
  if (info === undefined) return;
  if (info.isSymlink) {
    refuse(
      label,
      "it is a symbolic link",
      rules.outcome,
      "Give the path of the file it points to.",
    );
  }
  if (!info.isFile) {
    refuse(label, "it is not a regular file (a folder, a FIFO or a device)", rules.outcome);
  }
  // A refusal that keeps the person's file: exit 1, not a usage error.
  if (!rules.force) {
    throw new MpmError(
      `${label}: the file exists; ${rules.outcome}.`,
      "Add --force to replace it, or give a new path.",
    );
  }
}

/** Checks the path the user gave before anything is written; returns where to write. */
export async function userFileTarget(
  cwd: string,
  given: string,
  rules: UserFileRules,
): Promise<UserFile> {
  const { flag } = rules;
  if (given.trim() === "") {
    throw new UsageError(
      `${flag} needs a path.`,
      `Example: ${flag} ${rules.example ?? "~/notes.md"}`,
    );
  }
  const label = `${flag} ${given}`;
  const path = resolve(cwd, given);
  const info = await lstatIfExists(path);
  const target = info?.isSymlink ? await Deno.stat(path).catch(() => undefined) : info;
  if (rules.folders && target?.isDirectory) {
    // A folder, or a link to one: the file goes inside it under a new name.
    const real = await Deno.realPath(path);
    refuseProtected(label, real + sep, rules.outcome);
    return { path: real, folder: true, force: rules.force, given };
  }
  const parent = await Deno.realPath(dirname(path)).catch(() => undefined);
  if (parent === undefined || !(await Deno.stat(parent)).isDirectory) {
    refuse(
      label,
      `the folder ${dirname(path)} does not exist`,
      rules.outcome,
      "Create the folder first, or give a path in one that exists.",
    );
  }
  const real = join(parent, basename(path));
  refuseProtected(label, real, rules.outcome);
  refuseExisting(label, info, rules);
  return { path: real, folder: false, force: rules.force, given };
}

/** Where the file goes: the target, or `name` inside the target folder. */
export function userFilePath(target: UserFile, name: string): string {
  return target.folder ? join(target.path, name) : target.path;
}

/** Writes `data` to the checked target, exclusively unless `force` (`appeared`: error if taken). */
export async function writeUserFile(
  target: UserFile,
  name: string,
  data: string | Uint8Array,
  appeared: (path: string) => MpmError,
): Promise<string> {
  const path = userFilePath(target, name);
  const options = { root: dirname(path) };
  if (await createAtomic(path, data, options)) return path;
  if (!target.force || !(await lstatIfExists(path))?.isFile) throw appeared(path);
  await writeAtomic(path, data, options);
  return path;
}

/** writeUserFile for output too large to hold at once; returns the path and the bytes written. */
export async function writeUserFileStream(
  target: UserFile,
  name: string,
  pieces: AsyncIterable<string | Uint8Array>,
  appeared: (path: string) => MpmError,
): Promise<{ path: string; size: number }> {
  const path = userFilePath(target, name);
  const options = { root: dirname(path) };
  if (!target.force || (await lstatIfExists(path)) === undefined) {
    const size = await createAtomicStream(path, pieces, options);
    if (size === undefined) throw appeared(path);
    return { path, size };
  }
  if (!(await lstatIfExists(path))?.isFile) throw appeared(path);
  return { path, size: await writeAtomicStream(path, pieces, options) };
}
