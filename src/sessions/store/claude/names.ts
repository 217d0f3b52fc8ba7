/** The names of the files the hooks write, in UTC so they sort as written. */
import { utcStamp } from "../../../kernel/ids.ts";

function suffix(attempt: number): string {
  return attempt > 1 ? `-${attempt}` : "";
}

/** The PreCompact checkpoint: `auto-20251020-143022`; `-2`… when the name is taken. */
export function autoCheckpointName(now: Date, attempt = 1): string {
  return `auto-${utcStamp(now)}${suffix(attempt)}`;
}

/** `session-resume-2025-10-20-143022.md` (claude-mpm's name, in UTC); `-2`… on a clash. */
export function resumeFileName(now: Date, attempt = 1): string {
  const stamp = utcStamp(now);
  const day = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;
  return `session-resume-${day}-${stamp.slice(9)}${suffix(attempt)}.md`;
}

/** A name as one safe path segment: letters, digits, `.`, `_`, `-`; at most `max` long. */
export function safeSegment(text: string, max = 60): string {
  const clean = text.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, max);
  return clean === "" ? "unknown" : clean;
}

/** `20251020-143022-Bash.json`; `-2`… when two failures land in the same second. */
export function errorFileName(now: Date, tool: string, attempt = 1): string {
  return `${utcStamp(now)}-${safeSegment(tool)}${suffix(attempt)}.json`;
}

/** A backup of a file mpm replaces: `local-20251020-143022.json`, `pre-session-….sh`. */
export function backupName(label: string, now: Date, extension: string, attempt = 1): string {
  return `${safeSegment(label)}-${utcStamp(now)}${suffix(attempt)}${extension}`;
}
