import { assert, assertEquals } from "../../tests/assert.ts";
import { counted, keep, keptHits, keptInOrder, wouldKeep } from "./keep.ts";
import type { Hit } from "./sources.ts";

function hit(time: string | null, text: string): Hit {
  return {
    time,
    source: "transcript",
    kind: "prompt",
    session: null,
    claude_session: null,
    text,
    match: [0, 1],
    file: null,
    open: null,
  };
}

Deno.test("keptInOrder: newest first, what has no time last, ties in the order found", () => {
  const kept = keptHits<Hit>(0);
  keep(kept, hit("2026-01-02", "a"), 3);
  keep(kept, hit(null, "b"), 3);
  keep(kept, hit("2026-03-01", "c"), 3);
  keep(kept, hit("2026-01-02", "d"), 3);
  keep(kept, hit("2026-01-02", "e"), 0);
  assertEquals(keptInOrder(kept).map((h) => h.text), ["c", "e", "a", "d", "b"]);
  assertEquals(kept.count, 5);
});

Deno.test("a search holds at most `limit` hits however many match, and counts them all", () => {
  const kept = keptHits<Hit>(3);
  let most = 0;
  // 100,000 matches in no order of time: what a large vault's index gives.
  for (let i = 0; i < 100_000; i++) {
    const day = (i * 7919) % 100_000;
    keep(kept, hit(new Date(Date.UTC(2020, 0, 1) + day * 60_000).toISOString(), `${day}`), 3);
    most = Math.max(most, kept.heap.length);
  }
  assertEquals(most, 3);
  assertEquals(kept.count, 100_000);
  assertEquals(keptInOrder(kept).map((h) => h.text), ["99999", "99998", "99997"]);
  // What is older than the oldest held is not worth a full read.
  assert(!wouldKeep(kept, new Date(Date.UTC(2020, 0, 1)).toISOString(), 0));
  assert(wouldKeep(kept, "2030-01-01T00:00:00.000Z", 3));
  assert(!wouldKeep(kept, null, 0));
});

Deno.test("counted: a hit that would not be held is counted, in its source's order, and not held", () => {
  const kept = keptHits<Hit>(1);
  keep(kept, hit("2026-03-01", "new"), 3);
  assert(!wouldKeep(kept, "2026-01-01", 3));
  counted(kept, 3);
  assertEquals([kept.count, kept.heap.length, kept.offered[3]], [2, 1, 2]);
  assertEquals(keptInOrder(kept).map((h) => h.text), ["new"]);
});
