/**
 * "Did you mean": the nearest name to one mistyped, as git and gh suggest. Nearness is the
 * edit distance with a swap of two neighbours counting as one edit (`pasue` is one from `pause`);
 * a name is offered only when one edit away (a typed word of up to four letters) or two (longer),
 * or when it starts with what was typed (three letters at least). Pure: names in, a name out.
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

/** The name nearest to `typed`, if one is near enough; ties go to the first listed. */
export function nearest(typed: string, names: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(word, name.toLowerCase());
    if (distance === 0) continue;
    const allowed = word.length <= 4 ? 1 : 2;
    if (distance <= allowed && distance < word.length && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  if (best) return best.name;
  return word.length >= 3 ? names.find((name) => name.startsWith(word)) : undefined;
}

/** ` Did you mean "NAME"?` for a hint, or "" when no name is near. */
export function didYouMean(typed: string, names: readonly string[]): string {
  const name = nearest(typed, names);
  return name === undefined ? "" : `Did you mean "${name}"? `;
}
