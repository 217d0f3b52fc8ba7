/**
 * Text in one case, every character as long as it was: what `mpm search` matches plain text in,
 * and what the search index (src/index/) keeps its words as. Pure.
 */
/** Letters that fold to another than their lower case (final sigma, long s, micro, …). */
const FOLDED: Record<string, string> = {
  "\u00b5": "\u03bc",
  "\u017f": "s",
  "\u0345": "\u03b9",
  "\u03c2": "\u03c3",
  "\u03d0": "\u03b2",
  "\u03d1": "\u03b8",
  "\u03d5": "\u03c6",
  "\u03d6": "\u03c0",
  "\u03f0": "\u03ba",
  "\u03f1": "\u03c1",
  "\u03f5": "\u03b5",
  "\u1c80": "\u0432",
  "\u1c81": "\u0434",
  "\u1c82": "\u043e",
  "\u1c83": "\u0441",
  "\u1c84": "\u0442",
  "\u1c85": "\u0442",
  "\u1c86": "\u044a",
  "\u1c87": "\u0463",
  "\u1c88": "\ua64b",
  "\u1e9b": "\u1e61",
  "\u1fbe": "\u03b9",
};
const FOLDED_LETTERS = Object.keys(FOLDED);
const FOLDED_RE = new RegExp(`[${FOLDED_LETTERS.join("")}]`, "gu");

/** "İ" (capital I with a dot) is the one letter whose lower case is longer: "i" and a dot. */
export const DOTTED_I = /\u0130/g;

/** Text in one case, each character as long as it was (so a match's offsets carry over). */
export function folded(text: string): string {
  // Looking for each letter is far quicker than a pattern's pass over text that has none.
  const dotless = text.includes("\u0130") ? text.replace(DOTTED_I, "i") : text;
  const lower = dotless.toLowerCase();
  return FOLDED_LETTERS.some((c) => lower.includes(c))
    ? lower.replace(FOLDED_RE, (c) => FOLDED[c])
    : lower;
}
