/**
 * `mpm branch` and `mpm return` where git gets in the way: a stash git refuses (its cause, its
 * step, and no snapshot of a branch that did not happen), a stash dropped by hand (the commit
 * that brings it back), a parent's branch that moved elsewhere, unmerged paths by the operation
 * that left them, a stash that takes the folder mpm ran in, and a template's secrets.
 */
import { join } from "node:path";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { mpm, ok, type Repo, sessionFiles, stashes, statusJson, withRepo } from "../helpers.ts";

/** What a failed branch must leave: the parent active, the stack empty, no snapshot, no stash. */
async function nothingHappened(repo: Repo) {
  const status = await statusJson(repo);
  assertEquals(status.active?.name, "payments");
  assertEquals(status.stack, []);
  assertEquals(await sessionFiles(repo.path), []);
  assertEquals(await stashes(repo), []);
  const list = await ok(repo, "list", "--all");
  assert(!list.stdout.includes("branched"), list.stdout);
}

Deno.test("branch --stash with an intent-to-add file names git's cause and `git rm --cached`, and writes no snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await repo.write("ita.txt", "intent\n");
  await repo.git("add", "-N", "ita.txt");
  const result = await repo.run("branch", "hot", "--stash", "-b", "hot");
  assertEquals(result.code, 1, result.stderr);
  const [message, hint] = result.stderr.trim().split("\n");
  assertStringIncludes(message, "git stash failed: Entry 'ita.txt' not uptodate.");
  assertStringIncludes(hint, "`git rm --cached -- ita.txt`");
  assertEquals((await repo.git("branch", "--show-current")).trim(), "main");
  await nothingHappened(repo);
});

Deno.test("branch --stash with a stale index.lock names the lock and the step, and writes no snapshot", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await repo.write("README.md", "# changed\n");
  const lock = join(repo.path, ".git", "index.lock");
  await Deno.writeTextFile(lock, "");
  const result = await repo.run("branch", "hot", "--stash", "-b", "hot");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, `the index is locked (${lock} exists)`);
  assertStringIncludes(result.stderr, `Another git command holds ${lock}`);
  assert(!result.stderr.includes("exit code"), result.stderr);
  await Deno.remove(lock);
  await nothingHappened(repo);
  assertEquals(await repo.read("README.md"), "# changed\n");
});

Deno.test("a refused switch takes the parent's snapshot back with the stash", async () => {
  await using repo = await withRepo();
  await repo.git("branch", "busy");
  await repo.git("worktree", "add", "-q", join(repo.path, "..", "busy"), "busy");
  await ok(repo, "start", "payments");
  await repo.write("README.md", "# changed\n");
  const result = await repo.run("branch", "hot", "--stash", "-b", "busy");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "your uncommitted work was restored");
  await nothingHappened(repo);
});

Deno.test("a stash dropped by hand: return names the commit that brings it back", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await repo.write("README.md", "# wip\n");
  await ok(repo, "branch", "hot", "--stash");
  const frame = (await statusJson(repo)).stack[0];
  await repo.git("stash", "clear");

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "no longer in the stash list");
  const command = result.stderr.match(/`(git stash apply --index [0-9a-f]{40})`/)?.[1];
  assert(command, result.stderr);
  assertEquals(command, `git stash apply --index ${frame.stash_commit}`);
  await repo.git(...command.split(" ").slice(1));
  assertEquals(await repo.read("README.md"), "# wip\n");
});

Deno.test("return after the parent's branch moved in another worktree blames no child commit", async () => {
  await using repo = await withRepo();
  await repo.commit("Six", { "a.txt": "1\n2\n3\n4\n5\n6\n" });
  await ok(repo, "start", "payments");
  await repo.write("a.txt", "1\n2\n3\n4\n5\n6 wip\n");
  await ok(repo, "branch", "hot", "--stash", "-b", "hot");
  const other = join(repo.path, "..", "other");
  await repo.git("worktree", "add", "-q", other, "main");
  await Deno.writeTextFile(join(other, "a.txt"), "1 moved\n2\n3\n4\n5\n6\n");
  await repo.git("-C", other, "commit", "-qam", "Moved");
  await repo.git("worktree", "remove", other);

  const result = await repo.run("return");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(
    result.stderr,
    "a.txt: your unstaged change is in the work tree, merged with",
  );
  assertStringIncludes(result.stderr, "what the branch holds now");
  assert(!result.stderr.includes("child"), result.stderr);
});

/** f.txt changed on main and on feature: merging or rebasing one on the other conflicts. */
async function conflicting(repo: Repo) {
  await repo.commit("Base", { "f.txt": "one\n" });
  await repo.git("checkout", "-q", "-b", "feature");
  await repo.commit("Feature", { "f.txt": "feature\n" });
  await repo.git("checkout", "-q", "main");
  await repo.commit("Main", { "f.txt": "main\n" });
}

Deno.test("plain branch during a rebase stopped on a conflict names the rebase and its steps", async () => {
  await using repo = await withRepo();
  await conflicting(repo);
  await repo.git("checkout", "-q", "feature");
  await repo.git("rebase", "main").catch(() => {});
  await ok(repo, "start", "payments");
  const result = await repo.run("branch", "hot");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "A rebase stopped on unmerged paths (f.txt)");
  assertStringIncludes(result.stderr, "`git rebase --continue`");
  assertStringIncludes(result.stderr, "`git rebase --abort`");
  assert(!result.stderr.includes("the merge"), result.stderr);
  await nothingHappened(repo);
});

Deno.test("branch --stash during a merge with unmerged paths: resolve, then commit, or abort", async () => {
  await using repo = await withRepo();
  await conflicting(repo);
  await repo.git("merge", "feature").catch(() => {});
  await ok(repo, "start", "payments");
  const result = await repo.run("branch", "hot", "--stash");
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(result.stderr, "A merge stopped on unmerged paths (f.txt)");
  assertStringIncludes(result.stderr, "Resolve each file and `git add` it, then `git commit`");
  assertStringIncludes(result.stderr, "`git merge --abort`");
  await nothingHappened(repo);
});

Deno.test("branch --stash run in a folder of untracked files gives the cd to the repository's top", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await repo.write("notes/draft.txt", "draft\n");
  const inside = join(repo.path, "notes");
  const result = await mpm(["branch", "hot", "--stash"], {
    cwd: inside,
    env: { HOME: repo.home },
  });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "went into the stash");
  assertStringIncludes(result.stdout, `\`cd ${repo.path}\``);
  assertEquals(await Deno.stat(inside).then(() => true, () => false), false);
  await ok(repo, "return");
  assertEquals(await repo.read("notes/draft.txt"), "draft\n");
});

Deno.test("branch --stash from the top says nothing of folders", async () => {
  await using repo = await withRepo();
  await ok(repo, "start", "payments");
  await repo.write("notes/draft.txt", "draft\n");
  const result = await ok(repo, "branch", "hot", "--stash");
  assert(!result.stdout.includes("went into the stash"), result.stdout);
});

Deno.test("branch --template shows a todo's secret redacted, as it was stored", async () => {
  await using repo = await withRepo();
  const token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  await repo.write(
    ".claude-mpm/templates/tok.md",
    `---\ndescription: t\n---\n\n# Template: tok\n\n## Work Phase\n\n- [ ] push with ${token}\n`,
  );
  await ok(repo, "start", "payments");
  const shown = await ok(repo, "branch", "review", "--template", "tok");
  assert(!shown.stdout.includes(token), shown.stdout);
  assertStringIncludes(shown.stdout, "push with [REDACTED");
  await ok(repo, "return");
  const json = await ok(repo, "branch", "again", "--template", "tok", "--json");
  assert(!json.stdout.includes(token), json.stdout);
  assert(!(await repo.read(".claude-mpm/state.json")).includes(token));
});
