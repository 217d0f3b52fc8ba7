/**
 * Every file mpm keeps, one at a time, replaced by a FIFO: `status`, `list` and SessionStart
 * still answer (a FIFO is opened by no one, so nothing waits for a writer that never comes).
 */
import { join, relative } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { baseEnv, DENO_RUN, MAIN, ok, withRepo } from "../helpers.ts";

/** Every regular file under `dir`, relative to it. */
async function filesUnder(dir: string, base = dir): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) found.push(...await filesUnder(path, base));
    else if (entry.isFile) found.push(relative(base, path));
  }
  return found.sort();
}

Deno.test("a FIFO in place of any file mpm keeps: status, list and SessionStart answer", async () => {
  const mkfifo = await new Deno.Command("mkfifo", { args: ["--version"] }).output().catch(() =>
    null
  );
  if (!mkfifo?.success) {
    console.log("skipped: mkfifo is not available here");
    return;
  }
  await using repo = await withRepo();
  const transcript = join(repo.home, "t.jsonl");
  await Deno.writeTextFile(
    transcript,
    JSON.stringify({ type: "user", message: { role: "user", content: "hi" } }) + "\n",
  );
  const payload = (event: string, extra: Record<string, string>) =>
    JSON.stringify({
      session_id: "11111111-2222-3333-4444-555555555555",
      transcript_path: transcript,
      cwd: repo.path,
      hook_event_name: event,
      ...extra,
    });
  const run = async (args: string[], stdin?: string) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [...DENO_RUN, MAIN, ...args],
      cwd: repo.path,
      env: baseEnv(repo.home),
      clearEnv: true,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "null",
      stderr: "null",
      // A hang is a failure of this test, not of the suite: the process is killed at 20 s.
      signal: AbortSignal.timeout(20_000),
    }).spawn();
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    }
    return (await child.status).signal;
  };

  await ok(repo, "start", "work");
  await ok(repo, "todo", "add", "a todo");
  await ok(repo, "pause", "-s", "work");
  assertEquals(
    await run(["hook", "session-start"], payload("SessionStart", { source: "startup" })),
    null,
  );
  assertEquals(
    await run(["hook", "session-end"], payload("SessionEnd", { reason: "other" })),
    null,
  );
  await ok(repo, "checkpoint", "save", "c1");
  const store = join(repo.path, ".claude-mpm");
  const kept = join(repo.home, "kept");
  await new Deno.Command("cp", { args: ["-a", store, kept] }).output();
  const files = await filesUnder(kept);
  assert(files.length >= 15, files.join(", "));

  const hung: string[] = [];
  for (const file of files) {
    await Deno.remove(store, { recursive: true });
    await new Deno.Command("cp", { args: ["-a", kept, store] }).output();
    await Deno.remove(join(store, file));
    await new Deno.Command("mkfifo", { args: [join(store, file)] }).output();
    for (
      const [args, stdin] of [
        [["status"], undefined],
        [["list"], undefined],
        [["hook", "session-start"], payload("SessionStart", { source: "startup" })],
      ] as const
    ) {
      if (await run([...args], stdin) !== null) hung.push(`${args.join(" ")} with ${file}`);
    }
  }
  assertEquals(hung, []);
});
