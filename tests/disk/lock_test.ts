/**
 * `.claude-mpm/.lock` left by a process that is gone: taken over even when its pid now belongs
 * to another process (the pid was reused), never while the holder itself still runs.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, withRepo } from "../helpers.ts";
import { processStart, startFromStat } from "../../src/disk/process.ts";

Deno.test("startFromStat reads field 22, whatever the process name holds", () => {
  const rest = "S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 424242 19 20";
  assertEquals(startFromStat(`77 (deno) ${rest}`), "424242");
  assertEquals(startFromStat(`77 (a) (b c) ${rest}`), "424242");
  assertEquals(startFromStat("77 (deno) S 1"), undefined);
});

async function pauseWithLock(holder: Record<string, unknown>) {
  const repo = await withRepo();
  const base = join(repo.path, ".claude-mpm");
  await Deno.mkdir(base, { recursive: true });
  await Deno.writeTextFile(join(base, ".lock"), JSON.stringify(holder) + "\n");
  const run = await mpm(["pause", "-s", "after a crash"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_LOCK_WAIT_MS: "1500" },
  });
  return { repo, run };
}

Deno.test({
  name: "a lock whose pid was reused by another process is taken over",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    // This test's own process is alive, but it did not start at the recorded time.
    const { repo, run } = await pauseWithLock({ pid: Deno.pid, started: "1", command: "pause" });
    await using _ = repo;
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "Paused session-");
  },
});

Deno.test({
  name: "a lock held by a live process (same pid, same start time) is waited for, then refused",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const started = processStart(Deno.pid);
    assertEquals(typeof started, "string");
    const { repo, run } = await pauseWithLock({ pid: Deno.pid, started, command: "pause" });
    await using _ = repo;
    assertEquals(run.code, 1, run.stderr);
    assertStringIncludes(run.stderr, `locked by mpm process ${Deno.pid} (pause)`);
  },
});

Deno.test("a lock naming only a live pid (no start time, as off Linux) is still respected", async () => {
  const { repo, run } = await pauseWithLock({ pid: Deno.pid, command: "pause" });
  await using _ = repo;
  assertEquals(run.code, 1, run.stderr);
  assertStringIncludes(run.stderr, "is locked by");
});
