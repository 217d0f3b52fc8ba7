/**
 * What a file in a scripts folder is to mpm (pure); a script no install of this machine wrote is
 * foreign, never run, and replaced.
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
