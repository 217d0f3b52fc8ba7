/**
 * A settings file that is not UTF-8 is refused in one sentence (exit 1) and left byte for byte:
 * written back, the bytes that are not would become U+FFFD.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { withRepo } from "../../helpers.ts";

const LATIN1 = new Uint8Array([...new TextEncoder().encode("# caf"), 0xe9, 0x0a]);

for (
  const [agent, folder, file] of [
    ["codex", ".codex", "config.toml"],
    ["gemini", ".gemini", "settings.json"],
  ] as const
) {
  Deno.test(`${agent}: a ${file} that is not UTF-8 is refused, its bytes kept`, async () => {
    await using repo = await withRepo();
    await Deno.mkdir(join(repo.home, folder), { recursive: true });
    const path = join(repo.home, folder, file);
    const bytes = agent === "codex"
      ? new Uint8Array([...LATIN1, ...new TextEncoder().encode('model = "o3"\n')])
      : new Uint8Array([
        ...new TextEncoder().encode('{"theme": "caf'),
        0xe9,
        ...new TextEncoder().encode('"}\n'),
      ]);
    await Deno.writeFile(path, bytes);
    for (const verb of ["install", "uninstall"]) {
      const run = await repo.run("hooks", verb, "--agent", agent);
      assertEquals(run.code, 1, run.stdout);
      assertStringIncludes(
        run.stderr,
        `Refusing to change ~/${folder}/${file}: it is not UTF-8 text`,
      );
      assertEquals(await Deno.readFile(path), bytes);
    }
  });
}
