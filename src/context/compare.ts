/** Whether the context file changed since a snapshot or checkpoint recorded it, and how. Pure. */
import type { ContextRecord } from "../kernel/snapshot.ts";
import { unifiedDiff } from "../claude/transcript/diff.ts";
import { pushAll } from "../kernel/lists.ts";

export interface ContextChange {
  file: string;
  status: "unchanged" | "changed" | "added" | "removed";
  /** The unified diff's lines (without its header), at most `maxLines`. */
  diff: string[];
  more: number;
}

/** `then` (undefined: not recorded; null: no file) against `now`; null when nothing to report. */
export function compareContext(
  then: ContextRecord | null | undefined,
  now: ContextRecord | null,
  maxLines = 20,
): ContextChange | null {
  if (then === undefined || (then === null && now === null)) return null;
  if (then === null) return withDiff(now!.file, "added", "", now!.text, maxLines);
  if (now === null) return { file: then.file, status: "removed", diff: [], more: 0 };
  if (then.sha256 === now.sha256 && then.file === now.file) {
    return { file: now.file, status: "unchanged", diff: [], more: 0 };
  }
  return withDiff(now.file, "changed", then.text, now.text, maxLines);
}

function withDiff(
  file: string,
  status: ContextChange["status"],
  before: string | null,
  after: string | null,
  maxLines: number,
): ContextChange {
  // A text too large to record leaves only the hash: the change is known, its lines are not.
  if (before === null || after === null) return { file, status, diff: [], more: 0 };
  const lines = unifiedDiff(before, after, { context: 1 }).split("\n")
    .filter((l) => l !== "" && !l.startsWith("--- ") && !l.startsWith("+++ "));
  return {
    file,
    status,
    diff: lines.slice(0, maxLines),
    more: Math.max(0, lines.length - maxLines),
  };
}

/** The report's lines; `since` is "the pause" or "checkpoint NAME". */
export function renderContextChange(change: ContextChange, since: string): string[] {
  const head = `Context file ${change.file}:`;
  switch (change.status) {
    case "unchanged":
      return [`${head} unchanged since ${since}.`];
    case "removed":
      return [`${head} removed since ${since}.`];
    case "added":
    case "changed": {
      const verb = change.status === "added" ? "created" : "changed";
      const lines = [`${head} ${verb} since ${since}${change.diff.length ? ":" : "."}`];
      pushAll(lines, change.diff.map((l) => `    ${l}`));
      if (change.more > 0) {
        lines.push(`    … ${change.more} more diff lines (\`mpm context\` prints the file).`);
      }
      return lines;
    }
  }
}
