/**
 * The doors around `mpm branch NAME --worktree` and its `mpm return`: a committed symbolic link
 * on the way to `.claude/worktrees` never sends the checkout elsewhere; ignored files are never
 * deleted with a "clean" worktree unasked; a kill half-way leaves a worktree that `status` and
 * `worktrees prune` name; a parent that moved is refused, nothing written where it was; and
 * `mpm return` in the parent says where the urgent work is.
 */
import { join } from "node:path";
import { assert, assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { exists, git, mpm, ok, okJson, statusJson, tempDir, withRepo } from "../helpers.ts";

Deno.test("branch --worktree refuses a committed symbolic link on the way, creating nothing", async (t) => {
  await using repo = await withRepo();
  await using outside = await tempDir();
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const refused = async (args: string[], link: string) => {
    const before = await repo.git("worktree", "list", "--porcelain");
    const exclude = await repo.read(".git/info/exclude").catch(() => "");
    const out = await repo.run("branch", "hot", "--worktree", ...args);
    assertEquals(out.code, 1, out.stderr);
    assertStringIncludes(out.stderr, `${link} is a symbolic link`);
    assertEquals(out.stderr.split("\n").filter(Boolean).length, 2, out.stderr);
    assertEquals(await Array.fromAsync(Deno.readDir(outside.path)), []);
    assertEquals(await repo.git("worktree", "list", "--porcelain"), before);
    assertEquals(await repo.read(".git/info/exclude").catch(() => ""), exclude);
    assertEquals((await repo.git("branch", "--list", "worktree-hot")).trim(), "");
    assert(!(await exists(join(repo.path, ".claude-mpm"))), "no .claude-mpm/ was made");
  };

  await t.step(".claude/worktrees committed as a link out of the repository", async () => {
    await Deno.mkdir(join(repo.path, ".claude"));
    await Deno.symlink(outside.path, join(repo.path, ".claude", "worktrees"));
    await repo.commit("a link", {});
    await refused([], ".claude/worktrees");
  });

  await t.step(".claude itself a link", async () => {
    await repo.git("rm", "-q", ".claude/worktrees");
    await Deno.remove(join(repo.path, ".claude"), { recursive: true }).catch(() => {});
    await Deno.symlink(outside.path, join(repo.path, ".claude"));
    await repo.commit("another link", {});
    await refused([], ".claude");
  });

  await t.step("a link that stays inside the repository is refused too, and --path P", async () => {
    await repo.git("rm", "-q", ".claude");
    await Deno.mkdir(join(repo.path, "docs", "x"), { recursive: true });
    await Deno.symlink(join(repo.path, "docs"), join(repo.path, "shortcut"));
    await Deno.mkdir(join(repo.path, ".claude"));
    await Deno.symlink(join(repo.path, "docs"), join(repo.path, ".claude", "worktrees"));
    await refused([], ".claude/worktrees");
    await refused(["--path", "shortcut/hot"], "shortcut");
  });

  await t.step("with real folders it is made there", async () => {
    await Deno.remove(join(repo.path, ".claude", "worktrees"));
    await ok(repo, "branch", "hot", "--worktree");
    assert(await exists(join(wt, "README.md")));
  });
});

Deno.test("return keeps a merged, clean worktree that holds ignored files; --force removes it", async () => {
  await using repo = await withRepo();
  await repo.commit("ignore", { ".gitignore": "*.env\n" });
  await ok(repo, "branch", "hot", "--worktree");
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const inWt = (...args: string[]) => mpm(args, { cwd: wt, env: { HOME: repo.home } });
  await Deno.writeTextFile(join(wt, "secret.env"), "TOKEN=only-here\n");

  const kept = await inWt("return");
  assertEquals(kept.code, 0, kept.stderr);
  assertStringIncludes(kept.stdout, "it holds ignored files that removing it would delete");
  assertStringIncludes(kept.stdout, "(secret.env)");
  assertStringIncludes(kept.stdout, "`mpm return --force`");
  assertEquals(await Deno.readTextFile(join(wt, "secret.env")), "TOKEN=only-here\n");
  const status = await statusJson(repo);
  assertStringIncludes(status.worktrees[0].kept, "ignored files");

  // mpm's own folder is not among them; --force lets them go with it, and says so.
  const forced = JSON.parse((await inWt("return", "--force", "--json")).stdout);
  assertEquals([forced.removed, forced.ignored], [true, ["secret.env"]]);
  assert(!(await exists(wt)));
  assertEquals((await statusJson(repo)).worktrees, []);
  const elsewhere = await repo.run("return", "--force");
  assertEquals(elsewhere.code, 2, elsewhere.stderr);
});

Deno.test("return in the parent names the worktree the urgent work is in, and the command", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await ok(repo, "branch", "hot", "--worktree");
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const out = await repo.run("return");
  assertEquals(out.code, 3, out.stderr);
  assertStringIncludes(out.stderr, `the urgent work hot is in the worktree ${wt}`);
  assertStringIncludes(out.stderr, `\`cd ${wt} && mpm return\``);
  assertNotIncludes(out.stderr, "the stack is empty");
  assertEquals((await statusJson(repo)).active.name, "payments");
});

Deno.test("return after the parent moved writes nothing where it was; after git worktree repair it goes on", async () => {
  await using repo = await withRepo();
  await ok(repo, "branch", "hot", "--worktree");
  const moved = join(repo.path, "..", "moved");
  await Deno.rename(repo.path, moved);
  const wt = join(moved, ".claude", "worktrees", "hot");
  const inWt = (...args: string[]) => mpm(args, { cwd: wt, env: { HOME: repo.home } });

  const lost = await inWt("return");
  assertEquals(lost.code, 1, lost.stderr);
  assertStringIncludes(lost.stderr, `its parent ${repo.path} moved or is gone`);
  assertStringIncludes(lost.stderr, `git worktree repair ${wt}`);
  assert(!(await exists(repo.path)), "nothing was made where the parent was");

  await git(moved, "worktree", "repair", wt);
  const back = await inWt("return");
  assertEquals(back.code, 0, back.stderr);
  assertStringIncludes(back.stdout, `Removed the worktree ${wt}`);
  assertStringIncludes(back.stdout, `cd ${moved}`);
  assert(!(await exists(repo.path)));
  assert(!(await exists(wt)));
  const status = JSON.parse(
    (await mpm(["status", "--json"], { cwd: moved, env: { HOME: repo.home } })).stdout,
  );
  assertEquals(status.worktrees, []);
});

Deno.test("a kill right after git worktree add: status and worktrees prune name the worktree", async () => {
  await using repo = await withRepo();
  await repo.commit("ignore .claude", { ".gitignore": ".claude/\n" });
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const killed = await mpm(["branch", "hot", "--worktree"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: "branch-worktree-after-add" },
  });
  assert(killed.code !== 0, "the process was killed");
  assert(await exists(wt));

  const status = await ok(repo, "status");
  assertStringIncludes(
    status.stdout,
    `hot at ${wt} (git: worktree-hot): an interrupted \`mpm branch --worktree\` left it`,
  );
  assertEquals((await statusJson(repo)).worktrees[0].pending, true);
  const taken = await repo.run("branch", "hot", "--worktree");
  assertStringIncludes(taken.stderr, "`mpm status` says whether an interrupted");

  const dry = await okJson(repo, "worktrees", "prune", "--dry-run", "--json");
  assertEquals(dry.pruned.map((p: { path: string }) => p.path), [wt]);
  assertStringIncludes(dry.pruned[0].reason, "an interrupted `mpm branch --worktree` left it");
  assertStringIncludes(dry.pruned[0].reason, "run `mpm branch hot --worktree` again");
  await ok(repo, "worktrees", "prune");
  assert(!(await exists(wt)));
  assertNotIncludes((await ok(repo, "status")).stdout, "interrupted");
  // The next branch drops the entry whose worktree is gone; its own is not pending once made.
  await ok(repo, "branch", "cold", "--worktree");
  const after = (await statusJson(repo)).worktrees;
  assertEquals(after.map((w: { name: string }) => w.name), ["cold"]);
  assertEquals(after[0].pending, undefined);
});
