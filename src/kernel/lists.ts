/** Lists of any length without spreading them into one call (V8's stack overflows). Pure. */

/** Appends every item to `target`, one at a time; returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `numbers`, or `floor` when there is none larger (none at all, say). */
export function largest(numbers: Iterable<number>, floor = -Infinity): number {
  let most = floor;
  for (const n of numbers) if (n > most) most = n;
  return most;
}

/** The smallest of `numbers`, or `ceiling` when there is none smaller. */
export function smallest(numbers: Iterable<number>, ceiling = Infinity): number {
  let least = ceiling;
  for (const n of numbers) if (n < least) least = n;
  return least;
}

/** Orders strings by their code units: `localeCompare`'s order for ISO times and ids, without ICU. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether two lists hold the same items in the same order. */
export function sameItems<T>(a: ArrayLike<T>, b: ArrayLike<T>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
