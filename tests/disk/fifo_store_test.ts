/**
 * Every file mpm keeps, one at a time, replaced by a FIFO: `status`, `list` and SessionStart
 * still answer (a FIFO is opened by no one, so nothing waits for a writer that never comes).
 */
import { join, relative } from "node:path";
import { assert, assertEquals } from "../assert.ts";
import { baseEnv, DENO_RUN, HANG_GUARD_MS, mpm, ok, runProcess, withRepo } from "../helpers.ts";
import { answeredLine, type FifoCase, RUNS } from "./fifo_store_runs.ts";

const RUNS_SCRIPT = join(import.meta.dirname!, "fifo_store_runs.ts");

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
  await ok(repo, "start", "work");
  await ok(repo, "todo", "add", "a todo");
  await ok(repo, "pause", "-s", "work");
  const hooks: [string[], string][] = [
    [["hook", "session-start"], payload("SessionStart", { source: "startup" })],
    [["hook", "session-end"], payload("SessionEnd", { reason: "other" })],
  ];
  for (const [args, stdin] of hooks) {
    const run = await mpm(args, { cwd: repo.path, env: { HOME: repo.home }, stdin });
    assertEquals(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
  }
  await ok(repo, "checkpoint", "save", "c1");
  const kept = join(repo.home, "kept");
  await new Deno.Command("cp", { args: ["-a", join(repo.path, ".claude-mpm"), kept] }).output();
  const files = await filesUnder(kept);
  assert(files.length >= 15, files.join(", "));

  // The runs go on in a process of their own (fifo_store_runs.ts): a run that hangs on a FIFO is
  // stopped with it, and the runs it answered tell which one hung.
  const runs: FifoCase = {
    repo: repo.path,
    home: repo.home,
    kept,
    files,
    payload: payload("SessionStart", { source: "startup" }),
  };
  const out = await runProcess(Deno.execPath(), [...DENO_RUN, RUNS_SCRIPT], {
    env: { ...baseEnv(repo.home), NO_COLOR: "1" },
    stdin: JSON.stringify(runs),
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  });
  const answered = new Set(out.stdout.split("\n"));
  const hung = files.flatMap((file) =>
    RUNS.map((args) => answeredLine(args, file)).filter((line) => !answered.has(line))
  ).slice(0, 1);
  assertEquals(hung, [], out.stderr);
});
