/**
 * Faults that are the machine's, not mpm's: a full disk, a quota, a read-only or foreign
 * `.claude-mpm/`, no file handles left. Tests run as root, where a read-only mode stops no write,
 * so the fault is injected where the disk writer writes (src/disk/files/faults/fault_point.ts) in a
 * process of its own. Each says in one sentence what was not saved, that it is as it was, and
 * what to do; exits 1; and leaves no lock and no temp file behind.
 */
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { join } from "node:path";
import { mpm, ok, type Repo, withRepo } from "../helpers.ts";
import { payload } from "../hooks/hooks_helpers.ts";

/** Every file under `.claude-mpm/`, by its path inside it. */
async function storeFiles(repo: Repo): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${rel}${entry.name}`;
      if (entry.isDirectory) await walk(join(dir, entry.name), `${path}/`);
      else out.push(path);
    }
  };
  await walk(join(repo.path, ".claude-mpm"), "");
  return out.sort();
}

function faulty(repo: Repo, fault: string, ...args: string[]) {
  return mpm(args, {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAULT: fault },
    spawn: true,
  });
}

const SAYS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "your disk quota is used up",
  EROFS: "the file system is read-only",
  EACCES: "permission was denied",
  EMFILE: "too many files are open",
};

for (const [fault, says] of Object.entries(SAYS)) {
  Deno.test(`mpm pause under ${fault}: one sentence of what to do, exit 1, no lock or temp file left`, async () => {
    await using repo = await withRepo();
    await ok(repo, "pause", "-m", "before the fault");
    const before = await storeFiles(repo);
    const run = await faulty(repo, fault, "pause", "-m", "during the fault");
    assertEquals(run.code, 1, run.stderr);
    assertStringIncludes(run.stderr, says);
    assertStringIncludes(run.stderr, "it is as it was before");
    assert(!run.stderr.includes("bug in mpm"), run.stderr);
    assert(!run.stderr.includes("unexpected failure"), run.stderr);
    const after = await storeFiles(repo);
    assertEquals(after.filter((name) => name.endsWith(".tmp")), []);
    assert(!after.includes(".lock"), "the lock is released");
    const sessions = (files: string[]) => files.filter((name) => name.startsWith("sessions/"));
    assertEquals(sessions(after), sessions(before), "no snapshot half made");
  });
}

Deno.test("a pause that fails once its record is in place leaves no part of the snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-m", "before the fault");
  const before = await storeFiles(repo);
  // order.json is written after the record and its claim: the last step that can fail.
  const run = await faulty(repo, "ENOSPC@order.json", "pause", "-m", "during the fault");
  assertEquals(run.code, 1, run.stderr);
  assertStringIncludes(run.stderr, "it is as it was before");
  const sessions = (files: string[]) => files.filter((name) => name.startsWith("sessions/"));
  assertEquals(sessions(await storeFiles(repo)), sessions(before));
  const list = await repo.run("list", "--all");
  assert(!list.stdout.includes("during the fault"), list.stdout);
});

Deno.test("a state.json that links out of the project refuses the pause before any snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "feat");
  const outside = join(repo.home, "state.json");
  await Deno.rename(join(repo.path, ".claude-mpm", "state.json"), outside);
  await Deno.symlink(outside, join(repo.path, ".claude-mpm", "state.json"));
  const before = await storeFiles(repo);
  const run = await repo.run("pause", "-m", "refused?");
  assertEquals(run.code, 1, run.stderr);
  assertStringIncludes(run.stderr, "through a symbolic link");
  assertEquals(await storeFiles(repo), before);
});

Deno.test("a lock made but not written (a full disk) is removed: the next command does not wait for it", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-m", "first");
  const run = await faulty(repo, "ENOSPC@.lock", "pause", "-m", "second");
  assertEquals(run.code, 1, run.stderr);
  assertStringIncludes(run.stderr, "the disk is full");
  assertStringIncludes(run.stderr, "the changes in .claude-mpm/");
  assert(!(await storeFiles(repo)).includes(".lock"), "no empty lock left");
});

Deno.test("--json under a full disk: the error document is the fault's, not a bug's", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-m", "first");
  const run = await faulty(repo, "ENOSPC", "pause", "-m", "second", "--json");
  assertEquals(run.code, 1, run.stderr);
  const { error } = JSON.parse(run.stdout);
  assertEquals(error.kind, "failed");
  assertStringIncludes(error.message, "the disk is full");
  assertStringIncludes(error.hint, "Free some space");
});

Deno.test("SessionStart on a read-only .claude-mpm/ still tells Claude what it can read", async () => {
  await using repo = await withRepo();
  await ok(repo, "pause", "-m", "Rewire the billing retries");
  const run = await mpm(["hook", "session-start"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAULT: "EROFS" },
    stdin: payload("session-start-startup.json", repo),
    spawn: true,
  });
  assertEquals(run.code, 0, run.stderr);
  const context = JSON.parse(run.stdout).hookSpecificOutput.additionalContext as string;
  assertStringIncludes(context, "Rewire the billing retries");
  assertEquals((await storeFiles(repo)).filter((name) => name.endsWith(".tmp")), []);
});
