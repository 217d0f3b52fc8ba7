import { assertEquals } from "../../../tests/assert.ts";
import { byteSize, thousands } from "./numbers.ts";

Deno.test("thousands groups digits in threes, as en-US does", () => {
  for (const n of [0, 7, 999, 1000, 12345, 139000, 1000000, 200000, -4321, 987654321]) {
    assertEquals(thousands(n), n.toLocaleString("en-US"));
  }
});

Deno.test("byteSize says a size in the unit that reads best", () => {
  assertEquals(
    [1, 512, 1024, 1536, 48 * 1024, 1.5 * 1024 * 1024, 200 * 1024 * 1024].map(byteSize),
    ["1 byte", "512 bytes", "1 KB", "1.5 KB", "48 KB", "1.5 MB", "200 MB"],
  );
});
