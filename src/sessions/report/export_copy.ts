/**
 * `mpm pause --export PATH`: a copy of the snapshot written outside mpm's folder, by the rules of
 * every file a user names (disk/files/user_file.ts). The path is checked before the snapshot is saved,
 * so a refused one leaves no pause behind.
 */
import { MpmError } from "../../kernel/errors.ts";
import { type UserFile, userFileTarget, writeUserFile } from "../../disk/files/user_file.ts";
import { lstatIfExists } from "../../disk/files/atomic.ts";

export type ExportTarget = UserFile;

const OUTCOME = "nothing was saved";

/**
 * Checks `--export`'s value before anything is written; `flag` names the option in messages
 * (`mpm handoff -o` follows the same rules). An existing folder takes the copy inside it.
 */
export function exportTarget(
  cwd: string,
  given: string,
  force: boolean,
  flag = "--export",
): Promise<ExportTarget> {
  return userFileTarget(cwd, given, { force, flag, outcome: OUTCOME, folders: true });
}

/**
 * `mpm pause --export`'s target, checked as exportTarget checks it. A file already there without
 * --force is refused with exit 1, as every refusal that keeps the person's file is; the hint for
 * an empty path shows a JSON file, the copy's usual form.
 */
export async function pauseExportTarget(
  cwd: string,
  given: string,
  force: boolean,
): Promise<ExportTarget> {
  // With force, user_file.ts refuses all but a new or regular file; without it is decided here.
  const target = await userFileTarget(cwd, given, {
    force: true,
    flag: "--export",
    outcome: OUTCOME,
    folders: true,
    example: "~/snapshot.json",
  });
  if (!force && !target.folder && await lstatIfExists(target.path) !== undefined) {
    throw new MpmError(
      `--export ${given}: the file exists; ${OUTCOME}.`,
      "Add --force to replace it, or give a new path.",
    );
  }
  return { ...target, force };
}

/** Writes the snapshot's copy for `mpm pause --export`. */
export function writeExportCopy(target: ExportTarget, id: string, bytes: Uint8Array) {
  return writeUserFile(target, `${id}.json`, bytes, (path) =>
    new MpmError(
      `--export ${target.given}: ${path} appeared while pausing, so no copy was written.`,
      `The snapshot ${id} was saved; export it again with --force, or to another path.`,
    ));
}
