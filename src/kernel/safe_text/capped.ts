/**
 * Output a model reads whole (a skill runs the command and Claude Code hands it everything it
 * printed) kept to a size: text past `max` characters is cut at a line end, with one line that
 * says how much was left out and where to read it all. Pure.
 */

/** `text` at most about `max` characters, cut at a line end, with `more(n)` as its last line. */
export function capped(text: string, max: number, more: (left: number) => string): string {
  if (text.length <= max) return text;
  let end = text.lastIndexOf("\n", max);
  if (end < max / 2) end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}\n${more(text.length - end)}`;
}
