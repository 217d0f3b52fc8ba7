/**
 * Session ids (`session-YYYYMMDD-HHMMSS[-N]`, UTC) and the names users type for them.
 */
import { UsageError } from "./errors.ts";

const ID_PATTERN = /^session-(\d{8})-(\d{6})(?:-(\d+))?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * A moment as `YYYYMMDD-HHMMSS` in UTC: the stamp in session ids, automatic checkpoint names,
 * hook records and backups, so names sort in the order they were written in any time zone.
 */
export function utcStamp(date: Date): string {
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `${day}-${time}`;
}

/** The base id for a moment; a clash in the same second adds `-2`, `-3`, … */
export function sessionIdFor(date: Date, attempt = 1): string {
  return `session-${utcStamp(date)}${attempt > 1 ? `-${attempt}` : ""}`;
}

export function isSessionId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/** Sort key: time, then the same-second suffix as a number (so -10 sorts after -2). */
export function sessionSortKey(id: string): string {
  const match = id.match(ID_PATTERN);
  if (!match) return `0-${id}`;
  return `${match[1]}${match[2]}-${pad(Number(match[3] ?? 1), 6)}`;
}

/** Newest first. */
export function compareNewestFirst(a: string, b: string): number {
  const ka = sessionSortKey(a);
  const kb = sessionSortKey(b);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

/**
 * Refuses names that could escape the sessions folder or confuse the file system:
 * a slash or backslash, `..`, NUL or other control characters.
 */
export function assertSafeName(text: string, what = "session"): void {
  // deno-lint-ignore no-control-regex
  if (/[/\\\x00-\x1f]/.test(text) || text.includes("..") || text === "." || text === "") {
    throw new UsageError(
      `${
        JSON.stringify(text)
      } is not a valid ${what} name: it may not contain "/", "\\", ".." or control characters.`,
      "Use the id shown by `mpm list`, or its index.",
    );
  }
}
