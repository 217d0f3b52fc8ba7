import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { checkPartitionName, partitionOfFile } from "./partitions.ts";

Deno.test("partition names are file names that cannot leave the folder", () => {
  for (const ok of ["backend", "front-end", "api_v2", "v1.2"]) {
    assertEquals(checkPartitionName(ok), ok);
  }
  for (const bad of ["../x", "a/b", "..", "a..b", "", ".hidden", "a\\b", "-x", "x".repeat(65)]) {
    assertThrows(() => checkPartitionName(bad), /is not a partition name/);
  }
});

Deno.test("only NAME.md files with valid names are partitions", () => {
  assertEquals(partitionOfFile("backend.md"), "backend");
  assertEquals(partitionOfFile("notes.txt"), undefined);
  assertEquals(partitionOfFile(".x.md"), undefined);
});
