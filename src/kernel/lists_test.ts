import { assertEquals } from "../../tests/assert.ts";
import { largest, pushAll, sameItems, smallest } from "./lists.ts";

/** More elements than V8 passes as one call's arguments. */
const MANY = 1_000_000;

Deno.test("pushAll: appends a million items, which a spread into push cannot", () => {
  const many = Array.from({ length: MANY }, (_, i) => i);
  const target = [-1];
  assertEquals(pushAll(target, many), target);
  assertEquals(target.length, MANY + 1);
  assertEquals(target[MANY], MANY - 1);
});

Deno.test("largest and smallest: of a million numbers, and of none", () => {
  const many = Array.from({ length: MANY }, (_, i) => (i * 7919) % MANY);
  assertEquals(largest(many), MANY - 1);
  assertEquals(smallest(many), 0);
  assertEquals(largest([], 3), 3);
  assertEquals(largest([1, 2], 3), 3);
  assertEquals(smallest([], 5), 5);
  assertEquals(smallest([9, 4], 5), 4);
});

Deno.test("sameItems: same items in the same order, for bytes and for strings", () => {
  assertEquals(sameItems(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assertEquals(sameItems(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])), false);
  assertEquals(sameItems(new Uint8Array([1, 2, 3]), new Uint8Array([1, 3, 2])), false);
  assertEquals(sameItems(["a", "b"], ["a", "b"]), true);
  assertEquals(sameItems(["a", "b"], ["b", "a"]), false);
  assertEquals(sameItems([], []), true);
});
