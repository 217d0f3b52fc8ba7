/**
 * Text cut short where a secret may lie across the cut: the token the cut splits is left out
 * whole (a part of a secret no longer matches the rules that redact it); "…" says something
 * followed. Pure.
 */

/** The first `at` characters of `text` less the token the cut splits, then "…"; else `text`. */
export function safeCut(text: string, at: number): string {
  if (text.length <= at) return text;
  let end = Math.max(0, at);
  // The cut splits a token when neither side of it is whitespace: back to the token's start.
  if (!/\s/.test(text[end] ?? " ")) { while (end > 0 && !/\s/.test(text[end - 1])) end--; }
  return `${text.slice(0, end).trimEnd()}…`;
}
