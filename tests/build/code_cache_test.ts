/**
 * A quick run of the bundle leaves the compiled code of what it loaded in Deno's cache (the V8
 * code cache), so the next run does not compile it again: main.ts lets the event loop turn once
 * before it exits, and Deno stores that code in the turn.
 */
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { tempDir, testBundle } from "../helpers.ts";

/** The modules whose compiled code Deno keeps in `denoDir` (its own table, Deno 2.9). */
function cachedModules(denoDir: string): string[] {
  const db = new DatabaseSync(join(denoDir, "v8_code_cache_v2"), { readOnly: true });
  try {
    return db.prepare("SELECT specifier FROM codecache").all()
      .map((row) => String(row.specifier));
  } finally {
    db.close();
  }
}

Deno.test("mpm --version leaves the compiled code of its chunk for the next run", async () => {
  await using scratch = await tempDir("mpm-code-cache-");
  const app = join(scratch.path, "app");
  await Deno.mkdir(join(app, "mpm-chunks"), { recursive: true });
  const built = dirname(await testBundle());
  await Deno.copyFile(join(built, "mpm.js"), join(app, "mpm.js"));
  for await (const file of Deno.readDir(join(built, "mpm-chunks"))) {
    await Deno.copyFile(join(built, "mpm-chunks", file.name), join(app, "mpm-chunks", file.name));
  }
  const denoDir = join(scratch.path, "deno");
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-config", "--allow-all", join(app, "mpm.js"), "--version"],
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: scratch.path, DENO_DIR: denoDir },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  assert(new TextDecoder().decode(out.stdout).startsWith("mpm "));

  const entry = await Deno.readTextFile(join(app, "mpm.js"));
  const chunk = entry.match(/mpm-chunks\/(chunk-[\w-]+\.js)/)?.[1];
  assert(chunk, `the entry imports no chunk: ${entry}`);
  const cached = cachedModules(denoDir);
  assert(
    cached.some((specifier) => specifier.endsWith(`/mpm-chunks/${chunk}`)),
    `no compiled code kept for ${chunk}: ${cached.join(", ")}`,
  );
});
