/** `mpm pause --export PATH`: a copy of the snapshot, the path checked before anything is saved. */
import { MpmError } from "../../kernel/errors.ts";
import { type UserFile, userFileTarget, writeUserFile } from "../../disk/files/user_file.ts";

export type ExportTarget = UserFile;

const OUTCOME = "nothing was saved";

/** Checks `--export`'s value (`flag` names it) before anything is written; a file needs --force. */
export function exportTarget(
  cwd: string,
  given: string,
  force: boolean,
  flag = "--export",
): Promise<ExportTarget> {
  return userFileTarget(cwd, given, {
    force,
    flag,
    outcome: OUTCOME,
    folders: true,
    example: "~/snapshot.json",
  });
}

/** Writes the snapshot's copy for `mpm pause --export`. */
export function writeExportCopy(target: ExportTarget, id: string, bytes: Uint8Array) {
  return writeUserFile(target, `${id}.json`, bytes, (path) =>
    new MpmError(
      `--export ${target.given}: ${path} appeared while pausing, so no copy was written.`,
      `The snapshot ${id} was saved; export it again with --force, or to another path.`,
    ));
}
