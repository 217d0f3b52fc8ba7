import { assertEquals } from "../../../tests/assert.ts";
import { denoCache } from "./probe_wired.ts";

Deno.test("denoCache: where Deno keeps its cache, set so a probe's XDG_CACHE_HOME leaves it there", () => {
  assertEquals(denoCache({ DENO_DIR: "/d", HOME: "/h" }), {});
  assertEquals(denoCache({ XDG_CACHE_HOME: "/x", HOME: "/h" }), { DENO_DIR: "/x/deno" });
  assertEquals(denoCache({ HOME: "/h" }), { DENO_DIR: "/h/.cache/deno" });
  assertEquals(denoCache({}), {});
});
