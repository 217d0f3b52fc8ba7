/** What `mpm search` matches and its one-line excerpt. Pure. */
import { UsageError } from "../kernel/errors.ts";
import { printable } from "../kernel/format/text.ts";
import { cut } from "../kernel/safe_text/inert.ts";
import type { IndexRecord } from "../vault/copy/segment.ts";
import { DOTTED_I, folded } from "../kernel/format/fold.ts";
import { PATTERN_LIMIT_MS, PatternTooSlow, runHere, type Spans } from "./pattern_guard.ts";

export { folded };

/** The most of a query said back to the person (a header, a refusal): they typed it whole. */
export const MAX_QUOTED_QUERY_CHARS = 200;

/** A query as said back: a JSON string, at most MAX_QUOTED_QUERY_CHARS, no control characters. */
export function quotedQuery(query: string): string {
  return printable(JSON.stringify(cut(query, MAX_QUOTED_QUERY_CHARS)));
}

export interface Matcher {
  /** The first match in `text`: its start and end, or null. */
  find(text: string): [number, number] | null;
  /** The first match in each of `texts`, in order: what a loop over many texts asks at once. */
  findEach(texts: readonly string[]): Spans;
  /** Plain text as it reads in folded JSON, to scan a whole index first; null for a pattern. */
  needle: string | null;
}

/** How a pattern is run on texts: here, or where it can be stopped (pattern_guard.ts). */
export type PatternRun = (re: RegExp, texts: readonly string[]) => Spans;

/** A pattern's matches, looked for in the folded text (the offsets are the text's). */
function matcherOf(re: RegExp, pattern: string, run: PatternRun): Matcher {
  const findEach = (texts: readonly string[]): Spans => {
    try {
      return run(re, texts.map(folded));
    } catch (error) {
      if (!(error instanceof PatternTooSlow)) throw error;
      throw new UsageError(
        `${quotedQuery(pattern)} takes too long to match: over ${
          PATTERN_LIMIT_MS / 1000
        } s on some of the text (repeats that can split a long line many ways, like (a+)+ or ` +
          ".*.*x, try every way).",
        "Make it narrower (start it with plain text; no nested or side-by-side repeats), or " +
          "search for plain text without --regex.",
      );
    }
  };
  return { needle: null, findEach, find: (text) => findEach([text])[0] };
}

/** Plain text, any case: "Stripe webhook" finds "stripe Webhook", "istanbul" "İstanbul". */
export function plainMatcher(query: string): Matcher {
  if (query.trim() === "") {
    throw new UsageError("Give some text to search for.", 'For example: mpm search "webhook"');
  }
  const wanted = folded(query);
  const find = (text: string): [number, number] | null => {
    const at = folded(text).indexOf(wanted);
    return at === -1 ? null : [at, at + wanted.length];
  };
  return {
    needle: folded(JSON.stringify(query).slice(1, -1)),
    find,
    findEach: (texts) => texts.map(find),
  };
}

/**
 * A regular expression (JavaScript's syntax), any case; one that does not compile is refused, and
 * one that `run` finds too slow (PatternTooSlow) is refused when it is.
 */
export function regexMatcher(pattern: string, run: PatternRun = runHere): Matcher {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "iu");
  } catch (error) {
    const why = error instanceof Error
      ? error.message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "")
      : "";
    throw new UsageError(
      `${quotedQuery(pattern)} is not a regular expression mpm can use${
        why ? ` (${cut(why, MAX_QUOTED_QUERY_CHARS).toLowerCase()})` : ""
      }.`,
      "Fix the pattern, or search for it as plain text without --regex.",
    );
  }
  // A pattern that matches the empty string would match every text: refused as well.
  if (re.test("")) {
    throw new UsageError(
      `${quotedQuery(pattern)} matches empty text, so it would match everything.`,
      "Give a pattern that needs at least one character.",
    );
  }
  // The text is folded (İ as i): so is the pattern, where it still compiles so.
  const dotless = pattern.replace(DOTTED_I, "i");
  try {
    if (dotless !== pattern) re = new RegExp(dotless, "iu");
  } catch {
    // An İ at the end of a range, say: the pattern as given.
  }
  return matcherOf(re, pattern, run);
}

/** Where an escape ends, from the letter or digit after its backslash (u{…}, p{…}, k<…>, x41, …). */
function escapeEnd(pattern: string, at: number): number {
  const c = pattern[at];
  const bracket = pattern[at + 1] === "{" ? "}" : c === "k" ? ">" : "";
  if (bracket !== "" && "upPk".includes(c)) {
    const close = pattern.indexOf(bracket, at + 1);
    return close === -1 ? pattern.length : close + 1;
  }
  if (c === "u") return at + 5;
  if (c === "x") return at + 3;
  if (c === "c") return at + 2;
  if (c >= "0" && c <= "9") {
    let end = at + 1;
    while (pattern[end] >= "0" && pattern[end] <= "9") end++;
    return end;
  }
  return at + 1;
}

/**
 * The longest run of plain text every match of a pattern holds (outside any group, class or
 * alternation, not made optional), for the index to narrow the texts the pattern is tested on;
 * null when there is none of three characters. Pure.
 */
export function requiredText(pattern: string): string | null {
  const runs: string[] = [];
  let run = "";
  let depth = 0;
  const end = (keep = run) => {
    runs.push(keep);
    run = "";
  };
  for (let at = 0; at < pattern.length;) {
    const c = pattern[at];
    if (c === "\\") {
      const next = pattern[at + 1] ?? "";
      // An escaped mark is itself; a letter or digit is a class, an anchor or a reference.
      if (/^[A-Za-z0-9]$/.test(next)) {
        if (depth === 0) end();
        at = escapeEnd(pattern, at + 1);
      } else {
        if (depth === 0) run += next;
        at += 2;
      }
    } else if (c === "[") {
      if (depth === 0) end();
      at++;
      while (at < pattern.length && pattern[at] !== "]") at += pattern[at] === "\\" ? 2 : 1;
      at++;
    } else if (c === "(" || c === ")") {
      if (depth === 0) end();
      depth += c === "(" ? 1 : -1;
      at++;
    } else if (depth > 0) {
      at++;
    } else if (c === "|") {
      return null; // either side may match alone
    } else if (c === "*" || c === "?" || c === "{") {
      // The atom before may be left out: the run ends before it.
      end(Array.from(run).slice(0, -1).join(""));
      const close = c === "{" ? pattern.indexOf("}", at) : at;
      at = close === -1 ? pattern.length : close + 1;
    } else if (c === "+") {
      end(); // once at least, though not what follows it right after
      at++;
    } else if (c === "." || c === "^" || c === "$") {
      end();
      at++;
    } else {
      run += c;
      at++;
    }
  }
  end();
  const longest = runs.reduce((a, b) => folded(b).length > folded(a).length ? b : a, "");
  return [...folded(longest)].length >= 3 ? longest : null;
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

/** The records of one index that match; plain text first narrows the lines to parse. */
export function matchingRecords(
  text: string,
  matcher: Matcher,
): { record: IndexRecord; match: [number, number] }[] {
  const records: IndexRecord[] = [];
  const parse = (line: string) => {
    let record: IndexRecord;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof record?.x === "string") records.push(record);
  };
  if (matcher.needle === null) {
    for (const line of text.split("\n")) if (line !== "") parse(line);
  } else {
    // As long as the text, character for character: an offset in one is an offset in the other.
    const lower = folded(text);
    for (let at = lower.indexOf(matcher.needle); at !== -1;) {
      const start = lower.lastIndexOf("\n", at) + 1;
      const newline = lower.indexOf("\n", at);
      const end = newline === -1 ? lower.length : newline;
      parse(text.slice(start, end));
      at = newline === -1 ? -1 : lower.indexOf(matcher.needle, end + 1);
    }
  }
  const matches = matcher.findEach(records.map((r) => r.x));
  return records.flatMap((record, k) => {
    const match = matches[k];
    return match === null ? [] : [{ record, match }];
  });
}
