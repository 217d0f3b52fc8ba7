/**
 * The hits a search keeps while it reads (pure): the newest `limit` (0: all) in a heap whose top is
 * the oldest, and a count of every match. Ties keep source order (`rank`), then find order.
 */
/** What the heap orders by: a hit's time (ISO), or null for none. */
interface Timed {
  time: string | null;
}

interface Ranked<H extends Timed> {
  hit: H;
  /** The source's place in the order ties keep (snapshots first). */
  rank: number;
  /** The order its source found it in. */
  seq: number;
}

export interface Kept<H extends Timed> {
  /** At most this many are held (0: all). */
  readonly limit: number;
  /** Every match offered and taken: those held and those let go. */
  count: number;
  /** Held hits, the one shown last at the top (a heap). */
  heap: Ranked<H>[];
  /** How many each source has offered (its next hit's `seq`). */
  offered: number[];
}

export function keptHits<H extends Timed>(limit: number): Kept<H> {
  return { limit, count: 0, heap: [], offered: [] };
}

/** Whether `a` is shown before `b`: newer first, what has no time last, then source order. */
function before(a: Ranked<Timed>, b: Ranked<Timed>): boolean {
  if (a.hit.time !== b.hit.time) {
    if (a.hit.time === null) return false;
    if (b.hit.time === null) return true;
    return a.hit.time > b.hit.time;
  }
  return a.rank !== b.rank ? a.rank < b.rank : a.seq < b.seq;
}

function full(kept: Kept<Timed>): boolean {
  return kept.limit !== 0 && kept.heap.length >= kept.limit;
}

/** Whether a hit would be held now; a tie with the same source's last held one is not. */
export function wouldKeep(kept: Kept<Timed>, time: string | null, rank: number): boolean {
  if (!full(kept)) return true;
  const seq = kept.offered[rank] ?? 0;
  return before({ hit: { time }, rank, seq }, kept.heap[0]);
}

/** Counts a hit that would not be held, keeping its place in its source's order. */
export function counted(kept: Kept<Timed>, rank: number): void {
  kept.offered[rank] = (kept.offered[rank] ?? 0) + 1;
  kept.count++;
}

/** Counts the hit, and holds it when it is among the newest `limit` so far. */
export function keep<H extends Timed>(kept: Kept<H>, hit: H, rank: number): void {
  const seq = kept.offered[rank] ?? 0;
  counted(kept, rank);
  const ranked = { hit, rank, seq };
  const heap = kept.heap;
  if (full(kept)) {
    if (!before(ranked, heap[0])) return;
    heap[0] = ranked;
    down(heap, 0);
    return;
  }
  heap.push(ranked);
  up(heap, heap.length - 1);
}

/** The held hits, newest first. */
export function keptInOrder<H extends Timed>(kept: Kept<H>): H[] {
  return [...kept.heap].sort((a, b) => before(a, b) ? -1 : before(b, a) ? 1 : 0).map((r) => r.hit);
}

// The heap's top is the hit shown last: each parent is shown after its children.

function up(heap: Ranked<Timed>[], at: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!before(heap[parent], heap[at])) return;
    [heap[parent], heap[at]] = [heap[at], heap[parent]];
    at = parent;
  }
}

function down(heap: Ranked<Timed>[], at: number): void {
  for (;;) {
    const left = 2 * at + 1;
    const right = left + 1;
    let last = at;
    if (left < heap.length && before(heap[last], heap[left])) last = left;
    if (right < heap.length && before(heap[last], heap[right])) last = right;
    if (last === at) return;
    [heap[last], heap[at]] = [heap[at], heap[last]];
    at = last;
  }
}

/** Takes all `from` holds and counted into `into`, for a source only `from` was offered. */
export function adopt<H extends Timed>(into: Kept<H>, from: Kept<H>, rank: number): void {
  const base = into.offered[rank] ?? 0;
  into.offered[rank] = base + (from.offered[rank] ?? 0);
  into.count += from.count;
  for (const ranked of from.heap) {
    const moved = { ...ranked, seq: base + ranked.seq };
    if (full(into)) {
      if (!before(moved, into.heap[0])) continue;
      into.heap[0] = moved;
      down(into.heap, 0);
    } else {
      into.heap.push(moved);
      up(into.heap, into.heap.length - 1);
    }
  }
}
