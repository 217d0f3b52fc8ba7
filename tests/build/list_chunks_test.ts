/**
 * What `mpm list` loads from the bundle (scripts/build/bundle.ts ONE_CHUNK): the sessions' store
 * as one chunk, not the dozens esbuild's split by sharing makes, since Deno pays for each module
 * it loads on top of its bytes. Counted from the modules whose compiled code the run left in
 * Deno's cache (code_cache_test.ts), never timed.
 */
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { ok, type Repo, testBundle, withRepo } from "../helpers.ts";

/** The bundle's chunks whose compiled code Deno keeps in `denoDir` (its own table, Deno 2.9). */
function cachedChunks(denoDir: string): string[] {
  const db = new DatabaseSync(join(denoDir, "v8_code_cache_v2"), { readOnly: true });
  try {
    return db.prepare("SELECT specifier FROM codecache").all()
      .map((row) => String(row.specifier)).filter((s) => s.includes("/mpm-chunks/"));
  } finally {
    db.close();
  }
}

/** The chunks one run of `mpm ARGS` from the bundle loads, in a Deno cache of its own. */
async function chunksOf(repo: Repo, bundle: string, ...args: string[]): Promise<string[]> {
  const denoDir = join(repo.path, "..", `deno-${args.join("-")}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", "--allow-all", bundle, ...args],
    cwd: repo.path,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: repo.home, DENO_DIR: denoDir },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assert(new TextDecoder().decode(out.stdout).includes("Second"));
  const chunks = cachedChunks(denoDir);
  assert(chunks.every((c) => c.includes(dirname(bundle))), chunks.join("\n"));
  return chunks;
}

Deno.test("mpm list loads at most four chunks of the bundle, and --json no more", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "First");
  await ok(repo, "pause", "-s", "Second");
  const bundle = await testBundle();
  const chunks = await chunksOf(repo, bundle, "list");
  assert(chunks.length <= 4, `${chunks.length} chunks:\n${chunks.join("\n")}`);
  // A declared switch needs no option parser (cli/command.ts parsePlain).
  const json = await chunksOf(repo, bundle, "list", "--json");
  assert(json.length <= chunks.length, `${json.length} chunks:\n${json.join("\n")}`);
});
