/** What a module loads before it runs: the files it imports statically, counted by `deno info`. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(import.meta.dirname!, "..");

/** The files `entry` imports statically, transitively (dynamic imports left out). */
export async function staticGraph(entry: string): Promise<string[]> {
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
