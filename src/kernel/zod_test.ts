import { assertEquals } from "../../tests/assert.ts";
import { builtOnce } from "./zod.ts";

Deno.test("builtOnce builds on the first call, never at creation, and only once", () => {
  let builds = 0;
  const schemas = builtOnce(() => ({ built: ++builds }));
  assertEquals(builds, 0);
  assertEquals(schemas(), { built: 1 });
  assertEquals(schemas(), { built: 1 });
  assertEquals(builds, 1);
});
