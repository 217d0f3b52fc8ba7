import { assertEquals } from "../../../tests/assert.ts";
import { pathsInTheWay } from "./restore_work.ts";

Deno.test("pathsInTheWay: the same path, a file where the stash has a folder, a folder holding one", () => {
  const held = ["notes.txt", "drafts/plan.txt", "lib"];
  assertEquals(
    pathsInTheWay(["notes.txt", "drafts", "lib/x.ts", "nested/", "other.txt", "drafts2"], held),
    ["notes.txt", "drafts", "lib/x.ts"],
  );
  assertEquals(pathsInTheWay(["drafts/"], held), ["drafts/"], "a nested repository's folder");
  assertEquals(pathsInTheWay(["notes.txt"], []), []);
});
