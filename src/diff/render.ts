/** How `mpm diff` tells what a session changed: its header, its notes, its JSON. Pure. */
import type { WorkMark } from "../sessions/store/marks/marks.ts";
import { fileStatus, listed, type Selected } from "./plan.ts";
import type { DiffSession } from "./gather.ts";
import { jsonPath } from "./names.ts";

export function sessionLabel(session: DiffSession): string {
  return session.name ? `"${session.name}" (${session.key})` : session.key;
}

/** "its start (2025-10-20 14:30 UTC)" */
function when(mark: WorkMark): string {
  return `its ${mark.moment} (${mark.at.slice(0, 16).replace("T", " ")} UTC)`;
}

export function header(
  session: DiffSession,
  first: WorkMark,
  last: WorkMark,
  count: number,
): string {
  const to = session.active ? "now" : when(last);
  const what = count === 0 ? "no file" : count === 1 ? "1 file" : `${count} files`;
  return `Session ${sessionLabel(session)} changed ${what}, from ${when(first)} to ${to}.`;
}

/** Lines after the diff: what was left out, and why. */
export function notes(selected: Selected, more: readonly string[]): string[] {
  const lines = [...more];
  if (selected.unknown.length > 0) {
    lines.push(
      `Not compared (a folder, or a file over 32 MiB, when a mark was taken): ${
        listed(selected.unknown)
      }.`,
    );
  }
  if (selected.outside.length > 0) {
    lines.push(`The session did not change ${listed(selected.outside)}.`);
  }
  return lines;
}

export interface Counted {
  added: number | null;
  removed: number | null;
}

/** `git diff --numstat -z` as path → lines added and removed (null for a binary file). */
export function parseNumstat(output: string): Map<string, Counted> {
  const counts = new Map<string, Counted>();
  for (const record of output.split("\0")) {
    const match = record.match(/^(\d+|-)\t(\d+|-)\t(.*)$/s);
    if (!match) continue;
    const n = (text: string) => (text === "-" ? null : Number(text));
    counts.set(match[3], { added: n(match[1]), removed: n(match[2]) });
  }
  return counts;
}

const markJson = (mark: WorkMark) => ({ moment: mark.moment, at: mark.at, head: mark.head });

export function diffJson(input: {
  session: DiffSession;
  first: WorkMark;
  last: WorkMark;
  nowHead: string | null;
  selected: Selected;
  counts: Map<string, Counted>;
  notes: string[];
  patch: string | null;
}) {
  const { session, selected } = input;
  return {
    session: { key: session.key, name: session.name, active: session.active },
    from: markJson(input.first),
    to: session.active ? { moment: "now", at: null, head: input.nowHead } : markJson(input.last),
    files: selected.files.map((file) => ({
      path: jsonPath(file.path),
      status: fileStatus(file),
      start: file.start,
      end: file.end,
      added: input.counts.get(file.path)?.added ?? null,
      removed: input.counts.get(file.path)?.removed ?? null,
    })),
    unknown: selected.unknown.map(jsonPath),
    outside: selected.outside.map(jsonPath),
    notes: input.notes,
    patch: input.patch,
  };
}
