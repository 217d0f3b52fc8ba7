/**
 * `mpm branch NAME --worktree`: the urgent work in a git worktree of its own, the parent's
 * files, index, stash and active session untouched; `mpm return` there pauses it and removes
 * the worktree only once nothing in it would be lost.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import {
  exists,
  git,
  mpm,
  ok,
  okJson,
  type Repo,
  stashes,
  statusJson,
  withRepo,
} from "../helpers.ts";

/** Everything of the parent's work a worktree branch must leave as it was. */
async function parentWork(repo: Repo) {
  return {
    status: await repo.git("status", "--porcelain", "--untracked-files=all"),
    staged: await repo.git("diff", "--cached"),
    unstaged: await repo.git("diff"),
    stashes: await stashes(repo),
    branch: (await repo.git("branch", "--show-current")).trim(),
  };
}

Deno.test("branch --worktree: parent untouched, link shown both ways, return keeps then removes", async (t) => {
  await using repo = await withRepo();
  const remote = join(repo.path, "..", "remote.git");
  await git(join(repo.path, ".."), "init", "-q", "--bare", remote);
  await repo.git("remote", "add", "origin", remote);
  await repo.commit("Base", { "app.txt": "app\n", "lib.txt": "lib\n" });
  await ok(repo, "start", "payments", "--task", "Refunds");
  await repo.write("app.txt", "app staged\n");
  await repo.git("add", "app.txt");
  await repo.write("lib.txt", "lib unstaged\n");
  await repo.write("notes.txt", "untracked\n");
  const before = await parentWork(repo);
  const wt = join(repo.path, ".claude", "worktrees", "hot");
  const inWt = (...args: string[]) => mpm(args, { cwd: wt, env: { HOME: repo.home } });

  await t.step("branch: a worktree on worktree-hot, the parent as it was", async () => {
    const out = await okJson(repo, "branch", "hot", "--worktree", "--task", "Login down", "--json");
    assertEquals(out.worktree.path, wt);
    assertEquals(out.worktree.branch, "worktree-hot");
    assertEquals(out.run.cd, wt);
    assertEquals(out.parent.name, "payments");
    assertEquals(await parentWork(repo), before);
    assertEquals((await git(wt, "branch", "--show-current")).trim(), "worktree-hot");
    assertEquals(await Deno.readTextFile(join(wt, "app.txt")), "app\n");
    const status = await statusJson(repo);
    assertEquals(status.active.name, "payments");
    assertEquals(status.stack, []);
    assertEquals(status.worktrees.map((w: { name: string; path: string }) => [w.name, w.path]), [
      ["hot", wt],
    ]);
    assertStringIncludes((await ok(repo, "list")).stdout, `hot at ${wt}`);
    const text = await ok(repo, "branch", "hot2", "--worktree");
    assertStringIncludes(text.stdout, `cd ${join(repo.path, ".claude", "worktrees", "hot2")}`);
    assertStringIncludes(text.stdout, "  claude");
    assertEquals(await parentWork(repo), before);
  });

  await t.step("the worktree has its own session, and knows its parent", async () => {
    const status = JSON.parse((await inWt("status", "--json")).stdout);
    assertEquals(status.active.name, "hot");
    assertEquals(status.active.task, "Login down");
    assertEquals(status.stack[0].worktree.parent, repo.path);
    assertStringIncludes((await inWt("status")).stdout, `Worktree of payments in ${repo.path}`);
    assertStringIncludes((await inWt("list")).stdout, `Worktree of payments in ${repo.path}`);
    // The parent's pause prunes agent worktrees, never one mpm linked.
    await ok(repo, "pause", "-s", "Refunds half done");
    assert(await exists(wt));
  });

  await t.step("return with work neither merged nor pushed: paused, kept, says why", async () => {
    await Deno.writeTextFile(join(wt, "fix.txt"), "the fix\n");
    const dirty = await inWt("return");
    assertEquals(dirty.code, 0, dirty.stderr);
    assertStringIncludes(dirty.stdout, "uncommitted changes (fix.txt)");
    assertStringIncludes(dirty.stdout, `cd ${repo.path}`);
    assert(await exists(wt));
    await git(wt, "add", "fix.txt");
    await git(wt, "commit", "-q", "-m", "Fix login");
    const unmerged = await inWt("return");
    assertStringIncludes(unmerged.stdout, "neither merged into main nor pushed");
    assert(await exists(wt));
    const status = await statusJson(repo);
    const hot = status.worktrees.find((w: { name: string }) => w.name === "hot");
    assertStringIncludes(hot.kept, "neither merged");
  });

  await t.step("pushed and clean: removed, its record kept by the parent", async () => {
    await git(wt, "push", "-q", "origin", "worktree-hot");
    const done = await inWt("return", "-s", "Fixed the login");
    assertEquals(done.code, 0, done.stderr);
    assertStringIncludes(done.stdout, `Removed the worktree ${wt}`);
    assertStringIncludes(done.stdout, "pushed to origin/worktree-hot");
    assert(!(await exists(wt)));
    const listed = (await repo.git("worktree", "list", "--porcelain")).split("\n");
    assert(!listed.includes(`worktree ${wt}`));
    const status = await statusJson(repo);
    assertEquals(status.worktrees.map((w: { name: string }) => w.name), ["hot2"]);
    const sessions = await okJson(repo, "list", "--json");
    assert(
      sessions.some((l: { name: string; state: string }) =>
        l.name === "hot" && l.state === "completed"
      ),
    );
    assertEquals(await parentWork(repo), before);
  });
});

Deno.test("branch --worktree --from REF --path P; a clean merged worktree goes at once; --stash refused", async () => {
  await using repo = await withRepo();
  const first = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.commit("Second", { "two.txt": "2\n" });
  const where = join(repo.path, "..", "elsewhere");
  const out = await okJson(
    repo,
    "branch",
    "fix",
    "--worktree",
    "-b",
    "fixit",
    "--from",
    "HEAD~1",
    "--path",
    where,
    "--json",
  );
  assertEquals(out.worktree.path, where);
  assertEquals(out.parent, null);
  assertEquals((await git(where, "rev-parse", "HEAD")).trim(), first);
  assertEquals((await git(where, "branch", "--show-current")).trim(), "fixit");
  const back = await mpm(["return"], { cwd: where, env: { HOME: repo.home } });
  assertEquals(back.code, 0, back.stderr);
  assertStringIncludes(back.stdout, "merged into main");
  assert(!(await exists(where)));
  assertEquals((await repo.git("branch", "--list", "fixit")).trim(), "fixit");

  // What does not go with --worktree is refused before anything is made.
  const both = await repo.run("branch", "x", "--worktree", "--stash");
  assertEquals(both.code, 2, both.stderr);
  const from = await repo.run("branch", "x", "--from", "HEAD");
  assertEquals(from.code, 2, from.stderr);
  await repo.git("branch", "taken");
  const fromExisting = await repo.run("branch", "x", "--worktree", "-b", "taken", "--from", "HEAD");
  assertEquals(fromExisting.code, 2, fromExisting.stderr);
  assert(!(await exists(join(repo.path, ".claude", "worktrees", "x"))));
});
