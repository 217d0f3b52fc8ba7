/**
 * `mpm doctor` on the status line Claude Code shows (pure); it runs one only when all of it is
 * mpm's or the person's.
 */
import {
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
  /** Git tracks it (or a link on its way): the repository's, not the person's. */
  repository?: boolean;
}

/** The source Claude Code takes its status line from: the first that has one. */
function shownSource(sources: readonly StatusLineSource[]): StatusLineSource | undefined {
  return sources.find((source) => {
    const kind = statusLineKind(source.text);
    return kind !== "none" && kind !== "unreadable";
  });
}

/** Whose command besides mpm's the status line runs when not the person's. */
function notThePersons(
  source: StatusLineSource,
  sources: readonly StatusLineSource[],
): { copiedFrom?: string } | undefined {
  if (source.repository) return {};
  const kind = statusLineKind(source.text);
  const from = kind === "wrapped"
    ? unwrapped(statusLineCommand(source.text) ?? "")?.from
    : undefined;
  if (from === undefined) return undefined;
  return sources.some((other) => other.repository && other.shown === from)
    ? { copiedFrom: from }
    : undefined;
}

/** The status line doctor may run: all mpm's or the person's; undefined otherwise. */
export function statusLineToRun(
  sources: readonly StatusLineSource[],
): { shown: string; command: string } | undefined {
  const source = shownSource(sources);
  if (source === undefined) return undefined;
  const kind = statusLineKind(source.text);
  if (kind !== "mpm" && kind !== "wrapped") return undefined;
  // mpm's own text, byte for byte, is mpm's code whoever wrote it there.
  if (kind === "wrapped" && notThePersons(source, sources) !== undefined) return undefined;
  return { shown: source.shown, command: statusLineCommand(source.text)! };
}

/** The status line Claude Code shows, from `sources` in Claude Code's order (highest first). */
export function statusLineCheck(sources: readonly StatusLineSource[]): Check | undefined {
  const source = shownSource(sources);
  if (source === undefined) return undefined;
  const { shown, text } = source;
  const kind = statusLineKind(text);
  const command = statusLineCommand(text) ?? "";
  const inner = kind === "wrapped" ? unwrapped(command) : undefined;
  const foreign = kind === "theirs" || kind === "wrapped"
    ? notThePersons(source, sources)
    : undefined;
  if (foreign?.copiedFrom !== undefined) {
    return {
      id: "statusline",
      status: "warn",
      message: `Status line (from ${shown}): a copy made of the repository's, ` +
        `from ${foreign.copiedFrom} (git tracks it), with mpm's part after it; not run by doctor.`,
      fix: "mpm hooks install (it puts mpm's own in its place)",
    };
  }
  if (foreign) {
    return {
      id: "statusline",
      status: "info",
      message: `Status line (from ${shown}): the repository's (git tracks that file), ${
        kind === "wrapped" ? "with" : "without"
      } mpm's part after it; not run by doctor.`,
      ...(kind === "theirs"
        ? { fix: "mpm hooks install (mpm's own goes into your local settings, shown first)" }
        : {}),
    };
  }
  const what = kind === "mpm"
    ? "mpm's"
    : kind === "wrapped"
    ? `${inner?.from ?? shown}'s, with mpm's part after it`
    : "yours alone (mpm's part is not shown)";
  return { id: "statusline", status: "ok", message: `Status line (from ${shown}): ${what}.` };
}

/** Where settings run mpm but mpm cannot be found as they look for it. */
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
