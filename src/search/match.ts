/**
 * What `mpm search` matches and how a hit is shown: plain text, case-insensitive (the default),
 * or a regular expression (`--regex`, case-insensitive too); a one-line excerpt around the match,
 * with where the match is in it. Pure.
 */
import { UsageError } from "../kernel/errors.ts";
import type { IndexRecord } from "../vault/segment.ts";

export interface Matcher {
  /** The first match in `text`: its start and end, or null. */
  find(text: string): [number, number] | null;
  /**
   * For plain text: the query as it reads inside a JSON string, lower-cased — a quick look at
   * a whole index (JSON lines, lower-cased) before any line is parsed. Null for a pattern.
   */
  needle: string | null;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function matcherOf(re: RegExp, needle: string | null): Matcher {
  return {
    needle,
    find(text) {
      re.lastIndex = 0;
      const m = re.exec(text);
      return m === null ? null : [m.index, m.index + m[0].length];
    },
  };
}

/** Plain text, any case: "Stripe webhook" finds "stripe Webhook". */
export function plainMatcher(query: string): Matcher {
  if (query.trim() === "") {
    throw new UsageError("Give some text to search for.", 'For example: mpm search "webhook"');
  }
  return matcherOf(
    new RegExp(escape(query), "iu"),
    JSON.stringify(query).slice(1, -1).toLowerCase(),
  );
}

/** A regular expression (JavaScript's syntax), any case; one that does not compile is refused. */
export function regexMatcher(pattern: string): Matcher {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "iu");
  } catch (error) {
    const why = error instanceof Error
      ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "")
      : "";
    throw new UsageError(
      `${JSON.stringify(pattern)} is not a regular expression mpm can use${
        why ? ` (${why.toLowerCase()})` : ""
      }.`,
      "Fix the pattern, or search for it as plain text without --regex.",
    );
  }
  // A pattern that matches the empty string would match every text: refused as well.
  if (re.test("")) {
    throw new UsageError(
      `${JSON.stringify(pattern)} matches empty text, so it would match everything.`,
      "Give a pattern that needs at least one character.",
    );
  }
  return matcherOf(re, null);
}

export interface Excerpt {
  /** One line: line breaks and runs of spaces as one space, "…" where it was cut. */
  text: string;
  /** Where the match is in `text`. */
  match: [number, number];
}

const flat = (text: string) => text.replace(/\s+/g, " ");

/** The longest match an excerpt shows whole. */
const MAX_MATCH = 120;

/** One line around the match: at most `context` characters of text on each side. */
export function excerpt(text: string, [start, end]: [number, number], context = 60): Excerpt {
  const shown = Math.min(end, start + MAX_MATCH);
  const matched = flat(text.slice(start, shown)) + (shown < end ? "…" : "");
  // Twice the room is taken before spaces are squeezed, so the excerpt is still full after.
  const from = Math.max(0, start - 2 * context);
  let before = flat(text.slice(from, start));
  if (from === 0) before = before.trimStart();
  if (from > 0 || before.length > context) before = "…" + before.slice(-context).trimStart();
  const to = Math.min(text.length, end + 2 * context);
  let after = flat(text.slice(end, to));
  if (to === text.length) after = after.trimEnd();
  if (to < text.length || after.length > context) after = after.slice(0, context).trimEnd() + "…";
  return { text: before + matched + after, match: [before.length, before.length + matched.length] };
}

/** The excerpt with its match between `open` and `close` (colour, or «»). */
export function marked(ex: Excerpt, open: string, close: string): string {
  const [s, e] = ex.match;
  return ex.text.slice(0, s) + open + ex.text.slice(s, e) + close + ex.text.slice(e);
}

/**
 * The records of one index that match. Plain text is first looked for in the whole index,
 * lower-cased, as it reads inside JSON: only the lines it is in are parsed. A pattern is tried
 * on every record.
 */
export function matchingRecords(
  text: string,
  matcher: Matcher,
): { record: IndexRecord; match: [number, number] }[] {
  const found: { record: IndexRecord; match: [number, number] }[] = [];
  const test = (line: string) => {
    let record: IndexRecord;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof record?.x !== "string") return;
    const match = matcher.find(record.x);
    if (match !== null) found.push({ record, match });
  };
  if (matcher.needle === null) {
    for (const line of text.split("\n")) if (line !== "") test(line);
    return found;
  }
  const lower = text.toLowerCase();
  if (lower.length !== text.length) {
    // A character whose lower case is longer moved the offsets: line by line instead.
    for (const line of text.split("\n")) {
      if (line.toLowerCase().includes(matcher.needle)) test(line);
    }
    return found;
  }
  for (let at = lower.indexOf(matcher.needle); at !== -1;) {
    const start = lower.lastIndexOf("\n", at) + 1;
    const newline = lower.indexOf("\n", at);
    const end = newline === -1 ? lower.length : newline;
    test(text.slice(start, end));
    at = newline === -1 ? -1 : lower.indexOf(matcher.needle, end + 1);
  }
  return found;
}
