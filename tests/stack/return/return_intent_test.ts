/**
 * `mpm return` records its intent before it writes anything: killed right after it, nothing else
 * is on disk yet; `status` names the interrupted return, `resume` refuses until it is finished,
 * and the next `mpm return` writes the child's final snapshot once, with the words the first run
 * was given.
 */
import { join } from "node:path";
import { assertEquals, assertStringIncludes } from "../../assert.ts";
import { mpm, ok, okJson, type Repo, sessionFiles, withRepo } from "../../helpers.ts";

/** mpm with MPM_TEST_FAIL_AT set: the process kills itself at that point. */
function killedAt(repo: Repo, point: string, ...args: string[]) {
  return mpm(args, { cwd: repo.path, env: { HOME: repo.home, MPM_TEST_FAIL_AT: point } });
}

Deno.test("a return killed after its intent: nothing written yet; the next return finishes it with the first run's words", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  await ok(repo, "branch", "child", "--git-branch", "feat");
  await repo.commit("child work", { "c.txt": "child\n" });
  const before = await sessionFiles(repo.path);
  const killed = await mpm(["return", "-s", "Fixed the outage", "-a", "Patched refresh"], {
    cwd: repo.path,
    env: { HOME: repo.home, MPM_TEST_FAIL_AT: "return-after-intent" },
  });
  assertEquals(killed.code, 137, killed.stderr);
  // The intent is recorded; the child's final snapshot is not written yet.
  assertEquals(await sessionFiles(repo.path), before);
  const status = await okJson(repo, "status", "--json");
  assertEquals(status.stack[0].phase, "returning");
  assertStringIncludes((await ok(repo, "status")).stdout, "an interrupted `mpm return`");
  const resume = await repo.run("resume", "--no-changes");
  assertEquals(resume.code, 1, resume.stderr);
  assertStringIncludes(resume.stderr, "An interrupted `mpm return` is on the stack");

  const again = await okJson(repo, "return", "--json");
  assertEquals(again.resumed, true);
  assertEquals(again.active.name, "parent");
  const completed = (await Promise.all(
    (await sessionFiles(repo.path)).map(async (f) =>
      JSON.parse(await Deno.readTextFile(join(repo.path, ".claude-mpm/sessions", f)))
    ),
  )).filter((s) => s.mpm.state === "completed");
  assertEquals(completed.map((s) => s.session_id), [again.completed]);
  assertEquals(completed[0].conversation.summary, "Fixed the outage");
  assertEquals(completed[0].conversation.accomplishments, ["Patched refresh"]);
});

Deno.test("an interrupted return whose branch another worktree took: refused with what to do; --keep-branch finishes it, and is kept", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  await repo.write("README.md", "# parent's work\n");
  await ok(repo, "branch", "child", "--stash", "-b", "hot");
  assertEquals((await killedAt(repo, "return-after-intent", "return")).code, 137);
  const other = join(repo.path, "..", "other");
  await repo.git("worktree", "add", "-q", other, "main");

  const refused = await repo.run("return");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, `git worktree remove ${other}`);
  assertStringIncludes(refused.stderr, "`mpm return --keep-branch` to stay on hot");
  assertEquals((await okJson(repo, "status", "--json")).stack[0].phase, "returning");

  // Killed again once --keep-branch was given: the run after it stays on the branch too.
  const killed = await killedAt(repo, "return-after-switch", "return", "--keep-branch");
  assertEquals(killed.code, 137, killed.stderr);
  const state = JSON.parse(await repo.read(".claude-mpm/state.json"));
  assertEquals(state.stack[0].returning.keep_branch, true);
  const finished = await ok(repo, "return");
  assertStringIncludes(finished.stdout, "finishing an interrupted `mpm return`");
  assertStringIncludes(finished.stdout, "Stayed on git branch hot (--keep-branch)");
  assertEquals((await repo.git("branch", "--show-current")).trim(), "hot");
  assertEquals(await repo.read("README.md"), "# parent's work\n");
  const after = await okJson(repo, "status", "--json");
  assertEquals(after.stack, []);
  assertEquals(after.active.name, "parent");
});

Deno.test("an interrupted return honours --keep-branch given only to the run that finishes it", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "parent");
  await ok(repo, "branch", "child", "-b", "hot");
  assertEquals((await killedAt(repo, "return-after-intent", "return")).code, 137);
  const finished = await okJson(repo, "return", "--keep-branch", "--json");
  assertEquals(finished.resumed, true);
  assertEquals(finished.git_branch, null);
  assertEquals((await repo.git("branch", "--show-current")).trim(), "hot");
});
