import { assertEquals } from "../../../tests/assert.ts";
import { concatBytes } from "./bytes.ts";

Deno.test("concatBytes joins pieces in order, empty ones too", () => {
  const joined = concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
  assertEquals([...joined], [1, 2, 3]);
  assertEquals(concatBytes([]).length, 0);
});
