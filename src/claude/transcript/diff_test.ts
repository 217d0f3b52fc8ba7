import { assertEquals } from "../../../tests/assert.ts";
import { unifiedDiff } from "./diff.ts";

Deno.test("unifiedDiff of equal texts is empty", () => {
  assertEquals(unifiedDiff("a\nb\n", "a\nb\n"), "");
});

Deno.test("unifiedDiff shows changes with three lines of context in separate hunks", () => {
  const before = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"].join("\n") + "\n";
  const after = before.replace("2\n", "two\n").replace("11\n", "11\n11.5\n");
  assertEquals(
    unifiedDiff(before, after, { oldLabel: "a/settings.json", newLabel: "b/settings.json" }),
    [
      "--- a/settings.json",
      "+++ b/settings.json",
      "@@ -1,5 +1,5 @@",
      " 1",
      "-2",
      "+two",
      " 3",
      " 4",
      " 5",
      "@@ -9,4 +9,5 @@",
      " 9",
      " 10",
      " 11",
      "+11.5",
      " 12",
      "",
    ].join("\n"),
  );
});

Deno.test("unifiedDiff of a new file and of a missing final newline", () => {
  assertEquals(unifiedDiff("", "{}\n"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+{}\n");
  assertEquals(
    unifiedDiff("x", "x\n"),
    "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n",
  );
});
