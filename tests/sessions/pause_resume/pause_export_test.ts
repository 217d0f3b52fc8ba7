/**
 * `mpm pause --export PATH` writes only a new file or (with --force) over a regular one: never
 * into `.git/` or `.claude-mpm/`, never onto a device, FIFO, folder or link. Each refusal comes
 * before the snapshot is saved.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { type Repo, sessionFiles, withRepo } from "../../helpers.ts";

/** Refused before anything is saved: bad usage (2), or 1 where the refusal keeps a file. */
async function refused(repo: Repo, path: string, why: string, code = 2) {
  const before = await sessionFiles(repo.path);
  const run = await repo.run("pause", "-s", "handoff", "--export", path);
  assertEquals(run.code, code, `${path}: ${run.stdout}${run.stderr}`);
  assertStringIncludes(run.stderr, why, path);
  assertStringIncludes(run.stderr, "nothing was saved", path);
  assertEquals(await sessionFiles(repo.path), before, `${path}: no snapshot saved`);
}

Deno.test("mpm pause --export never writes into .git/ or .claude-mpm/", async () => {
  await using repo = await withRepo();
  assertEquals((await repo.run("start", "payments")).code, 0);
  const index = await Deno.readFile(join(repo.path, ".git/index"));
  const state = await Deno.readTextFile(join(repo.path, ".claude-mpm/state.json"));
  await refused(repo, ".git/index", "never writes into .git/");
  await refused(repo, ".git/copy.json", "never writes into .git/");
  await refused(repo, ".claude-mpm/state.json", "never writes into .claude-mpm/");
  await refused(repo, ".claude-mpm", "never writes into .claude-mpm/");
  // Reached through a link, it is still .git/.
  await Deno.symlink(".git", join(repo.path, "gitdir"));
  await refused(repo, "gitdir/HEAD", "never writes into .git/");
  assertEquals(await Deno.readFile(join(repo.path, ".git/index")), index);
  assertEquals(await Deno.readTextFile(join(repo.path, ".claude-mpm/state.json")), state);
  assertEquals((await repo.git("status", "--porcelain")).includes("fatal"), false);
});

Deno.test({
  name: "mpm pause --export refuses a FIFO, a link and a folder-less path; a file needs --force",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const fifo = join(repo.home, "pipe");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assertEquals(made.code, 0);
    await refused(repo, fifo, "not a regular file");
    assertEquals((await Deno.lstat(fifo)).isFifo, true, "the FIFO is still a FIFO");

    const target = join(repo.home, "target.json");
    await Deno.writeTextFile(target, "keep me");
    await Deno.symlink(target, join(repo.home, "link.json"));
    await refused(repo, join(repo.home, "link.json"), "symbolic link");

    await refused(repo, target, "the file exists", 1);
    assertEquals(await Deno.readTextFile(target), "keep me");
    const forced = await repo.run(
      "pause",
      "--json",
      "-s",
      "handoff",
      "--export",
      target,
      "--force",
    );
    assertEquals(forced.code, 0, forced.stderr);
    const { session_id } = JSON.parse(forced.stdout);
    assertEquals(JSON.parse(await Deno.readTextFile(target)).session_id, session_id);
    assertEquals((await Deno.lstat(target)).mode! & 0o777, 0o600);

    const alone = await repo.run("pause", "-s", "x", "--force");
    assertEquals(alone.code, 2);
    assertStringIncludes(alone.stderr, "--force goes with --export");
  },
});

Deno.test({
  name: "mpm pause --export never replaces a device node, even with --force",
  // Only root can replace /dev/null; the refusal is checked for everyone.
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    const run = await repo.run("pause", "-s", "x", "--export", "/dev/null", "--force");
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(run.stderr, "not a regular file");
    assertEquals((await Deno.lstat("/dev/null")).isCharDevice, true);
  },
});

Deno.test("mpm pause --export '' is bad usage whose example is a JSON file, the copy's form", async () => {
  await using repo = await withRepo();
  const before = await sessionFiles(repo.path);
  const run = await repo.run("pause", "-s", "x", "--export", "");
  assertEquals(run.code, 2, run.stderr);
  assertEquals(run.stderr, "mpm: --export needs a path.\nExample: --export ~/snapshot.json\n");
  assertEquals(await sessionFiles(repo.path), before);
});
