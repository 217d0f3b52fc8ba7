/** Turns what a user typed (an id, a unique prefix, `mpm list`'s index) into one session id. */
import { NothingToDo, UsageError } from "../../../../kernel/errors.ts";
import { assertSafeName } from "../../../../kernel/ids.ts";

/** `ids` newest first, as `mpm list` numbers them. */
export function selectSession(ids: readonly string[], selector: string): string {
  assertSafeName(selector);
  // Short numbers are indexes; eight digits or more are the date part of an id.
  if (/^\d{1,7}$/.test(selector)) {
    const index = Number(selector);
    if (index < ids.length) return ids[index];
    throw new NothingToDo(
      `There is no session number ${index}: ${describeCount(ids.length)}.`,
      "Run `mpm list` to see them.",
    );
  }
  if (ids.includes(selector)) return selector;
  // "20251020-14" and "session-20251020-14" name the same sessions; so does a bare "sess".
  const wanted = "session-".startsWith(selector) || selector.startsWith("session-")
    ? selector
    : `session-${selector}`;
  const matches = ids.filter((id) => id.startsWith(wanted));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw ambiguous(selector, matches);
  throw new NothingToDo(
    `No session matches ${JSON.stringify(selector)}.`,
    "Run `mpm list` to see the sessions and their ids.",
  );
}

/** `--select TEXT`: an index, an id, or words in a session's summary or name (its newest match). */
export function selectByText(
  sessions: readonly { id: string; text: string; key?: string }[],
  selector: string,
): { id: string; words: boolean } {
  const ids = sessions.map((s) => s.id);
  try {
    return { id: selectSession(ids, selector), words: false };
  } catch (error) {
    if (!(error instanceof NothingToDo) || /^\d{1,7}$/.test(selector)) throw error;
  }
  const needle = selector.toLowerCase();
  const found = sessions.filter((s) => s.text.toLowerCase().includes(needle));
  const works = new Set(found.map((s) => s.key ?? s.id));
  if (works.size === 1) return { id: found[0].id, words: true };
  const matches = found.map((s) => s.id);
  if (matches.length > 1) throw ambiguous(selector, matches);
  throw new NothingToDo(
    `No session's id, name or summary matches ${JSON.stringify(selector)}.`,
    "Run `mpm list` to see the sessions.",
  );
}

function ambiguous(selector: string, matches: string[]): UsageError {
  const shown = matches.slice(0, 8).join(", ") + (matches.length > 8 ? ", …" : "");
  return new UsageError(
    `${JSON.stringify(selector)} matches ${matches.length} sessions: ${shown}.`,
    "Give more of the id, or the index from `mpm list`.",
  );
}

function describeCount(n: number): string {
  if (n === 0) return "there are no sessions";
  return n === 1 ? "there is one session (number 0)" : `sessions are numbered 0 to ${n - 1}`;
}
