/**
 * Session ids and the names users type for them. A new id is `session-YYYYMMDD-HHMMSS-MMMxyz`
 * (UTC, three random letters): one snapshot on every machine, sorted as made. claude-mpm's
 * `session-YYYYMMDD-HHMMSS[-N]` stay valid.
 */
import { UsageError } from "./errors.ts";

/** Old `-N` suffixes are digits only; new ones always end in letters, so the two never meet. */
const ID_PATTERN = /^session-(\d{8})-(\d{6})(?:-(\d+)|-(\d{3})([a-z]{3}))?$/;

/** The letters of a new id's suffix: consonants only, so no suffix spells a word. */
export const SUFFIX_LETTERS = "bcdfghjkmnpqrstvwxz";

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** A moment as `YYYYMMDD-HHMMSS` in UTC, so names sort as written in any time zone. */
export function utcStamp(date: Date): string {
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `${day}-${time}`;
}

/** claude-mpm's id spelling, `session-STAMP[-N]`. New snapshots take `newSessionId`. */
export function sessionIdFor(date: Date, attempt = 1): string {
  return `session-${utcStamp(date)}${attempt > 1 ? `-${attempt}` : ""}`;
}

/** Three suffix letters from three random bytes (the caller brings the randomness). */
export function suffixLetters(random: Uint8Array): string {
  if (random.length < 3) throw new RangeError("suffixLetters needs three random bytes");
  return [...random.slice(0, 3)].map((b) => SUFFIX_LETTERS[b % SUFFIX_LETTERS.length]).join("");
}

/** A new snapshot id for a moment: its second, its millisecond and three random letters. */
export function newSessionId(date: Date, random: Uint8Array): string {
  return `session-${utcStamp(date)}-${pad(date.getUTCMilliseconds(), 3)}${suffixLetters(random)}`;
}

export function isSessionId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/** The moment an id names (to the millisecond for new ids); undefined for no id. */
export function idTime(id: string): Date | undefined {
  const match = id.match(ID_PATTERN);
  if (!match) return undefined;
  const [d, t] = [match[1], match[2]];
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${
    t.slice(4)
  }.${match[4] ?? "000"}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Sort key: the id's time (capped at `cap`, its arrival), then `-N` ids numerically. */
export function sessionSortKey(id: string, cap?: Date): string {
  const match = id.match(ID_PATTERN);
  if (!match) return `0-${id}`;
  if (cap !== undefined && !Number.isNaN(cap.getTime())) {
    const made = idTime(id);
    if (made !== undefined && cap.getTime() < made.getTime()) {
      return `${utcStamp(cap).replace("-", "")}-1${pad(cap.getUTCMilliseconds(), 3)}`;
    }
  }
  const within = match[4] !== undefined
    ? `1${match[4]}${match[5]}`
    : `0${pad(Number(match[3] ?? 1), 6)}`;
  return `${match[1]}${match[2]}-${within}`;
}

/** Newest first. */
export function compareNewestFirst(a: string, b: string): number {
  const ka = sessionSortKey(a);
  const kb = sessionSortKey(b);
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

/** Refuses names that could escape the sessions folder: a slash, backslash, `..` or control. */
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
