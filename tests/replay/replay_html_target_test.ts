/**
 * `mpm replay --html PATH` and `mpm plugin export DIR` write where the user said only by the rules
 * of every file a user names (src/disk/files/user_file.ts, as `pause --export`): a new file, or with
 * --force a regular one; never `.claude-mpm/` (state, snapshots), never `.git/`, never a FIFO, a
 * device node, a folder or a link.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, sessionFiles, withRepo } from "../helpers.ts";

async function refused(repo: Repo, args: string[], why: string, code = 2) {
  const run = await repo.run(...args);
  assertEquals(run.code, code, `${args.join(" ")}: ${run.stdout}${run.stderr}`);
  assertStringIncludes(run.stderr, why, args.join(" "));
  assertStringIncludes(run.stderr, "nothing was written", args.join(" "));
}

Deno.test("mpm replay --html never writes over mpm's state, a snapshot or git's index", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await ok(repo, "todo", "add", "refunds");
  await ok(repo, "pause", "-s", "half way");
  await ok(repo, "resume", "--no-changes");
  const [snapshot] = await sessionFiles(repo.path);
  const protectedFiles = [
    ".claude-mpm/state.json",
    `.claude-mpm/sessions/${snapshot}`,
    ".git/index",
    ".git/HEAD",
  ];
  const before = await Promise.all(protectedFiles.map((f) => Deno.readFile(join(repo.path, f))));
  for (const file of protectedFiles) {
    const inside = file.startsWith(".git") ? ".git/" : ".claude-mpm/";
    await refused(repo, ["replay", "--html", file], `never writes into ${inside}`);
    await refused(repo, ["replay", "--html", file, "--force"], `never writes into ${inside}`);
  }
  // Reached through a link to the folder, it is still .git/.
  await Deno.symlink(".git", join(repo.path, "gitdir"));
  await refused(repo, ["replay", "--html", "gitdir/index", "--force"], "never writes into .git/");
  const after = await Promise.all(protectedFiles.map((f) => Deno.readFile(join(repo.path, f))));
  assertEquals(after, before);
  const status = await ok(repo, "status", "--json");
  assertEquals(JSON.parse(status.stdout).active.todos.length, 1);
  assertEquals((await repo.git("status", "--porcelain")).includes("fatal"), false);
});

Deno.test({
  name: "mpm replay --html refuses a FIFO, a device, a link and a folder; a file needs --force",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using repo = await withRepo();
    await ok(repo, "start", "payments");
    const fifo = join(repo.home, "pipe");
    assertEquals((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
    await refused(repo, ["replay", "--html", fifo, "--force"], "not a regular file");
    assert((await Deno.lstat(fifo)).isFifo, "the FIFO is still a FIFO");
    await refused(repo, ["replay", "--html", "/dev/null", "--force"], "not a regular file");
    assert((await Deno.lstat("/dev/null")).isCharDevice);
    await refused(repo, ["replay", "--html", repo.home, "--force"], "not a regular file");

    const mine = join(repo.home, "notes.html");
    await Deno.writeTextFile(mine, "my own notes");
    await Deno.symlink(mine, join(repo.home, "link.html"));
    await refused(repo, ["replay", "--html", join(repo.home, "link.html")], "symbolic link");
    // A refusal that keeps the person's file: exit 1.
    await refused(repo, ["replay", "--html", mine], "the file exists", 1);
    assertEquals(await Deno.readTextFile(mine), "my own notes");
    await refused(repo, ["replay", "--html", join(repo.home, "none", "x.html")], "does not exist");

    const fresh = join(repo.home, "replay.html");
    assertStringIncludes((await ok(repo, "replay", "--html", fresh)).stdout, `Wrote ${fresh}`);
    assertEquals((await Deno.lstat(fresh)).mode! & 0o777, 0o600);
    await ok(repo, "replay", "--html", mine, "--force");
    assertStringIncludes(await Deno.readTextFile(mine), "mpm-events");
    assertEquals((await Deno.lstat(join(repo.home, "link.html"))).isSymlink, true);

    const alone = await repo.run("replay", "--force");
    assertEquals(alone.code, 2);
    assertStringIncludes(alone.stderr, "--force goes with --html");
  },
});

Deno.test("mpm plugin export never writes into .git/ or .claude-mpm/", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  for (const dir of [".git/plugin", ".claude-mpm/plugin", ".git"]) {
    await refused(repo, ["plugin", "export", dir, "--force"], "never writes into");
  }
  assertEquals(
    (await Array.fromAsync(Deno.readDir(join(repo.path, ".git")))).some((e) => e.name === "plugin"),
    false,
  );
});

Deno.test("--html with no file name: replay and board give an .html example", async () => {
  await using repo = await withRepo();
  for (const command of ["replay", "board"]) {
    const run = await repo.run(command, "--html", "");
    assertEquals(run.code, 2, `${command}: ${run.stdout}${run.stderr}`);
    assertStringIncludes(run.stderr, "--html needs a path.", command);
    assertStringIncludes(run.stderr, `Example: --html ~/${command}.html`, command);
  }
});
