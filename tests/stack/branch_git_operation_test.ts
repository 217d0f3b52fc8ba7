/**
 * `mpm branch --stash` and `-b` in the middle of a git operation: refused before anything
 * changes, naming the operation and the step; each refusal of `git switch` gets the hint that
 * fits it; `mpm return` says "exactly" only when it compared the tree.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { ok, type Repo, stashes, statusJson, tempDir, withRepo } from "../helpers.ts";

const has = (repo: Repo, file: string) =>
  Deno.stat(join(repo.path, ".git", file)).then(() => true, () => false);

/** main and feature both change f.txt's neighbour lines; feature's commit merges cleanly. */
async function twoBranches(repo: Repo) {
  await repo.commit("Base", { "f.txt": "one\n", "g.txt": "g\n" });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature", { "f.txt": "feature\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main", { "g.txt": "main\n" });
}

Deno.test("branch --stash -b during a merge is refused and the merge is still there", async () => {
  await using repo = await withRepo();
  await twoBranches(repo);
  await ok(repo, "start", "payments");
  await repo.git("merge", "--no-commit", "--no-ff", "feature");
  assert(await has(repo, "MERGE_HEAD"));
  const before = await repo.read(".claude-mpm/state.json");

  const result = await repo.run("branch", "hot", "--stash", "-b", "hotfix");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "A merge is in progress");
  assertStringIncludes(result.stderr, "git merge --abort");
  assert(await has(repo, "MERGE_HEAD"), "the merge is still in progress");
  assertEquals(await stashes(repo), []);
  assertEquals((await repo.git("branch", "--show-current")).trim(), "main");
  assertEquals(await repo.read(".claude-mpm/state.json"), before);
  // The merge goes on: the next commit is a merge commit.
  await repo.git("commit", "-q", "--no-edit");
  assertEquals((await repo.git("log", "-1", "--format=%P")).trim().split(" ").length, 2);
});

Deno.test("branch --stash with a resolved cherry-pick is refused; cherry-pick --continue still works", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "f.txt": "one\n" });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature", { "f.txt": "feature\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main", { "f.txt": "main\n" });
  await ok(repo, "start", "payments");
  await repo.git("cherry-pick", "feature").catch(() => {});
  await repo.write("f.txt", "resolved\n");
  await repo.git("add", "f.txt");

  const result = await repo.run("branch", "hot", "--stash");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "A cherry-pick is in progress");
  assertStringIncludes(result.stderr, "git cherry-pick --continue");
  assertEquals(await stashes(repo), []);
  assertEquals((await statusJson(repo)).stack, []);
  await repo.git("-c", "core.editor=true", "cherry-pick", "--continue");
  assertEquals(await repo.read("f.txt"), "resolved\n");
});

Deno.test("branch -b during a rebase is refused with the rebase's own steps", async () => {
  await using repo = await withRepo();
  await repo.commit("Base", { "f.txt": "one\n" });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature", { "f.txt": "feature\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main", { "f.txt": "main\n" });
  await repo.git("checkout", "-q", "feature");
  await repo.git("rebase", "main").catch(() => {});
  assert(await has(repo, "rebase-merge") || await has(repo, "rebase-apply"));

  const result = await repo.run("branch", "hot", "-b", "hotfix");
  assertEquals(result.code, 1, result.stderr);
  // Stopped on a conflict: resolving comes before the rebase's own next step.
  assertStringIncludes(result.stderr, "A rebase stopped on unmerged paths");
  assertStringIncludes(result.stderr, "git rebase --continue");
  assertStringIncludes(result.stderr, "git rebase --abort");
  assertEquals(await repo.git("branch", "--list", "hotfix"), "");
});

Deno.test("a bisect refuses only with changes to carry", async () => {
  await using repo = await withRepo();
  await repo.commit("Two", { "f.txt": "2\n" });
  await repo.commit("Three", { "f.txt": "3\n" });
  await repo.git("bisect", "start", "HEAD", "HEAD~2");
  await repo.write("probe.txt", "half a test\n");
  const refused = await repo.run("branch", "hot", "--stash");
  assertEquals(refused.code, 1, refused.stderr);
  assertStringIncludes(refused.stderr, "A bisect is in progress and the working tree has changes");
  assertEquals(await stashes(repo), []);
  await Deno.remove(join(repo.path, "probe.txt"));
  await ok(repo, "branch", "hot", "--stash");
});

Deno.test("a branch held by another worktree: the hint names that worktree, not a stash", async () => {
  await using repo = await withRepo();
  await using other = await tempDir();
  const where = join(other.path, "w");
  await repo.git("branch", "busy");
  await repo.git("worktree", "add", "-q", where, "busy");
  await ok(repo, "start", "payments");
  const result = await repo.run("branch", "hot", "-b", "busy");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, `checked out in the worktree at ${where}`);
  assert(!result.stderr.includes("Commit or stash"), result.stderr);
  assertEquals((await statusJson(repo)).stack, []);
});

Deno.test("a stale index.lock: the hint names the lock file", async () => {
  await using repo = await withRepo();
  await repo.git("branch", "older");
  await repo.commit("Newer", { "f.txt": "new\n" });
  await ok(repo, "start", "payments");
  await Deno.writeTextFile(join(repo.path, ".git", "index.lock"), "");
  const result = await repo.run("branch", "hot", "-b", "older");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, join(repo.path, ".git", "index.lock"));
  assert(!result.stderr.includes("Commit or stash"), result.stderr);
});
