import { join } from "node:path";
import { assertEquals } from "../../tests/assert.ts";
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
