/**
 * "Did you mean" (pure): names a typed word begins, then those within one or two edits (a neighbour
 * swap is one).
 */

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2][j - 2] + 1);
      }
      rows[i].push(best);
    }
  }
  return rows[a.length][b.length];
}

/** Names offered at most: git lists every near command; three keep the hint one line. */
const MOST = 3;

/** The names near `typed`: those it begins first, then by edits; ties keep listed order. */
export function suggestions(typed: string, names: readonly string[]): string[] {
  const word = typed.toLowerCase();
  // Dashes are not letters: `--s` begins half the options.
  const letters = word.replace(/^-+/, "").length;
  const prefixed = letters >= 3 ? names.filter((name) => name.toLowerCase().startsWith(word)) : [];
  const allowed = word.length <= 4 ? 1 : 2;
  const near = names
    .map((name) => ({ name, distance: editDistance(word, name.toLowerCase()) }))
    .filter(({ distance }) => distance > 0 && distance <= allowed && distance < word.length)
    .sort((a, b) => a.distance - b.distance)
    .map(({ name }) => name);
  return [...new Set([...prefixed, ...near])].slice(0, MOST);
}

/** ` Did you mean "NAME"?` (or "A" or "B") for a hint, or "" when no name is near. */
export function didYouMean(typed: string, names: readonly string[]): string {
  const quoted = suggestions(typed, names).map((name) => `"${name}"`);
  if (quoted.length === 0) return "";
  const last = quoted.pop();
  return `Did you mean ${quoted.length ? `${quoted.join(", ")} or ` : ""}${last}? `;
}
