import { assertEquals } from "../../../tests/assert.ts";
import { byteSize, numberRanges, thousands } from "./numbers.ts";

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

Deno.test("numberRanges: three or more in a row are one range, in order, once each", () => {
  assertEquals(numberRanges([]), "");
  assertEquals(numberRanges([5]), "5");
  assertEquals(numberRanges([2, 1]), "1, 2");
  assertEquals(numberRanges([1, 2, 3, 4, 6, 8, 9]), "1 to 4, 6, 8, 9");
  assertEquals(numberRanges([16, 3, 1, 2, 2, 15, 14]), "1 to 3, 14 to 16");
});
