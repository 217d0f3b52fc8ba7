/**
 * A pause waits for its turn: another mpm (a `sync pull` on a loaded machine) holding the
 * project's lock longer than a command used to wait made `mpm pause` fail for being second. Here a
 * process of its own holds the lock, and lets go only once the pause has said whom it waits for
 * (on stderr): no sleep decides it, and a pause that gives up before that fails the test.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { baseEnv, DENO_RUN, hangGuard, mpmProcessArgs, ok, ROOT, withRepo } from "../../helpers.ts";
import { snapshots } from "../../hooks/hooks_helpers.ts";

/** Takes the lock at Deno.args[0] as `sync pull`, says "held", and lets go when stdin closes. */
const HOLDER = `
import { withLock } from ${JSON.stringify(join(ROOT, "src", "disk", "lock.ts"))};
await withLock(Deno.args[0], async () => {
  console.log("held");
  for await (const _ of Deno.stdin.readable) {
    // Nothing is sent: the test closes stdin to let go.
  }
}, { command: "sync pull" });
`;

/** Reads `stream` until its text holds `wanted` (to its end with none); the text read. */
async function readUntil(stream: ReadableStream<Uint8Array>, wanted?: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stream.getReader();
  try {
    while (wanted === undefined || !text.includes(wanted)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text;
}

Deno.test("a pause second behind another mpm's lock waits its turn and lands once", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "Payments");
  await repo.write("pay.ts", "export const pay = 1;\n");
  const script = join(repo.home, "holder.ts");
  await Deno.writeTextFile(script, HOLDER);
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      ...DENO_RUN,
      "--config",
      join(ROOT, "deno.json"),
      script,
      join(repo.path, ".claude-mpm", ".lock"),
    ],
    cwd: repo.path,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await holder.stdin.close();
  };
  try {
    assertStringIncludes(
      await hangGuard(readUntil(holder.stdout, "held"), "the lock's holder"),
      "held",
    );
    // The wait a person gets: not the tests' roomy one (helpers.ts ROOMY_LIMITS).
    const pause = new Deno.Command(Deno.execPath(), {
      args: [...await mpmProcessArgs(), "pause", "-s", "Refunds half done"],
      cwd: repo.path,
      env: { ...baseEnv(repo.home), MPM_LOCK_WAIT_MS: "" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(pause.stdout).text();
    const told = await hangGuard(readUntil(pause.stderr, "waiting for"), "the pause");
    // Let go only now: a pause that failed instead of waiting has ended without saying so.
    await release();
    const rest = await readUntil(pause.stderr);
    const { code } = await hangGuard(pause.status, "the pause");
    const stderr = told + rest;
    assertStringIncludes(stderr, "mpm: waiting for mpm process");
    assertStringIncludes(stderr, "(sync pull)");
    assertEquals(code, 0, stderr);
    assertStringIncludes(await stdout, "Paused");
  } finally {
    await release();
    await holder.stdout.cancel().catch(() => {});
    await holder.status;
  }
  const mine = (await snapshots(repo)).filter((s) =>
    s.conversation.summary === "Refunds half done"
  );
  assertEquals(mine.length, 1);
  const events = (await repo.read(".claude-mpm/events.jsonl")).trim().split("\n")
    .map((line) => JSON.parse(line)).filter((e) => e.command === "pause");
  assertEquals(events.length, 1);
});
