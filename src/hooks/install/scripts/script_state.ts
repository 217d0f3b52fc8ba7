/**
 * What a file in a scripts folder is to mpm, from its bytes' sha256 and this machine's install
 * record (install_record.ts). Pure. The order is the rule:
 * 1. nothing there: missing;
 * 2. not a plain file (a link, a folder): foreign, never read;
 * 3. this mpm's script: installed;
 * 4. what this machine's install wrote, by another mpm: outdated (mpm's own code, updated
 *    quietly);
 * 5. this machine's install wrote the script and it changed since: edited, the person's;
 * 6. anything else — a script committed into the repository or copied from another clone — is
 *    foreign: never the person's, never run by mpm, replaced by install (kept as a backup).
 */
import type { ScriptState } from "./report.ts";

/** What lstat and a read found at a script's path: its sha256, or why there is none. */
export type ScriptFound = { sha256: string } | "missing" | "not-a-file";

export function judgeScript(
  found: ScriptFound,
  /** The sha256 of the script as this machine's install wrote it, when it recorded one. */
  recorded: string | undefined,
  /** The sha256 of this mpm's script. */
  shipped: string,
): ScriptState {
  if (found === "missing") return "missing";
  if (found === "not-a-file") return "foreign";
  const { sha256 } = found;
  if (sha256 === shipped) return "installed";
  if (sha256 === recorded) return "outdated";
  return recorded !== undefined ? "edited" : "foreign";
}
