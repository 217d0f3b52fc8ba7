import { assertEquals } from "../../../tests/assert.ts";
import { MAX_ROW_CHARS, rowLine } from "./row_text.ts";

Deno.test("rowLine: a summary of many lines and megabytes is one bounded row", () => {
  const row = rowLine("first line\n\tsecond  line\n" + "x".repeat(1_000_000));
  assertEquals(row.length, MAX_ROW_CHARS);
  assertEquals(row.startsWith("first line second line x"), true);
  assertEquals(row.endsWith("…"), true);
  assertEquals(rowLine("a\x1b[31m red\u202e\nb"), "a red b");
});
