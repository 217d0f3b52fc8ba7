/**
 * The four kinds of failure mpm reports. Each carries a one-sentence message and,
 * where one helps, a hint saying what to do. main.ts maps them to exit codes.
 */
export class MpmError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage: an unknown flag, a missing argument, a value mpm refuses. Exit 2. */
export class UsageError extends MpmError {
  override readonly exitCode = 2;
}

/** Nothing to act on: no sessions, an unknown id, an empty stack. Exit 3. */
export class NothingToDo extends MpmError {
  override readonly exitCode = 3;
}

/** A stored file failed its checksum or its schema. Exit 4. */
export class IntegrityError extends MpmError {
  override readonly exitCode = 4;
}

/** Any thrown value as one line of text: a file-system fault as its sentence (faultError). */
export function errorText(error: unknown): string {
  const text = faultError(error)?.message ??
    (error instanceof Error ? error.message : String(error));
  return text.split("\n")[0];
}

/** What every git call says when there is no git to run. */
export function gitMissing(): MpmError {
  return new MpmError("git is not installed.", "Install git and try again.");
}

/** What each file-system fault that is the machine's, not mpm's, means, and what to do. */
const FAULTS: Record<string, { why: string; hint: string }> = {
  ENOSPC: { why: "the disk is full", hint: "Free some space on that disk and run it again." },
  EDQUOT: {
    why: "your disk quota is used up",
    hint: "Free some space within your quota and run it again.",
  },
  EROFS: {
    why: "the file system is read-only",
    hint: "Run mpm where that folder can be written (or remount it read-write) and run it again.",
  },
  EACCES: {
    why: "permission was denied",
    hint: "Give your user write access to that folder (`ls -ld` shows its owner) and run it again.",
  },
  EMFILE: {
    why: "too many files are open",
    hint: "Close some programs or raise the limit (`ulimit -n 4096`) and run it again.",
  },
};
FAULTS.EPERM = FAULTS.EACCES;
FAULTS.ENFILE = FAULTS.EMFILE;

/** A file-system fault as one sentence (what was not saved, what to do); else undefined. */
export function faultError(error: unknown): MpmError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (code === "ENOTDIR") return fileForFolder(faultPath(error.message));
  const fault = typeof code === "string" ? FAULTS[code] : undefined;
  if (fault === undefined) return undefined;
  const path = faultPath(error.message);
  return new MpmError(
    path === undefined
      ? `Could not save: ${fault.why}; the file being written is as it was before.`
      : `Could not save ${path}: ${fault.why}; it is as it was before.`,
    fault.hint,
  );
}

/** A file-system fault in a few words ("the disk is full"); undefined for any other error. */
function faultWhy(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOTDIR") return "a file stands where one of its folders should be";
  return typeof code === "string" && Object.hasOwn(FAULTS, code) ? FAULTS[code].why : undefined;
}

/**
 * Why nothing mpm writes is sealed as the person's: no home folder for this machine's key
 * (`file` null), or the error making it at `file`. Unsealed, the person's own records read as
 * written elsewhere, and the active session as not theirs once a key is made.
 */
export function machineKeyMissing(file: string | null, error?: unknown): MpmError {
  const so = "so what mpm writes is not sealed as yours and reads as written elsewhere.";
  const elsewhere = "set XDG_STATE_HOME to the absolute path of a folder you can write";
  if (file === null) {
    return new MpmError(
      `There is no home folder for this machine's key (HOME is unset or not an absolute path), ${so}`,
      "Set HOME, or XDG_STATE_HOME, to the absolute path of a folder you can write.",
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const why = faultWhy(error) ??
    (error === undefined ? "it could not be written" : errorText(error).replace(/\.$/, ""));
  return new MpmError(
    `This machine's key cannot be made at ${file} (${why}), ${so}`,
    code === "ENOSPC" || code === "EDQUOT"
      ? `Free some space on that disk, or ${elsewhere}.`
      : code === "ENOTDIR"
      ? `Move that file away (\`ls -ld\` on each folder of the path shows which), or ${elsewhere}.`
      : `Make that folder writable by you (or remount it read-write), or ${elsewhere}.`,
  );
}

/** A path that runs through a file where a folder should be: nothing was read or written there. */
function fileForFolder(path: string | undefined): MpmError {
  const where = path === undefined ? "A path mpm uses" : path;
  return new MpmError(
    `${where} cannot be reached: a file stands where one of its folders should be.`,
    "Move that file away (`ls -ld` on each folder of the path shows which) and run it again.",
  );
}

/** The file a system error names, from `.claude-mpm/` on (a temp file's as its target's). */
function faultPath(message: string): string | undefined {
  const quoted = [...message.matchAll(/'([^'\n]+)'/g)].pop()?.[1];
  if (quoted === undefined) return undefined;
  const at = quoted.lastIndexOf(".claude-mpm/");
  const path = (at === -1 ? quoted : quoted.slice(at))
    .replace(/(^|\/)\.([^/]+)\.\d+\.\d+\.tmp$/, "$1$2");
  // The lock and other dot-files are mpm's own bookkeeping: what was not saved is the folder's.
  const slash = path.lastIndexOf("/");
  return path[slash + 1] === "." ? `the changes in ${path.slice(0, slash + 1)}` : path;
}
