/**
 * `mpm pause --export PATH`: a copy of the snapshot written outside mpm's folder, by the rules of
 * every file a user names (disk/files/user_file.ts). The path is checked before the snapshot is saved,
 * so a refused one leaves no pause behind.
 */
import { MpmError } from "../../kernel/errors.ts";
import { type UserFile, userFileTarget, writeUserFile } from "../../disk/files/user_file.ts";

export type ExportTarget = UserFile;

const OUTCOME = "nothing was saved";

/**
 * Checks `--export`'s value before anything is written; `flag` names the option in messages
 * (`mpm handoff -o` follows the same rules). An existing folder takes the copy inside it; an
 * existing file without --force is refused (exit 1); an empty path's hint shows a JSON file.
 */
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
