/**
 * A file name as `mpm diff` and `mpm revert` print it: one line, C-quoted as git does (`"a\nb"`),
 * bytes not UTF-8 as git's octal escapes, in the terminal and `--json` alike. Pure.
 */
import { printable } from "../kernel/format/text.ts";
import { cQuoted, notUtf8 } from "../git/objects/git_paths.ts";

/** A path on one line of terminal text, quoted as git would and stripped of what acts. */
export function shownPath(path: string): string {
  return printable(cQuoted(path));
}

/** A path in `--json`: as it is (JSON escapes a line break), octal escapes for bytes not UTF-8. */
export function jsonPath(path: string): string {
  return notUtf8(path) ? cQuoted(path) : path;
}

export { notUtf8 };
