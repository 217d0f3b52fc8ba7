/**
 * The line `mpm statusline` prints under Claude Code's prompt: the mpm session, the context
 * window's fill, paused or branched. Pure; stored names are made printable and cut.
 */
import { shown } from "../kernel/safe_text/shown.ts";
import { THRESHOLDS } from "../hooks/records/context_alert.ts";
import { statusLineKey } from "../claude/settings/status_line/status_line.ts";

export interface StatusLineView {
  /** The mpm session the line is about; null when the project has none. */
  session: {
    label: string;
    /** active: running now; paused: none is active, this is the newest pause; branched: a child. */
    state: "active" | "paused" | "branched";
    /** The parent a branched session returns to. */
    parent?: string;
  } | null;
  /** Claude Code's own `used_percentage`; null before the first reply. */
  percent: number | null;
}

/** Longest a name is shown; a status line shares its row with Claude Code's own text. */
export const MAX_LABEL = 40;

export function renderStatusLine(view: StatusLineView): string {
  const parts: string[] = [];
  const { session, percent } = view;
  if (session === null) parts.push("mpm");
  else {
    const state = session.state === "paused"
      ? " (paused)"
      : session.state === "branched"
      ? ` (branched${session.parent ? ` from ${shortLabel(session.parent)}` : ""})`
      : "";
    parts.push(`mpm: ${shortLabel(session.label)}${state}`);
  }
  if (percent !== null) {
    const whole = Math.round(percent);
    parts.push(`${whole}% context`);
    // The same moment the Stop hook warns at, said where the person already looks.
    if (percent >= THRESHOLDS[0]) parts.push("/mpm-handoff");
  }
  return parts.join(" · ");
}

/** One printable line of at most MAX_LABEL characters. */
export function shortLabel(label: string): string {
  const line = shown(label, { as: "printable" }).replace(/\s+/g, " ").trim();
  if (line === "") return "unnamed";
  const chars = [...line];
  return chars.length <= MAX_LABEL ? line : chars.slice(0, MAX_LABEL - 1).join("") + "…";
}

/**
 * The cache the status line's shell prints from: the line without the fill (the shell adds it)
 * and the key of the input it was written for.
 */
export function statusLineCache(view: StatusLineView, input: string): string {
  const key = statusLineKey(input).replaceAll("\n", " ");
  return `${renderStatusLine({ session: view.session, percent: null })}\n${key}\n`;
}
