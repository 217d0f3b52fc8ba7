/** The house's size goals (scripts/size_goals.ts), every one held to. */
import { assert, assertEquals } from "../assert.ts";
import { goalLines, goals, handWrittenBytes } from "../../scripts/size_goals.ts";

Deno.test("the size goals stay met", async () => {
  for (const goal of await goals()) assertEquals(goal.over, [], goalLines(goal).join("\n"));
});

Deno.test("a generated field table is not counted as hand-written", () => {
  const page = "# A\n<!-- fields src/x.ts xCheck -->\n| a | b |\n<!-- end fields -->\nend\n";
  const bare = "# A\n<!-- fields src/x.ts xCheck -->\n<!-- end fields -->\nend\n";
  assertEquals(handWrittenBytes(page), bare.length);
  assert(handWrittenBytes("é") === 2, "bytes, not characters");
});
