/**
 * `mpm doctor`'s word on Claude Code's status line: the one Claude Code shows (the first of the
 * managed, local, project and user settings that has one), and whether mpm's part is in it; and
 * whether the hooks and the status line will find mpm. Pure.
 */
import {
  isOlderStatusLine,
  statusLineCommand,
  statusLineKind,
  unwrapped,
} from "../../claude/settings/status_line/status_line.ts";
import type { Check } from "./judge.ts";
import { MPM_NOT_FOUND_FIX } from "./judge_wired.ts";

export interface StatusLineSource {
  /** The settings file as shown. */
  shown: string;
  text: string | undefined;
}

/** The status line Claude Code shows, from `sources` in Claude Code's order (highest first). */
export function statusLineCheck(sources: readonly StatusLineSource[]): Check | undefined {
  for (const { shown, text } of sources) {
    const kind = statusLineKind(text);
    if (kind === "none" || kind === "unreadable") continue;
    const command = statusLineCommand(text) ?? "";
    const inner = kind === "wrapped" ? unwrapped(command) : undefined;
    if ((kind === "mpm" && isOlderStatusLine(command)) || inner?.legacy) {
      return {
        id: "statusline",
        status: "warn",
        message: `Status line (from ${shown}): an older mpm's, which can hold Claude Code's exit ` +
          "up while mpm runs.",
        fix: "mpm hooks install",
      };
    }
    const what = kind === "mpm"
      ? "mpm's"
      : kind === "wrapped"
      ? `${inner?.from ?? shown}'s, with mpm's part after it`
      : "yours alone (mpm's part is not shown)";
    return { id: "statusline", status: "ok", message: `Status line (from ${shown}): ${what}.` };
  }
  return undefined;
}

/**
 * Where settings run mpm's hooks or status line but mpm cannot be found as they look for it:
 * every event and refresh does nothing.
 */
export function mpmFoundCheck(wired: boolean, found: string | undefined): Check | undefined {
  if (!wired) return undefined;
  if (found !== undefined) {
    return { id: "mpm-path", status: "ok", message: `The hooks run mpm from ${found}.` };
  }
  return {
    id: "mpm-path",
    status: "fail",
    message: "The hooks and status line cannot find mpm (not on PATH, not in ~/.local/bin, " +
      "MPM_BIN not set): every event does nothing.",
    fix: MPM_NOT_FOUND_FIX,
  };
}
