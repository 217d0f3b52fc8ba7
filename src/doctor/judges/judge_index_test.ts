import { assertEquals } from "../../../tests/assert.ts";
import { indexCheck } from "./judge_index.ts";

Deno.test("indexCheck: a damaged index is a warning with the command that rebuilds it", () => {
  const check = indexCheck({ state: "unusable", file: "/x", why: "damaged", detail: "bad" });
  assertEquals([check.status, check.fix], ["warn", "mpm index --rebuild"]);
  assertEquals(indexCheck({ state: "none", file: null }).status, "info");
  assertEquals(indexCheck({ state: "ok", file: "/x", bytes: 1 }).status, "ok");
});
