import { assertEquals } from "../../../tests/assert.ts";
import { inBatches, letGoOf } from "./remote.ts";

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

Deno.test("letGoOf frees the buffers git's output views look into, each once", () => {
  const output = new Uint8Array(64);
  const views = [output.subarray(0, 8), output.subarray(8, 40)];
  letGoOf(views);
  assertEquals([output.buffer.detached, output.length, views[1].length], [true, 0, 0]);
});
