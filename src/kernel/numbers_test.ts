import { assertEquals } from "../../tests/assert.ts";
import { thousands } from "./numbers.ts";

Deno.test("thousands groups digits in threes, as en-US does", () => {
  for (const n of [0, 7, 999, 1000, 12345, 139000, 1000000, 200000, -4321, 987654321]) {
    assertEquals(thousands(n), n.toLocaleString("en-US"));
  }
});
