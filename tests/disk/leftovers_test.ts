/**
 * What a killed mpm leaves — temp files of atomic writes, id claims with no snapshot — is counted
 * by `mpm doctor` and swept by the next command that takes over the dead holder's lock.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { exists, mpm, type Repo, withRepo } from "../helpers.ts";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true", { stdout: "null", stderr: "null" }).spawn();
  await child.status;
  return child.pid;
}

async function place(path: string, minutesAgo: number): Promise<string> {
  await Deno.writeTextFile(path, "partial");
  const then = new Date(Date.now() - minutesAgo * 60_000);
  await Deno.utime(path, then, then);
  return path;
}

async function doctorChecks(repo: Repo) {
  const run = await repo.run("doctor", "--json");
  return JSON.parse(run.stdout).checks as { id: string; status: string; message: string }[];
}

Deno.test("leftovers of a crash: doctor counts them, taking over the dead lock sweeps them", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("pause", "-s", "before the crash")).code, 0);
  const sessions = join(repo.path, ".claude-mpm/sessions");
  const [crashed, other] = [await deadPid(), await deadPid()];
  const old = await place(join(sessions, `.session-20260101-000000.json.${other}.42.tmp`), 5);
  const young = await place(join(sessions, `.session-20260101-000001.json.${other}.43.tmp`), 0);
  const holders = await place(join(repo.path, `.claude-mpm/.state.json.${crashed}.44.tmp`), 0);
  const alive = await place(join(sessions, `.session-20260101-000002.json.${Deno.pid}.45.tmp`), 5);
  const claim = await place(join(sessions, "session-20260101-000003-123bcd.json.sha256"), 5);
  // A claim beside a rendering is a record gone missing, which `mpm list` reports: it stays.
  const missing = await place(join(sessions, "session-20260101-000004-123bcd.json.sha256"), 5);
  await place(join(sessions, "session-20260101-000004-123bcd.md"), 5);

  const before = await doctorChecks(repo);
  const counted = before.find((c) => c.id === "leftovers");
  assert(counted, JSON.stringify(before));
  assertStringIncludes(counted.message, "1 temp file left by interrupted mpm commands");
  assert(before.some((c) => c.message.includes("session-20260101-000003-123bcd.json.sha256")));

  // The crashed command's lock: its holder is gone, so the next command takes it over.
  await Deno.writeTextFile(
    join(repo.path, ".claude-mpm/.lock"),
    JSON.stringify({ pid: crashed, command: "pause" }),
  );
  const after = await mpm(["pause", "-s", "after the crash"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_LOCK_WAIT_MS: "2000" },
  });
  assertEquals(after.code, 0, after.stderr);
  assertEquals(await exists(old), false, "an old temp file of a dead writer goes");
  assertEquals(await exists(holders), false, "the dead holder's own temp files go at any age");
  assertEquals(await exists(claim), false, "a claim with no snapshot goes");
  assertEquals(await exists(missing), true, "a missing record's claim is evidence, kept");
  assertEquals(await exists(young), true, "a young one may be another machine's write under way");
  assertEquals(await exists(alive), true, "a live writer's is never touched");
  const checks = await doctorChecks(repo);
  assertEquals(checks.filter((c) => c.id === "leftovers"), []);
});
