import { assertEquals } from "../../tests/assert.ts";
import { inBatches } from "./remote.ts";

Deno.test("inBatches keeps the order, holds at most the limit per batch, and a larger item alone", () => {
  const sizes = [300, 300, 300, 5000, 100, 900, 100, 1];
  const batches = inBatches(sizes, (n) => n, 1000);
  assertEquals(batches, [[300, 300, 300], [5000], [100, 900], [100, 1]]);
  for (const batch of batches) {
    const bytes = batch.reduce((a, b) => a + b, 0);
    assertEquals(bytes <= 1000 || batch.length === 1, true, `batch ${batch} is over the limit`);
  }
  assertEquals(inBatches([], (n: number) => n, 1000), []);
});
