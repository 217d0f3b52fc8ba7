/**
 * What `mpm list` loads from the bundle (scripts/build/bundle.ts ONE_CHUNK): the sessions' store
 * as one chunk, not the dozens esbuild's split by sharing makes, since Deno pays for each module
 * it loads on top of its bytes. Counted from the modules whose compiled code the run left in
 * Deno's cache (code_cache_test.ts), never timed.
 */
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { ok, testBundle, withRepo } from "../helpers.ts";

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

Deno.test("mpm list loads at most four chunks of the bundle", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-s", "First");
  await ok(repo, "pause", "-s", "Second");
  const denoDir = join(repo.path, "..", "deno");
  const bundle = await testBundle();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", "--allow-all", bundle, "list"],
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
  assert(chunks.length <= 4, `${chunks.length} chunks:\n${chunks.join("\n")}`);
});
