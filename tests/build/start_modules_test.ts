/**
 * What every start of mpm loads before it knows its command (main.ts's static imports): mpm's own
 * modules only. A `node:` module there (node:fs, say) is loaded, its compatibility layer with it,
 * by each hook and each `mpm --version` alike; the bundle's entry would import it at its top.
 */
import { assertEquals } from "../assert.ts";
import { staticGraph } from "../static_graph.ts";

Deno.test("main.ts loads nothing at start but mpm's own modules: no node: module, no npm package", async () => {
  const graph = await staticGraph("main.ts");
  assertEquals(graph.filter((m) => m !== "main.ts" && !m.startsWith("src/")), []);
});
