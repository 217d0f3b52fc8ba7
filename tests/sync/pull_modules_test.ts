/**
 * What `mpm sync` loads before it runs: every module its command file imports statically is
 * compiled by each pull and push, so code only another command or an older tool's file needs
 * stays off that graph (counted by `deno info`, never timed).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../assert.ts";

const ROOT = join(import.meta.dirname!, "..", "..");

/** The files `entry` imports statically, transitively (dynamic imports left out). */
async function staticGraph(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
    }[];
  };
  const edges = new Map(info.modules.map((m) => [
    m.specifier,
    (m.dependencies ?? []).flatMap((d) =>
      d.isDynamic || !d.code?.specifier ? [] : [d.code.specifier]
    ),
  ]));
  const seen = new Set(info.roots);
  for (const at of seen) for (const next of edges.get(at) ?? []) seen.add(next);
  return [...seen].map((s) => s.startsWith("file:") ? fileURLToPath(s).slice(ROOT.length + 1) : s);
}

Deno.test("sync loads neither zod nor claude-mpm's layouts: its records and sync.json are checks", async () => {
  const graph = await staticGraph("src/sync/sync_command.ts");
  const heavy = graph.filter((m) =>
    m === "src/kernel/zod.ts" || m.startsWith("src/legacy/") || m.includes("zod")
  );
  assertEquals(heavy, []);
});
