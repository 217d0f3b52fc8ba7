import { assert, assertEquals } from "../../../../tests/assert.ts";
import { RECENT, withWritten, writtenOrderKeys } from "./order.ts";

const keys: Record<string, string> = { a: "20250602-1200", b: "20250602-1300", c: "20250602-1000" };

Deno.test("writtenOrderKeys moves nothing while the written order and the times agree", () => {
  assertEquals(writtenOrderKeys(["b", "a"], (id) => keys[id]), null);
  assertEquals(writtenOrderKeys([], (id) => keys[id]), null);
});

Deno.test("writtenOrderKeys puts one written after a newer-dated one just after it", () => {
  // c was written last (first in the list) but is dated earliest: the clock went back.
  const moved = writtenOrderKeys(["c", "b", "a"], (id) => keys[id])!;
  assertEquals([...moved.keys()], ["c"]);
  assert(moved.get("c")! > keys.b && moved.get("c")!.startsWith(keys.b));
  // An id no longer listed (pruned) neither moves nor holds others back.
  assertEquals(writtenOrderKeys(["c", "gone"], (id) => keys[id]), null);
});

Deno.test("withWritten keeps the newest RECENT ids once each, the highest number", () => {
  let order = { seq: 0, recent: [] as string[] };
  for (let i = 1; i <= RECENT + 5; i++) order = withWritten(order, `id${i % (RECENT + 2)}`, i);
  assertEquals(order.seq, RECENT + 5);
  assertEquals(order.recent.length, RECENT);
  assertEquals(new Set(order.recent).size, RECENT);
  assertEquals(order.recent[0], `id${(RECENT + 5) % (RECENT + 2)}`);
});
