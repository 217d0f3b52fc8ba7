import { join } from "node:path";
import { assert, assertEquals } from "../../../../tests/assert.ts";
import { claudeCodeVersion, findOnPath } from "./claude_version.ts";

async function withClaude(body: string, test: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "claude"), `#!/bin/sh\n${body}\n`);
    await Deno.chmod(join(dir, "claude"), 0o755);
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("claudeCodeVersion reads `claude --version`, only from PATH", async () => {
  await withClaude("echo '2.1.3 (Claude Code)'", async (dir) => {
    assertEquals(await findOnPath("claude", `/nonexistent:${dir}`), join(dir, "claude"));
    assertEquals(await claudeCodeVersion({ PATH: dir }), "2.1.3");
  });
  assertEquals(await claudeCodeVersion({ PATH: "/nonexistent" }), null);
  assertEquals(await claudeCodeVersion({}), null);
});

Deno.test("a claude that fails, answers nonsense or hangs gives no version", async () => {
  await withClaude("exit 1", async (dir) => {
    assertEquals(await claudeCodeVersion({ PATH: dir }), null);
  });
  await withClaude("echo 'unknown'", async (dir) => {
    assertEquals(await claudeCodeVersion({ PATH: dir }), null);
  });
  await withClaude("exec sleep 5", async (dir) => {
    assertEquals(await claudeCodeVersion({ PATH: dir }, 200), null);
  });
});

Deno.test({
  name: "a claude wrapper whose child holds the output open is given up on in time",
  // The child outlives the killed wrapper and keeps the pipes open for a while.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await withClaude("sleep 120\necho '2.1.3 (Claude Code)'", async (dir) => {
      const start = performance.now();
      assertEquals(await claudeCodeVersion({ PATH: dir }, 200), null);
      // Given up on, not waited out: the child's sleep would hold the output for 120 s.
      const took = performance.now() - start;
      assert(took < 120_000, `waited for the wrapper's child (${Math.round(took)} ms)`);
    });
  },
});
