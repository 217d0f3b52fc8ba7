/**
 * Text cut short where a secret may lie across the cut: a token the cut splits (a key, a password,
 * a line of a private key) is left out whole, never shown in part, because a part of a secret is
 * no longer matched by the rules that redact it whole (kernel/safe_text/redact.ts). What is kept
 * ends at the whitespace before the split token, and "…" says something followed. Pure.
 */

/** The first `at` characters of `text` less the token the cut splits, then "…"; else `text`. */
export function safeCut(text: string, at: number): string {
  if (text.length <= at) return text;
  let end = Math.max(0, at);
  // The cut splits a token when neither side of it is whitespace: back to the token's start.
  if (!/\s/.test(text[end] ?? " ")) { while (end > 0 && !/\s/.test(text[end - 1])) end--; }
  return `${text.slice(0, end).trimEnd()}…`;
}
