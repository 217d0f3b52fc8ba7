/**
 * What `mpm sync` loads before it runs: every module its command file imports statically is
 * compiled by each pull and push, so code only another command or an older tool's file needs
 * stays off that graph (counted by `deno info`, never timed).
 */
import { assertEquals } from "../assert.ts";
import { staticGraph } from "../static_graph.ts";

Deno.test("sync loads neither zod nor claude-mpm's layouts: its records and sync.json are checks", async () => {
  const graph = await staticGraph("src/sync/sync_command.ts");
  const heavy = graph.filter((m) =>
    m === "src/kernel/zod.ts" || m.startsWith("src/legacy/") || m.includes("zod")
  );
  assertEquals(heavy, []);
});
